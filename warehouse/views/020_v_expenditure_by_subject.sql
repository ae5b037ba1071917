-- Expenditure by function subject of each published document, from its 支出总表 (expenditure summary)
-- or, where that prints no subjects (Jiangsu prints only its totals), from its 一般公共预算支出表, else
-- its 财政拨款支出表: table_code says which.
CREATE VIEW v_expenditure_by_subject AS
    -- The subjects and their amounts are summed per document by the loader (document_subject_sum,
    -- warehouse/derived.py, which picks the table): joining 1.8 M subject rows with 8 M amounts at every query
    -- cost PostgreSQL 3–9 s on 30,000 documents (issue 26.7).
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    s.subject_code,
    s.subject_name,
    s.subject_level,
    s.total_yuan,
    s.basic_yuan,
    s.project_yuan,
    s.parent_code,
    s.page,
    d.doc_kind,
    d.unit_scope,
    d.phase,
    s.table_code
FROM document_subject_sum s
JOIN v_published_document d ON d.document_id = s.document_id;
