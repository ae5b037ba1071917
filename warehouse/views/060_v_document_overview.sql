-- Document overview with its check status: how many checks ran, failed, and how many were errors.
CREATE VIEW v_document_overview AS
    -- (The counts are kept per document by the loader, warehouse/derived.py: counting 6 M check rows at every
    -- query cost PostgreSQL seconds over 30,000 documents, issue 26.7.)
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    d.status,
    d.is_current,
    d.page_count,
    CAST(COALESCE(d.tables_found, 0) AS BIGINT) AS tables_found,
    d.toc_tables,
    CAST(COALESCE(d.checks_run, 0) AS BIGINT) AS checks_run,
    CAST(COALESCE(d.checks_failed, 0) AS BIGINT) AS checks_failed,
    CAST(COALESCE(d.check_errors, 0) AS BIGINT) AS errors,
    d.error,
    d.source_uri,
    d.loaded_at
FROM document d;
