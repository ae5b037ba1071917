-- “三公” expenses and their parts per unit and year, from the published documents' “三公” tables:
-- one column per part, so a line chart over fiscal_year shows the trend. phase: the amounts' own, budget (预算数)
-- or final (决算数): a final account prints both, so its budget and actual are two rows (a part budgeted and
-- left blank in the 决算数 column spent 0.00).
CREATE VIEW v_three_public_trend AS
SELECT
    d.unit_key,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    d.unit_scope,
    t.phase,
    CAST(SUM(CASE WHEN t.part = 'total' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS three_public_yuan,
    CAST(SUM(CASE WHEN t.part = 'outbound' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS outbound_yuan,
    CAST(SUM(CASE WHEN t.part = 'reception' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS reception_yuan,
    CAST(SUM(CASE WHEN t.part = 'vehicles' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS vehicles_yuan,
    CAST(SUM(CASE WHEN t.part = 'vehicle_purchase' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS vehicle_purchase_yuan,
    CAST(SUM(CASE WHEN t.part = 'vehicle_operation' THEN t.amount_yuan END) AS NUMERIC(20, 2)) AS vehicle_operation_yuan,
    d.document_id
FROM fact_three_public t
JOIN v_published_document d ON d.document_id = t.document_id
GROUP BY d.unit_key, d.unit_name, d.fiscal_year, d.doc_kind, d.unit_scope, t.phase, d.document_id;
