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
    e.table_code
FROM fact_basic_econ e
    -- table_code kept on the row at load: joining doc_table, PostgreSQL looked up 300,000 tables one by one
    -- (1.8 s on 30,000 documents, issue 26.7). Only rows of a table the document has, as the join gave.
WHERE e.table_code IS NOT NULL;
