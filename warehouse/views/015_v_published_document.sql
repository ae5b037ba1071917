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
FROM document
    -- is_published: kept by the loader and budgetdw accept in the transaction that changes it (warehouse/derived.py,
    -- which holds the rule above); ranking every document and testing four subqueries on each at every query cost
    -- PostgreSQL seconds on 30,000 documents and a misestimate of how many are published (issue 26.7).
WHERE is_published;
