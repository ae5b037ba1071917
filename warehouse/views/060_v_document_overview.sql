-- Document overview with its check status: how many checks ran, failed, and how many were errors.
CREATE VIEW v_document_overview AS
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    d.status,
    d.is_current,
    d.page_count,
    (SELECT COUNT(*) FROM doc_table t WHERE t.document_id = d.document_id) AS tables_found,
    d.toc_tables,
    (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id) AS checks_run,
    (SELECT COUNT(*) FROM check_result c WHERE c.document_id = d.document_id AND NOT c.passed) AS checks_failed,
    (SELECT COUNT(*) FROM check_result c
     WHERE c.document_id = d.document_id AND NOT c.passed AND c.severity = 'error') AS errors,
    d.error,
    d.source_uri,
    d.loaded_at
FROM v_document d;
