-- The documents whose numbers the published views show: for each unit and scope, fiscal year and kind, the
-- newest version (by publication evidence, as v_document.is_current) that passed every error-severity check,
-- or that was quarantined and then accepted
-- deliberately: as a whole (budgetdw accept, recorded in document_acceptance), or check by check until
-- no failed error check is left unaccepted (budgetdw accept --check, check_acceptance: such a document
-- counts as accepted, its status stays quarantined). Other quarantined and failed
-- documents and superseded versions are left out (they stay in v_document). phase: budget (预算) or final
-- (决算), from the document's kind. A disclosure published over two files (part: narrative, tables) has a
-- current version of each part, sharing its disclosure_id.
CREATE VIEW v_published_document AS
SELECT document_id, unit_key, unit_name, fiscal_year, doc_kind, unit_scope,
       CASE WHEN doc_kind LIKE '%final' THEN 'final' ELSE 'budget' END AS phase,
       md5(unit_key || '|' || COALESCE(unit_scope, '') || '|' || CAST(fiscal_year AS VARCHAR) || '|' || doc_kind)
           AS disclosure_id,
       part
FROM (
    -- The first of each version group in this order (as v_document.is_current's ROW_NUMBER() = 1). DISTINCT ON,
    -- not a filter on ROW_NUMBER(): PostgreSQL estimates the rows of a DISTINCT ON from the columns' statistics
    -- (≈ one per group), but a ROW_NUMBER() = 1 filter as 0.5% of them, and then joins the facts of a
    -- 30,000-document warehouse document by document (issue 26.7: 12.8 s for a sum of v_amount).
    SELECT DISTINCT ON (d.unit_key, d.unit_scope, d.fiscal_year, d.doc_kind, d.part)
        d.document_id, d.unit_key, d.unit_name, d.fiscal_year, d.doc_kind, d.unit_scope, d.part
    FROM document d
    WHERE d.status = 'published'
       OR (d.status = 'quarantined' AND EXISTS (
               SELECT 1 FROM document_acceptance a WHERE a.document_id = d.document_id))
       OR (d.status = 'quarantined'
           AND EXISTS (SELECT 1 FROM check_acceptance k WHERE k.document_id = d.document_id)
           AND NOT EXISTS (
               SELECT 1 FROM check_result c
               WHERE c.document_id = d.document_id AND c.severity = 'error' AND NOT c.passed
                 AND NOT EXISTS (SELECT 1 FROM check_acceptance k
                                 WHERE k.document_id = c.document_id AND k.check_key = c.check_key)))
    ORDER BY d.unit_key, d.unit_scope, d.fiscal_year, d.doc_kind, d.part,
             d.printed_date DESC NULLS LAST, d.file_date DESC NULLS LAST, d.document_id
) current_version;
