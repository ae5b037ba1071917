-- Budget against actual in each published final account (决算), per function subject: 年初预算 (budget_yuan),
-- 全年预算 / 调整预算 (adjusted_budget_yuan) and 决算 (actual_yuan). source 'table': a 决算 table that prints those
-- columns (一般公共预算财政拨款支出决算表 with 年初预算数 | 全年预算数 | 决算数; the first such table of the
-- document, its 合计 or 小计 column of each); source 'prose': the 情况说明's figures («年初预算为1560.05万元，支出
-- 决算为1511.89万元»), for the subjects no such table prints, its 类/款/项 names resolved to the document's subject
-- codes (a subject the tables do not print, e.g. “三公”经费, keeps its name and no code, and only where the
-- document prints no such table). completion_percent = actual / (全年预算, else 年初预算) × 100;
-- completion_percent_stated: the ratio the prose prints (完成年初预算的98.20%), on a table's row too where the prose
-- states it for the same subject (its 类/款/项 resolved to the row's code) and of the budget completion_percent is
-- of (完成全年预算数的97.80% where the row has a 全年预算, 完成年初预算的… where it has only a 年初预算, 完成预算的… either).
CREATE VIEW v_budget_vs_actual AS
WITH phase_amount AS (
    SELECT a.document_id, a.table_seq, a.table_code, a.row_index, a.page, a.amount_yuan,
           CASE WHEN a.column_name LIKE '%年初预算%' THEN 'budget'
                WHEN a.column_name LIKE '%全年预算%' OR a.column_name LIKE '%调整预算%'
                  OR a.column_name LIKE '%调整后预算%' THEN 'adjusted'
                WHEN a.column_name LIKE '%决算%' OR a.column_name LIKE '%执行数%' THEN 'actual'
           END AS figure
    FROM fact_amount a
    WHERE a.measure IS NULL OR a.measure = 'total'
),
phase_table AS (
    SELECT document_id, table_seq
    FROM (
        SELECT p.document_id, p.table_seq,
               ROW_NUMBER() OVER (
                   PARTITION BY p.document_id
                   ORDER BY CASE p.table_code WHEN 'general_budget_expenditure' THEN 1
                                              WHEN 'appropriation_expenditure' THEN 2 ELSE 3 END, p.table_seq
               ) AS preference
        FROM phase_amount p
        JOIN fact_subject_row r
            ON r.document_id = p.document_id AND r.table_seq = p.table_seq AND r.row_index = p.row_index
        WHERE p.figure IN ('budget', 'adjusted')
        GROUP BY p.document_id, p.table_seq, p.table_code
    ) ranked
    WHERE preference = 1
),
table_rows AS (
    SELECT r.document_id, r.subject_code, r.subject_name, r.subject_level, MIN(p.page) AS page,
           SUM(CASE WHEN p.figure = 'budget' THEN p.amount_yuan END) AS budget_yuan,
           SUM(CASE WHEN p.figure = 'adjusted' THEN p.amount_yuan END) AS adjusted_budget_yuan,
           SUM(CASE WHEN p.figure = 'actual' THEN p.amount_yuan END) AS actual_yuan
    FROM phase_table t
    JOIN fact_subject_row r ON r.document_id = t.document_id AND r.table_seq = t.table_seq
    JOIN phase_amount p
        ON p.document_id = r.document_id AND p.table_seq = r.table_seq AND p.row_index = r.row_index
    WHERE p.figure IS NOT NULL
    GROUP BY r.document_id, r.table_seq, r.row_index, r.subject_code, r.subject_name, r.subject_level
),
subject_path AS (
    -- 类/款/项 names joined as the prose names a subject (一般公共服务支出/财政事务/行政运行)
    SELECT r.document_id,
           CASE r.subject_level WHEN '类' THEN r.subject_name
                                WHEN '款' THEN c.subject_name || '/' || r.subject_name
                                ELSE c.subject_name || '/' || k.subject_name || '/' || r.subject_name END AS path,
           MIN(r.subject_code) AS subject_code, MIN(r.subject_name) AS subject_name,
           MIN(r.subject_level) AS subject_level
    FROM fact_subject_row r
    LEFT JOIN fact_subject_row k
        ON k.document_id = r.document_id AND k.table_seq = r.table_seq AND k.subject_code = r.parent_code
    LEFT JOIN fact_subject_row c
        ON c.document_id = r.document_id AND c.table_seq = r.table_seq
       AND c.subject_code = CASE WHEN r.subject_level = '项' THEN k.parent_code ELSE r.parent_code END
    WHERE r.subject_code IS NOT NULL
    GROUP BY r.document_id,
             CASE r.subject_level WHEN '类' THEN r.subject_name
                                  WHEN '款' THEN c.subject_name || '/' || r.subject_name
                                  ELSE c.subject_name || '/' || k.subject_name || '/' || r.subject_name END
),
prose_claim AS (
    SELECT c.document_id, c.seq, c.subject, c.subject_code, c.page, c.amount_yuan, c.percent, c.percent_of,
           CASE c.measure WHEN '年初预算' THEN 'budget' WHEN '全年预算' THEN 'adjusted' ELSE 'actual' END AS figure,
           ROW_NUMBER() OVER (PARTITION BY c.document_id, c.subject, c.measure ORDER BY c.seq) AS nth
    FROM fact_narrative_claim c
    JOIN document d ON d.document_id = c.document_id
    WHERE c.measure IN ('年初预算', '全年预算', '决算') AND c.amount_yuan IS NOT NULL
      AND (c.year IS NULL OR c.year = d.fiscal_year)
),
prose_rows AS (
    SELECT p.document_id, p.subject,
           COALESCE(MAX(p.subject_code), MAX(s.subject_code)) AS subject_code,
           MAX(s.subject_name) AS subject_name, MAX(s.subject_level) AS subject_level, MIN(p.page) AS page,
           MAX(CASE WHEN p.figure = 'budget' THEN p.amount_yuan END) AS budget_yuan,
           MAX(CASE WHEN p.figure = 'adjusted' THEN p.amount_yuan END) AS adjusted_budget_yuan,
           MAX(CASE WHEN p.figure = 'actual' THEN p.amount_yuan END) AS actual_yuan,
           MAX(CASE WHEN p.figure = 'actual' AND p.percent_of LIKE '完成%' THEN p.percent END) AS stated
    FROM prose_claim p
    LEFT JOIN subject_path s ON s.document_id = p.document_id AND s.path = p.subject
    WHERE p.nth = 1
    GROUP BY p.document_id, p.subject
    HAVING MAX(CASE WHEN p.figure = 'actual' THEN 1 END) = 1
       AND MAX(CASE WHEN p.figure IN ('budget', 'adjusted') THEN 1 END) = 1
),
prose_stated AS (
    -- the first completion ratio the prose states of each subject's 决算, and the budget it names
    SELECT document_id, subject_code, base, percent
    FROM (
        SELECT p.document_id, COALESCE(p.subject_code, s.subject_code) AS subject_code, p.percent,
               CASE WHEN p.percent_of LIKE '%年初预算%' THEN 'budget'
                    WHEN p.percent_of LIKE '%全年预算%' OR p.percent_of LIKE '%调整%预算%' THEN 'adjusted' END AS base,
               ROW_NUMBER() OVER (PARTITION BY p.document_id, COALESCE(p.subject_code, s.subject_code)
                                  ORDER BY p.seq) AS nth
        FROM prose_claim p
        LEFT JOIN subject_path s ON s.document_id = p.document_id AND s.path = p.subject
        WHERE p.figure = 'actual' AND p.percent_of LIKE '完成%' AND p.percent IS NOT NULL
    ) ranked
    WHERE nth = 1 AND subject_code IS NOT NULL
),
figures AS (
    SELECT t.document_id, t.subject_code, t.subject_name, t.subject_level, t.budget_yuan, t.adjusted_budget_yuan,
           t.actual_yuan, ps.percent AS stated, t.page, 'table' AS source
    FROM table_rows t
    LEFT JOIN prose_stated ps
        ON ps.document_id = t.document_id AND ps.subject_code = t.subject_code
       AND (ps.base IS NULL
            OR ps.base = CASE WHEN t.adjusted_budget_yuan IS NOT NULL THEN 'adjusted' ELSE 'budget' END)
    UNION ALL
    SELECT p.document_id, p.subject_code, COALESCE(p.subject_name, p.subject), p.subject_level, p.budget_yuan,
           p.adjusted_budget_yuan, p.actual_yuan, p.stated, p.page, 'prose' AS source
    FROM prose_rows p
    WHERE NOT EXISTS (SELECT 1 FROM table_rows t WHERE t.document_id = p.document_id
                      AND (t.subject_code = p.subject_code OR p.subject_code IS NULL))
)
SELECT
    d.document_id,
    d.unit_name,
    d.unit_scope,
    d.fiscal_year,
    d.doc_kind,
    d.phase,
    f.subject_code,
    f.subject_name,
    f.subject_level,
    CAST(f.budget_yuan AS NUMERIC(20, 2)) AS budget_yuan,
    CAST(f.adjusted_budget_yuan AS NUMERIC(20, 2)) AS adjusted_budget_yuan,
    CAST(f.actual_yuan AS NUMERIC(20, 2)) AS actual_yuan,
    CAST(ROUND(CAST(f.actual_yuan AS NUMERIC(20, 2)) * 100
               / NULLIF(COALESCE(f.adjusted_budget_yuan, f.budget_yuan), 0), 2) AS NUMERIC(9, 2)) AS completion_percent,
    CAST(f.stated AS NUMERIC(9, 2)) AS completion_percent_stated,
    f.page,
    f.source
FROM figures f
JOIN v_published_document d ON d.document_id = f.document_id
WHERE d.phase = 'final';
