-- Expenditure by function subject from each published document's 支出总表 (expenditure summary).
CREATE VIEW v_expenditure_by_subject AS
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    r.subject_code,
    r.subject_name,
    r.subject_level,
    CAST(SUM(CASE WHEN a.measure = 'total' THEN a.amount_yuan END) AS NUMERIC(20, 2)) AS total_yuan,
    CAST(SUM(CASE WHEN a.measure = 'basic' THEN a.amount_yuan END) AS NUMERIC(20, 2)) AS basic_yuan,
    CAST(SUM(CASE WHEN a.measure = 'project' THEN a.amount_yuan END) AS NUMERIC(20, 2)) AS project_yuan,
    r.parent_code,
    r.page
FROM fact_subject_row r
JOIN v_published_document d ON d.document_id = r.document_id
LEFT JOIN fact_amount a
    ON a.document_id = r.document_id AND a.table_seq = r.table_seq AND a.row_index = r.row_index
WHERE r.table_code = 'expenditure_summary' AND r.subject_code IS NOT NULL
GROUP BY d.document_id, d.unit_name, d.fiscal_year, r.subject_code, r.subject_name, r.subject_level,
         r.parent_code, r.page;
