-- Every validation result, passed or failed, with a message naming table, row and page. check_key names
-- the check within its document (the same after a reload); observed_yuan / expected_yuan: observed and
-- expected as amounts in yuan where they are amounts; evidence (of a failed check): JSON list of the operands, each with its
-- page, table, row, column and value as printed, and a table cell's box on the page (bbox [x0, y0, x1,
-- y1], PDF points, origin bottom-left of the unrotated page), a sentence of the prose with its text.
-- accepted: a failed check accepted deliberately, by itself (budgetdw accept DOCUMENT --check,
-- accepted_scope check) or with its whole document (budgetdw accept DOCUMENT, accepted_scope document);
-- accepted_by / accepted_at / accepted_reason say who, when and why.
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
    c.page,
    c.check_key,
    c.observed_yuan,
    c.expected_yuan,
    c.evidence,
    (NOT c.passed AND (k.check_key IS NOT NULL OR a.document_id IS NOT NULL)) AS accepted,
    CASE WHEN c.passed THEN NULL WHEN k.check_key IS NOT NULL THEN 'check'
         WHEN a.document_id IS NOT NULL THEN 'document' END AS accepted_scope,
    CASE WHEN c.passed THEN NULL ELSE COALESCE(k.accepted_by, a.accepted_by) END AS accepted_by,
    CASE WHEN c.passed THEN NULL ELSE COALESCE(k.accepted_at, a.accepted_at) END AS accepted_at,
    CASE WHEN c.passed THEN NULL ELSE COALESCE(k.reason, a.reason) END AS accepted_reason
FROM check_result c
LEFT JOIN check_acceptance k ON k.document_id = c.document_id AND k.check_key = c.check_key
LEFT JOIN document_acceptance a ON a.document_id = c.document_id;
