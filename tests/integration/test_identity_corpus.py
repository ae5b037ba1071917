# ruff: noqa: E501  (the tables below keep one document per line)
"""Identity of every document of both corpora, read from its own content (tests/unit/extract/
test_identify.py has the text-level cases).

The expected values were read by hand from each PDF; the page is where the unit and year are printed
(the cover, mostly). The identity step runs on the text layer (PdfText → identify), not the whole
pipeline, so the corpora take seconds. Identity must not change when the files are copied to neutral
names (P01.pdf …): file names given by crawlers lie, the content decides.
"""

import shutil
from pathlib import Path

import pytest
from conftest import REAL_CORPUS

from pipelines.extract.identify import MIN_CONFIDENCE, IdentificationError, identify
from pipelines.extract.pdftext import PdfText

NATIONAL_CORPUS = REAL_CORPUS.parent / "national"

# file: (unit_name, unit_scope, fiscal_year, doc_kind, page read from)
NATIONAL = {
    "001_上海/2026年上海市发展和改革局_部门预算.pdf": ("上海市域外农场管理办公室", None, 2026, "unit_budget", 1),
    "001_上海/2026年上海市商务局_部门预算.pdf": ("上海钻石宝玉石交易联合管理办公室", None, 2026, "unit_budget", 1),
    "001_上海/2026年上海市工业和信息化局_部门预算.pdf": ("上海水产老干部活动室", None, 2026, "unit_budget", 1),
    "001_上海/2026年上海市文化广电旅游体育局_部门预算.pdf": ("上海市文化和旅游局执法总队", None, 2026, "unit_budget", 1),
    "001_上海/2026年上海市退役军人事务局_部门预算.pdf": ("上海市退役军人服务中心", None, 2026, "unit_budget", 1),
    "002_北京/2026年北京市人民政府办公厅部门预算.pdf": ("北京市人民政府办公厅", None, 2026, "dept_budget", 8),
    "002_北京/2026年北京市公安局部门预算.pdf": ("北京市公安局", None, 2026, "dept_budget", 1),
    "002_北京/2026年北京市发展和改革委员会部门预算.pdf": ("北京市发展和改革委员会", None, 2026, "dept_budget", 1),
    "002_北京/2026年北京市水务局部门预算.pdf": ("北京市水务局", None, 2026, "dept_budget", 1),
    "002_北京/2026年北京市规划和自然资源委员会部门预算.pdf": ("北京市规划和自然资源委员会", None, 2026, "dept_budget", 1),
    "003_深圳/2026年深圳市住房和建设局部门预算.pdf": ("深圳市住房和建设局", '本级', 2026, "dept_budget", 1),
    "003_深圳/2026年深圳市公安局交通管理局部门预算.pdf": ("深圳市公安局交通管理局", '本级', 2026, "dept_budget", 1),
    "003_深圳/2026年深圳市城市管理和综合执法局部门预算.pdf": ("深圳市城市管理和综合执法局", '本级', 2026, "dept_budget", 1),
    "003_深圳/2026年深圳市建筑工务署部门预算.pdf": ("深圳市建筑工务署", None, 2026, "dept_budget", 1),
    "003_深圳/2026年深圳市民政局部门预算.pdf": ("深圳市民政局", '本级', 2026, "dept_budget", 1),
    "004_重庆/2026年重庆市人民政府办公厅部门预算.pdf": ("重庆市人民政府办公厅", None, 2026, "dept_budget", 1),
    "004_重庆/2026年重庆市商务委员会部门预算.pdf": ("重庆市商务委员会", None, 2026, "dept_budget", 1),
    "004_重庆/2026年重庆市科学技术局部门预算.pdf": ("重庆市科学技术局", None, 2026, "dept_budget", 1),
    "004_重庆/2026年重庆市经济和信息化委员会部门预算.pdf": ("重庆市经济和信息化委员会", None, 2026, "dept_budget", 1),
    "004_重庆/2026年重庆市规划和自然资源局部门预算.pdf": ("重庆市规划和自然资源局", None, 2026, "dept_budget", 1),
    "005_广州/2026年广州市人民政府办公厅部门预算.pdf": ("广州市人民政府办公厅", None, 2026, "dept_budget", 1),
    "005_广州/2026年广州市宣传部部门预算.pdf": ("中国共产党广州市委员会宣传部", None, 2026, "dept_budget", 1),
    "005_广州/2026年广州市规划和自然资源局部门预算.pdf": ("广州市规划和自然资源局", None, 2026, "dept_budget", 1),
    "005_广州/国有资产监督管理委员会_2026年部门预算.pdf": ("广州市人民政府国有资产监督管理委员会", None, 2026, "dept_budget", 1),
    "005_广州/水务局_2026年部门预算.pdf": ("广州市水务局", None, 2026, "dept_budget", 1),
    "006_苏州/2026年苏州市审计局部门预算.pdf": ("苏州市审计局", None, 2026, "dept_budget", 1),
    "006_苏州/2026年苏州市应急管理局部门预算.pdf": ("苏州市应急管理局", None, 2026, "dept_budget", 1),
    "006_苏州/2026年苏州市数据局部门预算.pdf": ("苏州市数据局", None, 2026, "dept_budget", 1),
    "006_苏州/2026年苏州市科技创新局部门预算.pdf": ("苏州市科学技术局", None, 2026, "unit_budget", 1),
    "006_苏州/生态环境局_2026年部门预算.pdf": ("苏州市生态环境局", None, 2026, "unit_budget", 1),
    "008_杭州/2026年杭州市交通运输局部门预算.pdf": ("杭州市交通运输局", None, 2026, "dept_budget", 1),
    "008_杭州/2026年杭州市司法局部门预算.pdf": ("杭州市司法局", None, 2026, "dept_budget", 1),
    "014_无锡/2026年无锡市交通运输局部门预算.pdf": ("无锡市交通运输局", '本级', 2026, "unit_budget", 1),
    "014_无锡/2026年无锡市教育局部门预算.pdf": ("无锡市教育局", '本级', 2026, "unit_budget", 1),
    "014_无锡/人力资源和社会保障局_2026年部门预算.pdf": ("无锡市人力资源和社会保障局", None, 2026, "dept_budget", 1),
    "014_无锡/商务局_2026年部门预算.pdf": ("无锡市商务局", None, 2026, "dept_budget", 1),
    "014_无锡/应急管理局_2026年部门预算.pdf": ("无锡市应急管理局", None, 2026, "dept_budget", 1),
    "015_长沙/2026年长沙市信访局部门预算.pdf": ("长沙市信访局", None, 2026, "dept_budget", 1),
    "015_长沙/2026年长沙市公安局2025年部门预算.pdf": ("长沙市公安局", None, 2025, "dept_budget", 1),
    "015_长沙/教育局_2026年部门预算.pdf": ("长沙职业教育基地综合协调办公室", None, 2026, "dept_budget", 1),
    "017_福州/2026年福州市公安局部门预算.pdf": ("福州市公安局治安管理支队", None, 2026, "unit_budget", 1),
    "017_福州/2026年福州市医疗保障局部门预算.pdf": ("福州市医疗保障局", None, 2026, "dept_budget", 1),
    "017_福州/2026年福州市民政局部门预算.pdf": ("福州市民政局", '本级', 2026, "unit_budget", 1),
    "017_福州/2026年福州市生态环境局部门预算.pdf": ("福州经济技术开发区生态环境局", None, 2026, "unit_budget", 1),
    "017_福州/公安局交通警察局_2026年部门预算.pdf": ("福州市公安局交通管理支队", None, 2026, "unit_budget", 1),
    "020_西安/2026年西安市财政局部门预算.pdf": ("西安市财政局", '汇总', 2026, "dept_budget", 1),
    "020_西安/交通运输局_2026年部门预算.pdf": ("西安市交通运输局", None, 2022, "dept_budget", 1),
    "020_西安/住房和建设局_2026年部门预算.pdf": ("西安市住房和城乡建设局", None, 2022, "dept_budget", 1),
    "020_西安/医疗保障局_2026年部门预算.pdf": ("西安市医疗保障局", None, 2022, "dept_budget", 1),
    "020_西安/国有资产监督管理委员会_2026年部门预算.pdf": ("西安市人民政府国有资产监督管理委员会", None, 2022, "dept_budget", 1),
    "021_泉州/2026年泉州市公安局部门预算.pdf": ("泉州市公安局", None, 2026, "dept_budget", 1),
    "025_烟台/2026年烟台市住房和城乡建设局部门预算.pdf": ("烟台市住房和城乡建设局", None, 2026, "dept_budget", 1),
    "025_烟台/2026年烟台市工业和信息化局部门预算.pdf": ("烟台市工业和信息化局", None, 2026, "dept_budget", 1),
    "025_烟台/2026年烟台市教育局部门预算.pdf": ("烟台市教育局", None, 2026, "dept_budget", 1),
    "040_长春/2026年长春市信访局部门预算.pdf": ("长春市信访局", '本级', 2026, "dept_budget", 1),
    "077_珠海/2026年珠海市商务局部门预算.pdf": ("珠海市商务局", None, 2026, "dept_budget", 1),
    "079_湖州/2026年湖州市交通运输局部门预算.pdf": ("湖州市交通运输局", None, 2026, "dept_budget", 1),
    "079_湖州/2026年湖州市卫生健康委员会部门预算.pdf": ("湖州市卫生健康委员会", None, 2026, "dept_budget", 1),
}

# Not budget disclosures (whatever their file names say): what each looks like instead.
NOT_DISCLOSURES = {
    "015_长沙/国有资产监督管理委员会_2026年部门预算.pdf": "performance evaluation report",  # p1 绩效评价报告
    "018_济南/2026年济南市应急管理局部门预算.pdf": "flowchart",  # p1 依申请信息公开流程图
    "021_泉州/统计局_2026年部门预算.pdf": "statistics bulletin",  # p1 国民经济主要指标
    "040_长春/2026年长春市财政局部门预算.pdf": "annual work report",  # p1 法治政府建设报告
    "041_嘉兴/2026年嘉兴市卫生健康委员会部门预算.pdf": "浙卫发〔2025〕24号",  # p1 实施意见
    "048_惠州/2026年惠州市民政局部门预算.pdf": "government gazette notice (惠民发〔2026〕10号)",  # p1
    "076_绵阳/2026年绵阳市政府办公厅部门预算.pdf": "government notice (川办规〔2025〕11号)",  # p1, full-width digits
}

# The real corpus (../shared/corpus/real). The Jiangsu *-tables.pdf files print no title: the unit is
# in the header over each table (部门：X, p1), the year only in one table's title (p12
# “2018年政府采购预算表”) or, for js-cppcc 2017, in a note (p7 “注：我单位无2017年政府性基金支出安排”).
REAL = {
    "js-cppcc-office_2017_dept-budget-tables.pdf": ("江苏省政协办公厅", None, 2017, "dept_budget", 7),
    "js-cppcc-office_2017_dept-budget.pdf": ("江苏省政协办公厅", None, 2017, "dept_budget", 1),
    "js-cppcc-office_2018_dept-budget-tables.pdf": ("江苏省政协办公厅", None, 2018, "dept_budget", 12),
    "js-high-court_2017_dept-budget.pdf": ("江苏省高级人民法院", None, 2017, "dept_budget", 1),
    "js-high-court_2018_dept-budget.pdf": ("江苏省高级人民法院", None, 2018, "dept_budget", 1),
    "js-npc-office_2017_dept-budget.pdf": ("江苏省人大常委会办公厅", None, 2017, "dept_budget", 1),
    "js-party-committee-office_2017_dept-budget-tables.pdf": ("中国共产党江苏省委员会办公厅", None, 2017,
                                                              "dept_budget", 12),
    "js-procuratorate_2017_dept-budget.pdf": ("江苏省人民检察院", None, 2017, "dept_budget", 1),
    "js-procuratorate_2018_dept-budget.pdf": ("江苏省人民检察院", None, 2018, "dept_budget", 1),
    "js-procuratorate_2019_dept-budget.pdf": ("江苏省人民检察院", None, 2019, "dept_budget", 1),
    "sh-municipal-finance-bureau_2025_unit-budget.pdf": ("上海市财政局", None, 2025, "unit_budget", 1),
    "sh-putuo-finance-bureau_2024_dept-final.pdf": ("上海市普陀区财政局", None, 2024, "dept_final", 1),
    "sh-putuo-finance-bureau_2025_dept-budget.pdf": ("上海市普陀区财政局", None, 2025, "dept_budget", 1),
    "sh-putuo-gov-office_2025_dept-budget.pdf": ("上海市普陀区人民政府办公室", None, 2025, "dept_budget", 1),
    "sh-putuo-justice_2026_unit-budget.pdf": ("上海市普陀区司法局", None, 2026, "unit_budget", 1),
    "sh-putuo-wanli-street_2024_dept-budget.pdf": ("上海市普陀区人民政府万里街道办事处", None, 2024, "dept_budget", 1),
    "sh-putuo-wanli-street_2025_dept-budget.pdf": ("上海市普陀区人民政府万里街道办事处", None, 2025, "dept_budget", 1),
    "sh-putuo-welfare-home_2024_unit-budget.pdf": ("上海市普陀区社会福利院", None, 2024, "unit_budget", 1),
}


def _pdf(corpus: Path, name: str) -> Path:
    path = corpus / name
    if not path.exists():
        pytest.skip(f"corpus not found at {corpus} (it sits beside the repo as ../shared)")
    return path


def _identify(path: Path, file_name: str):
    with PdfText(path) as pdf:
        return identify(pdf.pages, file_name, pdf.metadata())


def _check(identity, expected):
    unit, scope, year, kind, _page = expected
    assert (identity.unit_name, identity.unit_scope, identity.fiscal_year, identity.doc_kind) == (
        unit, scope, year, kind)
    assert identity.confidence >= MIN_CONFIDENCE, identity.weakest()
    assert identity.evidence


@pytest.mark.parametrize("name", sorted(NATIONAL))
def test_national_identity(name):
    path = _pdf(NATIONAL_CORPUS, name)
    _check(_identify(path, path.name), NATIONAL[name])


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_identity(name):
    path = _pdf(REAL_CORPUS, name)
    _check(_identify(path, path.name), REAL[name])


@pytest.mark.parametrize("name", sorted(NOT_DISCLOSURES))
def test_not_disclosures_are_rejected(name):
    path = _pdf(NATIONAL_CORPUS, name)
    with pytest.raises(IdentificationError) as caught:
        _identify(path, path.name)
    assert caught.value.kind == "not_budget"
    message = str(caught.value)
    assert message.startswith("not a budget disclosure: looks like ")
    assert NOT_DISCLOSURES[name] in message


def test_identity_is_the_same_under_neutral_file_names(tmp_path):
    """Copied to P01.pdf, P02.pdf …, every document (the Jiangsu tables-only files included) is
    identified as under its own name; the non-disclosures are still rejected."""
    cases = [(NATIONAL_CORPUS / n, NATIONAL[n]) for n in sorted(NATIONAL)]
    cases += [(REAL_CORPUS / n, REAL[n]) for n in sorted(REAL)]
    cases += [(NATIONAL_CORPUS / n, None) for n in sorted(NOT_DISCLOSURES)]
    if not all(path.exists() for path, _ in cases):
        pytest.skip("corpora not found beside the repo (../shared/corpus)")
    for i, (path, expected) in enumerate(cases, 1):
        copy = tmp_path / f"P{i:02d}.pdf"
        shutil.copyfile(path, copy)
        if expected is None:
            with pytest.raises(IdentificationError):
                _identify(copy, copy.name)
            continue
        _check(_identify(copy, copy.name), expected)  # the same as under its own name (test_*_identity)


@pytest.mark.parametrize("name", sorted(n for n in NATIONAL if n.startswith("004_重庆")))
def test_tables_listed_by_their_numbering_are_counted(name):
    # Chongqing prints no 目录: its tables are numbered 表一 … 表十二 (p.9-24), the last three 绩效目标表.
    # Before, the count was left unknown (None) where no 目录 page listed the titles.
    identity = _identify(_pdf(NATIONAL_CORPUS, name), name)
    assert (identity.toc_tables, identity.toc_pages) == (12, [])
    assert identity.toc_titles[0].startswith("表一") and identity.toc_titles[-1].startswith("表十二")
