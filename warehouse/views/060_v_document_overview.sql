-- Document overview with its check status: how many checks ran, failed, and how many were errors.
CREATE VIEW v_document_overview AS
    -- (Tables and checks are counted per document once, then joined: four correlated subqueries per document
    -- cost PostgreSQL 9.6 s over 30,000 documents, issue 26.7.)
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    d.status,
    d.is_current,
    d.page_count,
    COALESCE(t.tables_found, 0) AS tables_found,
    d.toc_tables,
    COALESCE(c.checks_run, 0) AS checks_run,
    COALESCE(c.checks_failed, 0) AS checks_failed,
    COALESCE(c.errors, 0) AS errors,
    d.error,
    d.source_uri,
    d.loaded_at
FROM v_document d
LEFT JOIN (SELECT document_id, COUNT(*) AS tables_found FROM doc_table GROUP BY document_id) t
    ON t.document_id = d.document_id
LEFT JOIN (
    SELECT document_id,
           COUNT(*) AS checks_run,
           COUNT(CASE WHEN NOT passed THEN 1 END) AS checks_failed,
           COUNT(CASE WHEN NOT passed AND severity = 'error' THEN 1 END) AS errors
    FROM check_result
    GROUP BY document_id
) c ON c.document_id = d.document_id;
