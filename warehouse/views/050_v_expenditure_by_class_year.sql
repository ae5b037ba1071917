-- Expenditure by function class (类) across fiscal years, one row per unit, year and class.
CREATE VIEW v_expenditure_by_class_year AS
SELECT
    d.unit_key,
    e.unit_name,
    e.fiscal_year,
    e.subject_code AS class_code,
    e.subject_name AS class_name,
    e.total_yuan,
    e.basic_yuan,
    e.project_yuan
FROM v_expenditure_by_subject e
JOIN v_published_document d ON d.document_id = e.document_id
WHERE e.subject_level = '类';
