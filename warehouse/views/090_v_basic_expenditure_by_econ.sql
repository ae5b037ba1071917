-- Basic expenditure by economic subject, with department (301…) and government (501…) codes.
-- Names the catalog does not know keep their printed name with null codes (never dropped).
CREATE VIEW v_basic_expenditure_by_econ AS
SELECT
    e.document_id,
    e.econ_code,
    COALESCE(e.econ_name, e.printed_name) AS econ_name,
    e.gov_econ_code,
    e.gov_econ_name,
    e.personnel_yuan,
    e.public_yuan,
    e.total_yuan,
    e.econ_level,
    e.resolved,
    e.printed_name,
    e.page,
    k.table_code
FROM fact_basic_econ e
JOIN doc_table k ON k.document_id = e.document_id AND k.table_seq = e.table_seq;
