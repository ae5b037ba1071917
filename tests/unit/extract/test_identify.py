"""Identity from a document's own text: small cases built from lines printed in real disclosures
(the city that prints each layout is named; tests/integration/test_identity_corpus.py runs the corpora)."""

import pytest

from pipelines.extract.identify import (
    MIN_CONFIDENCE,
    IdentificationError,
    NotADisclosure,
    clean_name,
    identify,
    labelled_units,
    parse_title,
)
from pipelines.extract.pdftext import Page


def _pages(*texts: str) -> list[Page]:
    return [Page(i + 1, text, 595.0, 842.0) for i, text in enumerate(texts)]


def _who(identity):
    return identity.unit_name, identity.unit_scope, identity.fiscal_year, identity.doc_kind


TABLE_PAGE = "表1\n收支总表\n部门名称：{unit} 单位：万元\n项目 预算数\n收 入 总 计 1,000.00 支 出 总 计 1,000.00"


def test_title_broken_inside_a_word_is_joined():
    # Shenzhen prints “2026 年深圳市交通运输局（本级）部” / “门预算”; Yantai “…工业和信息化局部” / “门预算”.
    pages = _pages("2026 年深圳市交通运输局（本级）部\n门预算",
                   "目 录\n一、文字部分\n第一部分 部门概况",
                   TABLE_PAGE.format(unit="深圳市交通运输局（本级）"))
    identity = identify(pages, "P01.pdf")
    assert _who(identity) == ("深圳市交通运输局", "本级", 2026, "dept_budget")
    assert identity.confidence >= 0.9
    assert identity.evidence[0].page == 1 and identity.evidence[0].source == "cover"


def test_name_over_two_cover_lines_is_not_truncated():
    # Fuzhou: “2026 年度” / “福州经济技术开发区生态” / “环境局” / “单位预算”, no name in the table headers.
    identity = identify(_pages("2026 年度\n福州经济技术开发区生态\n环境局\n单位预算", "目录\n一、收支预算总表……6"))
    assert _who(identity) == ("福州经济技术开发区生态环境局", None, 2026, "unit_budget")


def test_regional_title_takes_the_labelled_unit():
    # Shanghai: “上海市2026年市级单位预算” names the region; the unit is labelled under it.
    identity = identify(_pages("上海市2026年市级单位预算\n2026年1月\n预算单位：上海钻石宝玉石交易联合管理办公室",
                               "目 录\n一、单位主要职能\n五、单位预算表"))
    assert _who(identity) == ("上海钻石宝玉石交易联合管理办公室", None, 2026, "unit_budget")


def test_scope_goes_to_its_own_field():
    # Xi'an: “西安市财政局（汇总）” / “2026年部门预算公开说明”; Fuzhou prints ASCII “(本级)”.
    assert _who(identify(_pages("西安市财政局（汇总）\n2026年部门预算公开说明"))) == (
        "西安市财政局", "汇总", 2026, "dept_budget")
    assert _who(identify(_pages("2026 年度\n福州市民政局(本级)\n单位预算"))) == (
        "福州市民政局", "本级", 2026, "unit_budget")


def test_the_year_printed_wins_over_the_file_name():
    # A file named as a 2026 budget holds Xi'an's 2022 综合预算.
    identity = identify(_pages("西安市交通运输局 2022 年部门综合预算\n目 录\n第一部分 部门概况"),
                        "交通运输局_2026年部门预算.pdf")
    assert _who(identity) == ("西安市交通运输局", None, 2022, "dept_budget")


def test_final_account():
    identity = identify(_pages("上海市普陀区财政局\n2024年度部门决算", "目 录\n第一部分 上海市普陀区财政局概况"))
    assert _who(identity) == ("上海市普陀区财政局", None, 2024, "dept_final")


def test_title_without_kind_word_takes_the_kind_from_the_toc():
    # Jiangsu's high court 2018: “2018 年度江苏省高级” / “人民法院预算公开”, 目录 “第一部分 部门概况”.
    identity = identify(_pages("2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日",
                               "目 录\n第一部分 部门概况\n一、主要职能。"))
    assert _who(identity) == ("江苏省高级人民法院", None, 2018, "dept_budget")


def test_no_cover_in_the_text_layer_takes_the_attachment_line():
    # Beijing's 人民政府办公厅: the cover is an image; the last page names the attachment.
    identity = identify(_pages("- 1 -\n第一部分 2026 年度部门预算情况说明\n一、部门情况说明",
                               "北京市人民政府办公厅主要职责包括：……",
                               "第二部分 2026 年度部门预算报表\n附件：北京市人民政府办公厅 2026 年度部门预算报表"))
    assert _who(identity) == ("北京市人民政府办公厅", None, 2026, "dept_budget")


def test_tables_only_file_reads_the_year_from_a_table_title():
    # Jiangsu's tables-only files: no cover, 部门：X over each table, the year in one title only.
    header = "公开{n:02d}表\n部门：江苏省政协办公厅 单位：万元\n项目名称 金额\n合计 10,150.48\n{title}"
    pages = _pages(header.format(n=1, title="收支预算总表"), header.format(n=2, title="收入预算总表"),
                   header.format(n=12, title="2018年政府采购预算表"))
    identity = identify(pages, "P07.pdf")
    assert _who(identity) == ("江苏省政协办公厅", None, 2018, "dept_budget")
    assert identity.confidence >= MIN_CONFIDENCE


def test_a_year_only_the_creation_date_tells_is_not_trusted_alone():
    header = "公开{n:02d}表\n部门：江苏省政协办公厅 单位：万元\n项目名称 金额\n合计 10,150.48\n收支预算总表"
    pages = _pages(*(header.format(n=n) for n in (1, 2, 3)))
    alone = identify(pages, "P08.pdf", {"CreationDate": "D:20180223152957+08'00'"})
    assert alone.fiscal_year == 2018
    assert alone.confidence < MIN_CONFIDENCE  # quarantined by identity.confidence, naming the evidence
    assert "fiscal_year" in alone.weakest() and "CreationDate 2018-02-23" in alone.weakest()
    agreed = identify(pages, "js-cppcc-office_2018_dept-budget-tables.pdf", {"CreationDate": "D:20180223"})
    assert agreed.fiscal_year == 2018 and agreed.confidence >= MIN_CONFIDENCE


def test_a_line_wrapped_label_counts_for_the_whole_name():
    header = "部门：中国共产党江苏省委员会办公厅 单位：万元\n收支预算总表\n2017年政府采购预算表"
    pages = _pages(header, "部门：中国共产党江苏省委员会办\n公厅 单位：万元\n收入预算总表", header)
    identity = identify(pages)
    assert identity.unit_name == "中国共产党江苏省委员会办公厅"
    assert identity.field_confidence["unit_name"] >= 0.9


def test_abbreviations_headings_and_fragments_are_never_the_unit():
    # Jiangsu's 目录 says “第二部分 省人大办公厅 2017 年度部门预算表”; the cover has the full name.
    pages = _pages("江苏省人大常委会办公厅\n2017 年度部门预算\n目 录\n第一部分 部门概况\n"
                   "第二部分 省人大办公厅 2017 年度部门预算表\n一、收支预算总表")
    identity = identify(pages)
    assert identity.unit_name == "江苏省人大常委会办公厅"
    assert identity.confidence >= 0.9


@pytest.mark.parametrize("printed", ["目录", "二、机构设置情况", "二、部门机构设置及预算单位构成情况",
                                     "收入19,828.57万元比", "西安市卫生健康委员会（汇总）金额", "国家信访局金额",
                                     "本部门", "省人大办公厅", "部门", "万元"])
def test_not_names(printed):
    assert clean_name(printed) == (None, None)


@pytest.mark.parametrize(("printed", "name", "scope"), [
    ("606-湖州市交通运输局", "湖州市交通运输局", None),  # Huzhou: department code glued in front
    ("106_长沙市公安局", "长沙市公安局", None),  # Changsha's 三公 table
    (". 长春市信访局（本级）", "长春市信访局", "本级"),  # Changchun's cover: a stray “. ”
    ("无锡市教育局（本级）", "无锡市教育局", "本级"),
    ("福州市民政局(本级)", "福州市民政局", "本级"),
    ("西安市财政局（汇总）", "西安市财政局", "汇总"),
    # a template's placeholder is read as its name, for identity.placeholder_unit to quarantine (issue 22.5)
    ("上海市XX局", "上海市XX局", None),
    ("示范市××区财政局", "示范市××区财政局", None),
])
def test_names_and_scopes(printed, name, scope):
    assert clean_name(printed) == (name, scope)


def test_label_that_names_both_unit_and_money_unit():
    # Suzhou and Wuxi unit budgets: “单位：苏州市科学技术局 单位：万元”; Hangzhou glues “…局单位：万元”.
    assert labelled_units("单位：苏州市科学技术局 单位：万元") == [("单位", "苏州市科学技术局")]
    assert labelled_units("部门名称：杭州市交通运输局单位：万元") == [("部门名称", "杭州市交通运输局")]
    assert labelled_units("部门（单位）：烟台市教育局 单位：万元") == [("部门（单位）", "烟台市教育局")]
    assert labelled_units("单位：万元") == []
    assert labelled_units("执收主体：北京市水务局，收费部门：北京市自来水") == []  # prose, not a label


def test_title_forms():
    title = parse_title("2026 年度无锡市商务局部门预算公开")
    assert (title.name, title.year, title.kind_scope, title.phase) == ("无锡市商务局", 2026, "部门", "预算")
    assert parse_title("上海市普陀区2025年区级部门预算").regional
    assert parse_title("附件：北京市公安局 2026 年度部门预算报表").name == "北京市公安局"
    assert parse_title("2026年1—2月泉州市国民经济主要指标") is None
    assert parse_title("2025年预算").name is None  # a column header: year and phase only


@pytest.mark.parametrize(("line", "name", "scope", "year", "kind_scope", "phase"), [
    ("宁波市交通运输局2026年部门预算及“三公”经费预算公开", "宁波市交通运输局", None, 2026, "部门", "预算"),
    ("关于杭州市司法局2025年度部门决算的说明", "杭州市司法局", None, 2025, "部门", "决算"),
    ("杭州市司法局2026年部门预算（本级）", "杭州市司法局", "本级", 2026, "部门", "预算"),
    ("长沙市公安局二〇二五年部门预算公开", "长沙市公安局", None, 2025, "部门", "预算"),
    ("重庆市科学技术局 2026 年部门预算编制情况说明", "重庆市科学技术局", None, 2026, "部门", "预算"),
])
def test_title_wordings_seen_elsewhere(line, name, scope, year, kind_scope, phase):
    title = parse_title(line)
    assert (title.name, title.scope, title.year, title.kind_scope, title.phase) == (
        name, scope, year, kind_scope, phase)


def test_more_labels():
    assert labelled_units("预算单位名称：宁波市财政局 金额单位：万元") == [("预算单位名称", "宁波市财政局")]
    assert labelled_units("部门（单位）名称：宁波市财政局") == [("部门（单位）名称", "宁波市财政局")]
    assert labelled_units("填报单位：宁波市财政局 单位：元") == [("填报单位", "宁波市财政局")]


@pytest.mark.parametrize(("text", "looks"), [
    ("惠州市人民政府公报 2026 年第 2 期刊登\n2026 年 2 月 11 日电子公报发布\n- 1 -\n"
     "惠州市民政局关于贯彻实施广东省最低生活保障\n家庭经济状况核对和生活状况综合评估办法\n的通知\n惠民发〔2026〕10 号",
     "looks like a government gazette notice (惠民发〔2026〕10号)"),
    ("四川省人民政府办公厅\n关于印发«四川省突发事件应急预案管理\n实施办法»的通知\n川办规〔２０２５〕１１ 号",
     "looks like a government notice (川办规〔2025〕11号)"),
    ("— 1 —\n长沙市财政项目支出绩效评价报告\n"
     "评价项目名称：2020 年度长沙市人民政府国有资产监督管理委\n员会国企改革稳定专项资金绩效评价",
     "looks like a performance evaluation report (长沙市财政项目支出绩效评价报告)"),
    ("2026年1—2月泉州市国民经济主要指标\n指标 单位\n四、地方一般公共预算收入 亿元 128.48 -9.3",
     "looks like a statistics bulletin"),
    ("1\n长春市财政局 2025 年度\n法治政府建设报告", "looks like an annual work report"),
    ("济南市应急管理局依申请信息公开流程图\n需要延长答复的", "looks like a procedure flowchart"),
])
def test_not_a_disclosure_says_what_it_looks_like(text, looks):
    with pytest.raises(NotADisclosure) as caught:
        identify(_pages(text), "2026年某某局部门预算.pdf")
    assert caught.value.kind == "not_budget"
    assert str(caught.value).startswith("not a budget disclosure: " + looks)


def test_unknown_document_is_not_a_disclosure():
    with pytest.raises(NotADisclosure, match="not a budget disclosure: no 预算/决算 title"):
        identify(_pages("Minutes of the meeting. Nothing about budgets."), "minutes.pdf")


def test_disclosure_without_a_unit_is_unidentified():
    with pytest.raises(IdentificationError) as caught:
        identify(_pages("2026年度部门预算\n目 录\n第一部分 部门概况"))
    assert caught.value.kind == "unidentified"


def test_the_cover_decides_the_unit_and_contrary_headers_lower_the_confidence():
    cover = "宁波市财政局\n2026年部门预算"
    tables = [TABLE_PAGE.format(unit="宁波市财政局机关服务中心") for _ in range(5)]
    identity = identify(_pages(cover, *tables))
    assert identity.unit_name == "宁波市财政局"
    assert identity.confidence < MIN_CONFIDENCE  # quarantined: the tables name another unit
    assert "unit_name" in identity.weakest()
    agreeing = identify(_pages(cover, *(TABLE_PAGE.format(unit="宁波市财政局") for _ in range(5))))
    assert agreeing.confidence >= 0.95
