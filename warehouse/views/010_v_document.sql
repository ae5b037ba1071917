-- One row per disclosure document with its headline totals (yuan) and status.
-- is_current: the newest version of the same unit, year and kind by the documents' own publication evidence
-- (printed_date, the date the cover prints; then file_date, when the PDF was written; then document_id), never
-- by when budgetdw loaded them (first_seen_at: history only), kept by the loader in the document's own
-- transaction (warehouse/derived.py); older versions stay queryable here, but the
-- published fact views show only v_published_document. accepted_*: who
-- published a quarantined document deliberately, when and why (budgetdw accept). unit_scope: the scope
-- printed after the unit's name (本级, 汇总), so a unit's 本级 and 汇总 budgets are versions of nothing
-- but themselves; identity_confidence / identity_evidence: how surely and from what the unit, year and
-- kind were read (pipelines/extract/identify.py). part: full, or the narrative or tables part of a disclosure
-- published over two files (Beijing, Jiangsu); disclosure_id: the parts of one disclosure (unit, scope,
-- year, kind) share it, and each part has its own current version: the parts never supersede each other.
-- income_total_yuan / expenditure_total_yuan: the 收支总表's 总计 lines, carry-overs included, for budgets and
-- final accounts alike; current_year_*: 本年收入合计 / 本年支出合计; carryover_in / _out: 上年结转 (年初结转和结余)
-- and 结转下年 (年末结转和结余), where printed.
CREATE VIEW v_document AS
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    d.money_unit,
    d.source_uri,
    d.page_count,
    d.status,
    d.income_total_yuan,
    d.expenditure_total_yuan,
    d.basic_total_yuan,
    d.project_total_yuan,
    d.three_public_total_yuan,
    d.loaded_at,
    d.toc_tables,
    d.totals_source,
    d.error,
    d.unit_key,
    d.first_seen_at,
    d.parser_version,
    a.accepted_by,
    a.accepted_at,
    a.reason AS accepted_reason,
    d.is_current,
    d.unit_scope,
    d.identity_confidence,
    d.identity_evidence,
    md5(d.unit_key || '|' || COALESCE(d.unit_scope, '') || '|' || CAST(d.fiscal_year AS VARCHAR) || '|'
        || d.doc_kind) AS disclosure_id,
    d.part,
    d.current_year_income_yuan,
    d.current_year_expenditure_yuan,
    d.carryover_in_yuan,
    d.carryover_out_yuan,
    d.printed_date,
    d.file_date
FROM document d
LEFT JOIN document_acceptance a ON a.document_id = d.document_id;
