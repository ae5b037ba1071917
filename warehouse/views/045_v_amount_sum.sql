-- The amounts of v_amount summed per published document, table and measure, kept by the loader
-- (document_amount_sum): sums of v_amount by unit, year, kind, table or measure give the same totals from
-- ≈16 rows a document instead of ≈270 — what a dashboard summing every amount should read. amounts: how
-- many printed amounts each row sums (COUNT(*) of v_amount is SUM(amounts) here).
CREATE VIEW v_amount_sum AS
SELECT
    d.document_id,
    d.unit_key,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    s.table_code,
    k.name_zh AS table_name,
    s.table_seq,
    s.measure,
    m.name_zh AS measure_name,
    m.kind AS measure_kind,
    s.amount_yuan,
    s.amounts
FROM document_amount_sum s
JOIN v_published_document d ON d.document_id = s.document_id
LEFT JOIN dim_table_kind k ON k.table_code = s.table_code
LEFT JOIN dim_measure m ON m.measure = s.measure;
