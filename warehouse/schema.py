"""The warehouse tables. One definition serves DuckDB (default) and PostgreSQL.

Money is NUMERIC(20,2) in yuan. Every fact row names its document and source page.
Nothing here relies on reflection (it fails on duckdb 2.0 + duckdb_engine 0.17).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
)

metadata = MetaData()
Money = Numeric(20, 2)

dim_unit = Table(
    "dim_unit",
    metadata,
    Column("unit_key", Text, primary_key=True, comment="normalised unit name / 单位标识"),
    Column("unit_name", Text, nullable=False, comment="name as first printed / 单位名称"),
    Column("region", Text, comment="province/city/district where known / 地区"),
    Column("parent_unit_key", Text, comment="parent department where known / 主管部门"),
    comment="Budget units and departments / 预算单位",
)

dim_unit_alias = Table(
    "dim_unit_alias",
    metadata,
    Column("alias", Text, primary_key=True, comment="a printed form of the unit name / 单位名称写法"),
    Column("unit_key", Text, nullable=False, comment="unit / 单位标识"),
    comment="Printed unit names → one unit (中共江苏省委办公厅 = 江苏省委办公厅) / 单位别名",
)

dim_measure = Table(
    "dim_measure",
    metadata,
    Column("measure", Text, primary_key=True, comment="measure key / 度量"),
    Column("name_zh", Text, nullable=False, comment="中文名"),
    Column("name_en", Text, nullable=False, comment="English name"),
    Column("kind", Text, nullable=False, comment="total | component | fund_source | period / 类型"),
    comment="Measure columns of the tables, fund sources included / 度量与资金来源",
)

dim_table_kind = Table(
    "dim_table_kind",
    metadata,
    Column("table_code", Text, primary_key=True, comment="canonical table code / 标准表代码"),
    Column("name_zh", Text, nullable=False, comment="中文名"),
    Column("name_en", Text, nullable=False, comment="English name"),
    comment="Canonical disclosure tables / 标准公开表",
)

dim_function_subject = Table(
    "dim_function_subject",
    metadata,
    Column("subject_code", Text, primary_key=True, comment="3/5/7-digit function code / 功能分类科目编码"),
    Column("subject_name", Text, nullable=False, comment="name as first printed / 科目名称"),
    Column("subject_level", Text, nullable=False, comment="类 / 款 / 项"),
    Column("parent_code", Text, comment="code of the 类 or 款 above / 上级科目编码"),
    Column("first_year", Integer, comment="first fiscal year seen / 最早年度"),
    Column("last_year", Integer, comment="last fiscal year seen / 最近年度"),
    comment="Government revenue and expenditure function classification / 政府收支功能分类科目",
)

document = Table(
    "document",
    metadata,
    Column("document_id", Text, primary_key=True, comment="sha256 of the original PDF / 文档标识"),
    Column("unit_key", Text, comment="unit / 单位标识"),
    Column("unit_name", Text, comment="unit name as printed / 单位名称"),
    Column("fiscal_year", Integer, comment="fiscal year / 预算年度"),
    Column("doc_kind", Text, comment="unit_budget | dept_budget | unit_final | dept_final / 文档类型"),
    Column("money_unit", Text, comment="unit most tables print amounts in (元/万元) / 金额单位"),
    Column("source_uri", Text, nullable=False, comment="path or URL the PDF came from / 来源"),
    Column("raw_path", Text, nullable=False, comment="content-addressed copy of the original / 原件存档"),
    Column("page_count", Integer, comment="pages / 页数"),
    Column("toc_tables", Integer, comment="tables the document's 目录 lists / 目录所列表数"),
    Column("status", Text, nullable=False, comment="published | quarantined | failed / 状态"),
    Column("error", Text, comment="why the document failed / 错误"),
    Column("parser_version", Text, nullable=False, comment="budgetdw parser version / 解析器版本"),
    Column("first_seen_at", DateTime(timezone=True), nullable=False,
           comment="first load of this content (UTC); the newest per unit/year/kind is current / 首次入库"),
    Column("loaded_at", DateTime(timezone=True), nullable=False, comment="last load time (UTC) / 入库时间"),
    Column("income_total_yuan", Money, comment="收入总计 (元)"),
    Column("expenditure_total_yuan", Money, comment="支出总计 (元)"),
    Column("basic_total_yuan", Money, comment="基本支出 (元)"),
    Column("project_total_yuan", Money, comment="项目支出 (元)"),
    Column("three_public_total_yuan", Money, comment="“三公”经费 (元)"),
    Column("totals_source", Text, comment="tables | narrative / 合计来源"),
    comment="One row per disclosure PDF / 公开文档",
)

doc_table = Table(
    "doc_table",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False, comment="order in the document / 表序"),
    Column("table_code", Text, nullable=False, comment="canonical table code / 标准表代码"),
    Column("title", Text, comment="title as printed / 表名"),
    Column("number_label", Text, comment="e.g. 预算公开表1 / 表号"),
    Column("money_unit", Text, comment="元/万元 as printed above the table / 金额单位"),
    Column("pages", Text, comment="pages, comma separated / 页码"),
    Column("row_count", Integer, comment="body rows / 行数"),
    Column("is_empty", Boolean, comment="printed as 本表无数据 / 空表"),
    PrimaryKeyConstraint("document_id", "table_seq"),
    comment="Tables found in each document / 文档中的表",
)

fact_amount = Table(
    "fact_amount",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False),
    Column("table_code", Text, nullable=False),
    Column("row_index", Integer, nullable=False, comment="0-based body row / 行"),
    Column("column_index", Integer, nullable=False, comment="0-based column / 列"),
    Column("page", Integer, nullable=False, comment="source page / 页码"),
    Column("row_label", Text, comment="row label as printed / 行标签"),
    Column("subject_code", Text, comment="function subject code of the row / 科目编码"),
    Column("column_name", Text, comment="joined header text / 列名"),
    Column("measure", Text, comment="measure key (total, basic, project, …) / 度量"),
    Column("amount_printed", Text, nullable=False, comment="as printed / 原文"),
    Column("amount_yuan", Money, nullable=False, comment="exact amount in yuan / 金额(元)"),
    PrimaryKeyConstraint("document_id", "table_seq", "row_index", "column_index"),
    comment="Every printed amount of every table / 所有表格金额",
)

fact_subject_row = Table(
    "fact_subject_row",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False),
    Column("table_code", Text, nullable=False),
    Column("row_index", Integer, nullable=False),
    Column("page", Integer, nullable=False),
    Column("subject_code", Text, comment="null on the 合计 row / 科目编码"),
    Column("subject_name", Text, nullable=False, comment="as printed / 科目名称"),
    Column("subject_level", Text, nullable=False, comment="类 / 款 / 项 / 合计"),
    Column("parent_code", Text),
    PrimaryKeyConstraint("document_id", "table_seq", "row_index"),
    comment="Rows of subject tables (收入总表, 支出总表, …) / 科目行",
)

check_result = Table(
    "check_result",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("check_id", Text, nullable=False, comment="rule id from the rule catalog / 规则"),
    Column("severity", Text, nullable=False, comment="error | warning"),
    Column("passed", Boolean, nullable=False),
    Column("observed", Text),
    Column("expected", Text),
    Column("message", Text, nullable=False),
    Column("table_seq", Integer),
    Column("page", Integer),
    PrimaryKeyConstraint("document_id", "seq"),
    comment="Validation results per document / 校验结果",
)

# Delete order for reloading one document (facts before the document row).
DOCUMENT_TABLES = (check_result, fact_subject_row, fact_amount, doc_table, document)
