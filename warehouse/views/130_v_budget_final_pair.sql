-- A unit-year's budget (预算) beside its final account (决算), where the warehouse publishes both for the same
-- unit, scope and fiscal year: per function subject, what the budget document's 支出总表 planned (budget_yuan)
-- and what the final account's 支出决算表 reports spent (actual_yuan), from v_expenditure_by_subject; a subject
-- printed by only one of them has the other's figure null. document_id, doc_kind and phase are the final
-- account's; budget_document_id names the budget. completion_percent = actual / budget × 100.
CREATE VIEW v_budget_final_pair AS
WITH pair AS (
    SELECT f.document_id, b.document_id AS budget_document_id, f.unit_key, f.unit_name, f.unit_scope,
           f.fiscal_year, f.doc_kind, f.phase
    FROM v_published_document f
    JOIN v_published_document b
        ON b.unit_key = f.unit_key AND b.fiscal_year = f.fiscal_year AND b.phase = 'budget'
       AND (b.unit_scope = f.unit_scope OR (b.unit_scope IS NULL AND f.unit_scope IS NULL))
       AND b.doc_kind = CASE f.doc_kind WHEN 'dept_final' THEN 'dept_budget' ELSE 'unit_budget' END
    WHERE f.phase = 'final' AND COALESCE(f.part, 'full') <> 'narrative' AND COALESCE(b.part, 'full') <> 'narrative'
),
subjects AS (
    SELECT p.document_id, p.budget_document_id, s.subject_code FROM pair p
    JOIN v_expenditure_by_subject s ON s.document_id = p.budget_document_id
    UNION
    SELECT p.document_id, p.budget_document_id, s.subject_code FROM pair p
    JOIN v_expenditure_by_subject s ON s.document_id = p.document_id
)
SELECT
    p.document_id,
    p.unit_name,
    p.unit_scope,
    p.fiscal_year,
    p.doc_kind,
    p.phase,
    p.budget_document_id,
    s.subject_code,
    COALESCE(a.subject_name, b.subject_name) AS subject_name,
    COALESCE(a.subject_level, b.subject_level) AS subject_level,
    CAST(b.total_yuan AS NUMERIC(20, 2)) AS budget_yuan,
    CAST(a.total_yuan AS NUMERIC(20, 2)) AS actual_yuan,
    CAST(ROUND(CAST(a.total_yuan AS NUMERIC(20, 2)) * 100 / NULLIF(b.total_yuan, 0), 2) AS NUMERIC(9, 2))
        AS completion_percent,
    a.page,
    b.page AS budget_page
FROM pair p
JOIN subjects s ON s.document_id = p.document_id AND s.budget_document_id = p.budget_document_id
LEFT JOIN v_expenditure_by_subject a ON a.document_id = p.document_id AND a.subject_code = s.subject_code
LEFT JOIN v_expenditure_by_subject b ON b.document_id = p.budget_document_id AND b.subject_code = s.subject_code;
