-- Every validation result, passed or failed, with a message naming table, row and page.
CREATE VIEW v_check_result AS
SELECT
    c.document_id,
    c.check_id,
    c.severity,
    c.passed,
    c.observed,
    c.expected,
    c.message,
    c.table_seq,
    c.page
FROM check_result c;
