-- One row per disclosure document with its headline totals (yuan) and status.
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
    d.error
FROM document d;
