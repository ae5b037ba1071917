-- Performance indicators of each project's 绩效目标表 (the 实施期 side; the 年度 side is in
-- fact_performance_indicator with side = 'year'). Forms that repeat a project are left out.
CREATE VIEW v_performance_indicator AS
SELECT
    i.document_id,
    p.name AS project_name,
    i.level1,
    i.level2,
    i.level3,
    i.target_text,
    i.target_operator,
    i.target_value,
    i.target_unit,
    i.page,
    p.department,
    p.funds_total_year_yuan
FROM fact_performance_indicator i
JOIN project p ON p.document_id = i.document_id AND p.project_seq = i.project_seq
WHERE i.side = 'period' AND p.duplicate_of IS NULL AND i.level3 IS NOT NULL AND i.level3 <> '';
