-- Every printed amount of the published documents, with the names of its table and measure:
-- the widest view for pivot tables in a BI tool.
CREATE VIEW v_amount AS
SELECT
    d.document_id,
    d.unit_key,
    d.unit_name,
    d.fiscal_year,
    d.doc_kind,
    a.table_code,
    k.name_zh AS table_name,
    a.table_seq,
    a.page,
    a.row_index,
    a.row_label,
    a.subject_code,
    s.subject_level,
    a.column_name,
    a.measure,
    m.name_zh AS measure_name,
    m.kind AS measure_kind,
    a.amount_printed,
    a.amount_yuan
FROM fact_amount a
JOIN v_published_document d ON d.document_id = a.document_id
LEFT JOIN dim_table_kind k ON k.table_code = a.table_code
LEFT JOIN dim_measure m ON m.measure = a.measure
LEFT JOIN dim_function_subject s ON s.subject_code = a.subject_code;
