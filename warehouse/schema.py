"""The warehouse tables. One definition serves DuckDB (default) and PostgreSQL.

Money is NUMERIC(20,2) in yuan. Every fact row names its document and source page.
Nothing here relies on reflection (it fails on duckdb 2.0 + duckdb_engine 0.17).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
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
           comment="first load of this content (UTC); history only: it decides no current version / 首次入库"),
    Column("loaded_at", DateTime(timezone=True), nullable=False, comment="last load time (UTC) / 入库时间"),
    Column("income_total_yuan", Money,
           comment="收入总计 (元): the 收支总表's 总计 line, carry-overs included (budgets and final accounts)"),
    Column("expenditure_total_yuan", Money,
           comment="支出总计 (元): the 收支总表's 总计 line, carry-overs included (budgets and final accounts)"),
    Column("basic_total_yuan", Money, comment="基本支出 (元)"),
    Column("project_total_yuan", Money, comment="项目支出 (元)"),
    Column("three_public_total_yuan", Money, comment="“三公”经费 (元)"),
    Column("totals_source", Text, comment="tables | narrative / 合计来源"),
    Column("unit_scope", Text,
           comment="scope printed after the unit name (本级, 汇总, 本部); unit_name is the name alone / 单位范围"),
    Column("identity_confidence", Numeric(3, 2),
           comment="how surely unit, year and kind were read from the document (0..1; below 0.5 quarantined) "
                   "/ 识别置信度"),
    Column("identity_evidence", Text,
           comment="JSON list of what decided unit, year and kind: field, value, source, page, text, weight "
                   "/ 识别依据"),
    Column("failure_kind", Text,
           comment="why a failed document failed (empty, not_pdf, timeout, crashed, memory_limit, out_of_range, "
                   "…); timeout, crashed, memory_limit and warehouse_error are read again by the next run "
                   "/ 失败类型"),
    Column("part", Text,
           comment="full | narrative | tables: which part of its disclosure the file holds (a narrative-only file and "
                   "its tables-only companion are parts of one disclosure) / 公开文件组成部分"),
    Column("current_year_income_yuan", Money, comment="本年收入合计 (元): income of the year, carry-overs excluded"),
    Column("current_year_expenditure_yuan", Money,
           comment="本年支出合计 (元): expenditure of the year, carry-overs excluded"),
    Column("carryover_in_yuan", Money,
           comment="年初结转和结余 / 上年结转 (元): carried over from earlier years, where printed"),
    Column("carryover_out_yuan", Money,
           comment="年末结转和结余 / 结转下年 (元): carried over to later years, where printed"),
    Column("printed_date", Date,
           comment="publication date printed alone on a line of the cover or title page (a month alone: its first "
                   "day); the newest is the current version / 印发日期"),
    Column("file_date", DateTime,
           comment="when the producer last wrote the PDF (its ModDate, else CreationDate; time zone ignored); "
                   "decides between versions printing the same date or none / 文件修改时间"),
    # Kept by the loader and budgetdw accept (warehouse/derived.py), read by the views: issue 26.7.
    Column("is_current", Boolean,
           comment="the newest version of its unit, scope, year, kind and part by publication evidence (printed_date, "
                   "file_date, document_id); kept by the loader / 当前版本"),
    Column("is_published", Boolean,
           comment="the version the published views show: the newest of its unit, scope, year, kind and part that "
                   "passed every error check or was accepted; kept by the loader and budgetdw accept / 发布版本"),
    Column("tables_found", BigInteger, comment="its doc_table rows, counted at load / 找到的表数"),
    Column("checks_run", BigInteger, comment="its check_result rows, counted at load / 校验数"),
    Column("checks_failed", BigInteger, comment="its failed checks, counted at load / 未通过校验数"),
    Column("check_errors", BigInteger,
           comment="its failed checks of error severity, counted at load / 未通过的错误级校验数"),
    Index("ix_document_unit_key", "unit_key"),
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
    Column("check_key", Text, comment="the check's stable key within its document: rule id, table, page and what "
                                      "is compared (hashed); the same check has the same key when the document is "
                                      "read again / 校验标识"),
    Column("observed_yuan", Money, comment="observed as an amount in yuan, where it is one / 观测值（元）"),
    Column("expected_yuan", Money, comment="expected as an amount in yuan, where it is one / 期望值（元）"),
    Column("evidence", Text, comment="JSON list of the check's operands: page, table, row, column, value as printed "
                                     "and, for a table cell, bbox [x0, y0, x1, y1] in PDF points (origin bottom-left "
                                     "of the unrotated page); a prose operand carries its sentence and page / 证据"),
    PrimaryKeyConstraint("document_id", "seq"),
    # The failed checks among millions, for v_check_result WHERE NOT passed; PostgreSQL only (migration 0011):
    # DuckDB has no partial index and scans check_result fast enough.
    Index("ix_check_result_failed", "document_id", postgresql_where=text("NOT passed")),
    comment="Validation results per document / 校验结果",
)

dim_econ_subject = Table(
    "dim_econ_subject",
    metadata,
    Column("classification", Text, nullable=False, comment="dept (部门预算支出经济分类) | gov (政府预算支出经济分类)"),
    Column("code", Text, nullable=False, comment="3/5-digit code / 经济分类科目编码"),
    Column("name", Text, nullable=False, comment="科目名称"),
    Column("level", Text, nullable=False, comment="类 / 款"),
    Column("parent_code", Text, comment="上级科目编码"),
    PrimaryKeyConstraint("classification", "code"),
    comment="Economic classification of expenditure, from pipelines/data/econ_classification.csv / 支出经济分类科目",
)

fact_basic_econ = Table(
    "fact_basic_econ",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False),
    Column("row_seq", Integer, nullable=False, comment="order in the table / 行序"),
    Column("page", Integer, nullable=False, comment="source page / 页码"),
    Column("printed_code", Text, comment="code as printed, if any / 原表编码"),
    Column("printed_name", Text, nullable=False, comment="name as printed / 原表名称"),
    Column("econ_code", Text, comment="部门预算支出经济分类 code (null: not resolved)"),
    Column("econ_name", Text),
    Column("gov_econ_code", Text, comment="政府预算支出经济分类 code"),
    Column("gov_econ_name", Text),
    Column("econ_level", Text, comment="类 / 款"),
    Column("resolved", Boolean, nullable=False, comment="name found in the catalog / 已匹配"),
    Column("personnel_yuan", Money, comment="人员经费 (元)"),
    Column("public_yuan", Money, comment="公用经费 (元)"),
    Column("total_yuan", Money, comment="合计 (元)"),
    Column("table_code", Text, comment="canonical code of its table (doc_table.table_code), kept at load / 标准表代码"),
    PrimaryKeyConstraint("document_id", "table_seq", "row_seq"),
    comment="Basic expenditure by economic subject / 基本支出分经济科目",
)

fact_narrative_claim = Table(
    "fact_narrative_claim",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("page", Integer, nullable=False, comment="source page / 页码"),
    Column("subject", Text, comment="what the claim is about (收入, 基本支出, 三公经费, 公共安全支出 …) / 主题"),
    Column("subject_code", Text, comment="function code when printed / 科目编码"),
    Column("year", Integer, comment="year the amount is for / 年度"),
    Column("amount_printed", Text, comment="as printed / 原文金额"),
    Column("amount_yuan", Money, comment="金额 (元)"),
    Column("percent", Numeric(9, 4), comment="share 占X% / 占比"),
    Column("percent_of", Text, comment="what the share is of / 占比基数"),
    Column("change_printed", Text, comment="change as printed / 原文增减额"),
    Column("change_yuan", Money, comment="signed change (元) / 增减额"),
    Column("change_percent", Numeric(9, 4), comment="signed change % / 增减率"),
    Column("direction", Text, comment="增加 / 减少 / 持平"),
    Column("compared_with", Text, comment="上年 / 2024年 … / 比较期"),
    Column("measure", Text, comment="年初预算 / 执行数 / 决算 … when named"),
    Column("text", Text, nullable=False, comment="the sentence / 原句"),
    PrimaryKeyConstraint("document_id", "seq"),
    comment="Amounts, shares and changes stated in the prose / 文字说明中的数据",
)

project = Table(
    "project",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("project_seq", Integer, nullable=False),
    Column("name", Text, nullable=False, comment="项目名称"),
    Column("department", Text, comment="主管部门及代码"),
    Column("implementing_unit", Text, comment="实施单位"),
    Column("attribute", Text, comment="项目属性"),
    Column("period", Text, comment="项目期"),
    Column("funds_unit", Text, comment="unit the form prints (元) / 金额单位"),
    Column("funds_total_period_yuan", Money, comment="实施期资金总额 (元)"),
    Column("funds_total_year_yuan", Money, comment="年度资金总额 (元)"),
    Column("central_year_yuan", Money, comment="年度 中央财政资金 (元)"),
    Column("provincial_year_yuan", Money, comment="年度 省级财政资金 (元)"),
    Column("local_year_yuan", Money, comment="年度 市县（区）财政资金 (元)"),
    Column("self_raised_year_yuan", Money, comment="年度 单位自筹 (元)"),
    Column("other_year_yuan", Money, comment="年度 其他资金 (元)"),
    Column("pages", Text, comment="页码"),
    Column("duplicate_of", Text, comment="name of the project this form repeats (null: not a duplicate) / 重复"),
    Column("duplicate_reason", Text),
    PrimaryKeyConstraint("document_id", "project_seq"),
    comment="Projects of the 项目支出绩效目标表 forms (duplicates kept and flagged) / 项目",
)

fact_performance_indicator = Table(
    "fact_performance_indicator",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("project_seq", Integer, nullable=False),
    Column("side", Text, nullable=False, comment="period (实施期) | year (年度)"),
    Column("row_seq", Integer, nullable=False),
    Column("page", Integer, nullable=False),
    Column("level1", Text, comment="一级指标"),
    Column("level2", Text, comment="二级指标"),
    Column("level3", Text, comment="三级指标"),
    Column("target_text", Text, comment="指标值 as printed"),
    Column("target_operator", Text, comment="≥ ≤ > < = or null"),
    Column("target_value", Numeric(20, 4), comment="parsed value"),
    Column("target_unit", Text, comment="e.g. 元/片, %, 名"),
    PrimaryKeyConstraint("document_id", "project_seq", "side", "row_seq"),
    comment="Performance indicators of each project / 绩效指标",
)

fact_holding = Table(
    "fact_holding",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("page", Integer, nullable=False),
    Column("kind", Text, nullable=False, comment="vehicles | floor_area | equipment"),
    Column("label", Text, nullable=False, comment="编制 / 实有 / 执法执勤用车 / 办公用房建筑总面积 …"),
    Column("quantity", Numeric(20, 2), nullable=False),
    Column("unit", Text, nullable=False, comment="辆 / 平方米 / 台（套）"),
    Column("text", Text, nullable=False, comment="the sentence / 原句"),
    PrimaryKeyConstraint("document_id", "seq"),
    comment="Vehicles, floor area and equipment the prose states / 资产占有情况",
)

fact_three_public = Table(
    "fact_three_public",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("part", Text, nullable=False,
           comment="total | vehicles | vehicle_purchase | vehicle_operation | outbound | reception | meetings "
                   "| training"),
    Column("phase", Text, nullable=False, comment="budget (预算数) | final (决算数)"),
    Column("amount_yuan", Money, nullable=False, comment="金额 (元)"),
    Column("page", Integer, nullable=False, comment="source page / 页码"),
    PrimaryKeyConstraint("document_id", "part", "phase"),
    comment="“三公” expenses and their parts (因公出国（境）, 公务接待, 公务用车购置/运行) "
            "/ “三公”经费",
)

document_amount_sum = Table(
    "document_amount_sum",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False, comment="order in the document / 表序"),
    Column("table_code", Text, nullable=False, comment="canonical table code / 标准表代码"),
    Column("measure", Text, comment="measure key (total, basic, project, …; null: none) / 度量"),
    Column("amount_yuan", Money, nullable=False, comment="the sum of its fact_amount rows (元) / 金额合计(元)"),
    Column("amounts", BigInteger, nullable=False, comment="how many fact_amount rows it sums / 金额个数"),
    Index("ix_document_amount_sum_document", "document_id"),
    comment="Each document's amounts summed by table and measure, kept by the loader (warehouse/derived.py): "
            "what v_amount_sum reads / 金额按表与度量汇总",
)

document_subject_sum = Table(
    "document_subject_sum",
    metadata,
    Column("document_id", Text, nullable=False),
    Column("table_seq", Integer, nullable=False, comment="the table the subjects are read from / 表序"),
    Column("table_code", Text, nullable=False, comment="its canonical code / 标准表代码"),
    Column("subject_code", Text, nullable=False, comment="function subject code / 科目编码"),
    Column("subject_name", Text, nullable=False, comment="as printed / 科目名称"),
    Column("subject_level", Text, nullable=False, comment="类 / 款 / 项"),
    Column("parent_code", Text, comment="上级科目编码"),
    Column("page", Integer, nullable=False, comment="source page / 页码"),
    Column("total_yuan", Money, comment="合计 (元)"),
    Column("basic_yuan", Money, comment="基本支出 (元)"),
    Column("project_yuan", Money, comment="项目支出 (元)"),
    Index("ix_document_subject_sum_document", "document_id"),
    comment="Each document's expenditure by function subject (its 支出总表, else 一般公共预算支出表, else "
            "财政拨款支出表), kept by the loader (warehouse/derived.py): what v_expenditure_by_subject reads "
            "/ 分科目支出",
)

document_acceptance = Table(
    "document_acceptance",
    metadata,
    Column("document_id", Text, primary_key=True, comment="the quarantined document accepted / 文档标识"),
    Column("accepted_by", Text, nullable=False, comment="who accepted it / 接受人"),
    Column("accepted_at", DateTime(timezone=True), nullable=False, comment="when (UTC) / 接受时间"),
    Column("reason", Text, nullable=False, comment="why it is published despite failed checks / 理由"),
    comment="Quarantined documents published deliberately (budgetdw accept); kept across reloads / 人工放行",
)

check_acceptance = Table(
    "check_acceptance",
    metadata,
    Column("document_id", Text, nullable=False, comment="the document / 文档标识"),
    Column("check_key", Text, nullable=False, comment="the failed check accepted (check_result.check_key) / 校验标识"),
    Column("check_id", Text, nullable=False, comment="its rule id / 规则"),
    Column("accepted_by", Text, nullable=False, comment="who accepted it / 接受人"),
    Column("accepted_at", DateTime(timezone=True), nullable=False, comment="when (UTC) / 接受时间"),
    Column("reason", Text, nullable=False, comment="why the failure is accepted / 理由"),
    PrimaryKeyConstraint("document_id", "check_key"),
    comment="Failed checks of one document accepted deliberately (budgetdw accept --check); kept across reloads "
            "/ 单项校验放行",
)

# Delete order for reloading one document (facts before the document row). document_acceptance
# and check_acceptance are not among them: a decision taken about a document outlives reloads of it.
DOCUMENT_TABLES = (document_amount_sum, document_subject_sum, check_result, fact_three_public, fact_holding,
                   fact_performance_indicator, project, fact_narrative_claim, fact_basic_econ, fact_subject_row,
                   fact_amount, doc_table, document)
