-- Projects of the published documents with their yearly funds and number of indicators.
CREATE VIEW v_project AS
SELECT
    d.document_id,
    d.unit_name,
    d.fiscal_year,
    p.name AS project_name,
    p.department,
    p.attribute,
    p.funds_total_period_yuan,
    p.funds_total_year_yuan,
    (SELECT COUNT(*) FROM fact_performance_indicator i
     WHERE i.document_id = p.document_id AND i.project_seq = p.project_seq AND i.side = 'period'
       AND i.level3 IS NOT NULL AND i.level3 <> '') AS indicators,
    p.pages
FROM project p
JOIN v_published_document d ON d.document_id = p.document_id
WHERE p.duplicate_of IS NULL;
