-- Every amount, share (占X%) and change (比上年增加/减少 X万元, X%) the prose of a document states,
-- with the sentence and page it was read from. All documents, whatever their status, so that the
-- claims of a quarantined document can be checked by an analyst.
CREATE VIEW v_narrative_claim AS
SELECT
    c.document_id,
    c.subject,
    c.amount_yuan,
    c.percent,
    c.change_yuan,
    c.change_percent,
    c.text,
    c.page,
    c.subject_code,
    c.year,
    c.amount_printed,
    c.percent_of,
    c.change_printed,
    c.direction,
    c.compared_with,
    c.measure,
    d.unit_name,
    d.fiscal_year
FROM fact_narrative_claim c
JOIN document d ON d.document_id = c.document_id;
