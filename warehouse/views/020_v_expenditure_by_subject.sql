-- Expenditure by function subject of each published document, from its 支出总表 (expenditure summary)
-- or, where that prints no subjects (Jiangsu prints only its totals), from its 一般公共预算支出表, else
-- its 财政拨款支出表: table_code says which.
CREATE VIEW v_expenditure_by_subject AS
WITH subject_table AS (
    -- One table a document, the first in this order. DISTINCT ON, not a filter on ROW_NUMBER() = 1, which
    -- PostgreSQL estimates at 0.5% of the rows and then reads the subjects and amounts of 30,000 documents
    -- one index lookup at a time (issue 26.7).
    SELECT DISTINCT ON (r.document_id) r.document_id, r.table_seq, r.table_code
    FROM fact_subject_row r
    WHERE r.subject_code IS NOT NULL
      AND r.table_code IN ('expenditure_summary', 'general_budget_expenditure', 'appropriation_expenditure')
    ORDER BY r.document_id,
             CASE r.table_code WHEN 'expenditure_summary' THEN 1 WHEN 'general_budget_expenditure' THEN 2 ELSE 3 END,
             r.table_seq
)
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
    r.page,
    d.doc_kind,
    d.unit_scope,
    d.phase,
    r.table_code
FROM fact_subject_row r
JOIN subject_table s ON s.document_id = r.document_id AND s.table_seq = r.table_seq
JOIN v_published_document d ON d.document_id = r.document_id
LEFT JOIN fact_amount a
    ON a.document_id = r.document_id AND a.table_seq = r.table_seq AND a.row_index = r.row_index
WHERE r.subject_code IS NOT NULL
GROUP BY d.document_id, d.unit_name, d.fiscal_year, r.subject_code, r.subject_name, r.subject_level,
         r.parent_code, r.page, d.doc_kind, d.unit_scope, d.phase, r.table_code;
