-- Expenditure by function class (类) across fiscal years, one row per published document and class
-- (from v_expenditure_by_subject: the 支出总表, or the 一般公共预算支出表 where that prints no subjects).
-- doc_kind, unit_scope and phase keep a 决算 apart from a 预算 and a 部门 budget from its 单位 budget.
CREATE VIEW v_expenditure_by_class_year AS
SELECT
    d.unit_key,
    e.unit_name,
    e.fiscal_year,
    e.subject_code AS class_code,
    e.subject_name AS class_name,
    e.total_yuan,
    e.basic_yuan,
    e.project_yuan,
    e.document_id,
    e.doc_kind,
    e.unit_scope,
    e.phase,
    e.table_code
FROM v_expenditure_by_subject e
JOIN v_published_document d ON d.document_id = e.document_id
WHERE e.subject_level = '类';
