# ruff: noqa: E501  (the tables below keep one document per line)
"""Every document of ../shared/corpus/national and ../shared/corpus/real through the whole pipeline: its
status; for each quarantined one, the error checks that fail and the pages they name, each read on the
PDF (what the page prints is in the comment: the inconsistency is the document's, not our reading); no
internal error; the non-disclosures rejected as such; and expenditure total = 基本 + 项目 (+ what the
template prints besides: 事业单位经营支出, 上缴上级支出, 对附属单位补助支出, 单位预留机动经费, 结转下年) wherever
the document's tables print the three totals and add up.

Identity is pinned in tests/integration/test_identity_corpus.py, tables and totals in
tests/slow/test_national_tables.py and tests/slow/test_corpus_regression.py.
"""

from pathlib import Path

import pytest
from conftest import REAL_CORPUS

from pipelines.fidelity import fidelity
from pipelines.process import process_document
from pipelines.store import store_raw

CORPORA = REAL_CORPUS.parent  # national/…, real/…

QUARANTINED = {
    # p.30 表5 一般公共预算支出预算表: 基本支出 小计 82,479.29 on the 合计 row, where 人员经费 67,627.51 + 日常公用支出
    # 14,902.37 = 82,529.88; the same 50.59 on 交通运输支出 (51,417.49 vs 41,277.20 + 10,190.89) and 公路水路运输.
    "national/008_杭州/2026年杭州市交通运输局部门预算.pdf": {"row.total_equals_parts": {30}},
    # p.27 公开06表 and p.30 公开08表: 合计 人员经费 25,530.51, where 301 工资福利支出 23,647.92 + 303 对个人和家庭的补助
    # 1,882.57 = 25,530.49 (0.02 万元 off, more than the rounding of three figures allows).
    "national/014_无锡/人力资源和社会保障局_2026年部门预算.pdf": {"hierarchy.econ_sum": {27, 30}},
    # p.9 支出预算总表: 20402 公安 48200.88, where 2040201 行政运行 22431.07 + 2040299 其他公安支出 16389.79 = 38820.86;
    # p.11 一般公共预算拨款支出预算表: 20402 公安 40200.88, where 22431.07 + 8389.79 = 30820.86.
    "national/017_福州/公安局交通警察局_2026年部门预算.pdf": {"hierarchy.subject_sum": {9, 11}},
    # p.29 表6 一般公共预算支出明细表（按经济分类科目分）: the amounts are printed a row off their names (rendered
    # page and text layer alike), e.g. 30113 住房公积金 合计 2688467.31 beside 人员经费支出 749700.00, 302 商品和服务支出
    # 940000.00 beside 13593324.02 | 993767.31 | 945000.00.
    "national/020_西安/国有资产监督管理委员会_2026年部门预算.pdf": {"row.total_equals_parts": {29}},
    # p.11 预算表6 本年一般公共预算基本支出表: 301 工资福利支出 911.21, where its 款 rows add up to 920.96; 302 商品和服务支出
    # 211.00, where its 款 rows add up to 221.37.
    "national/040_长春/2026年长春市信访局部门预算.pdf": {"hierarchy.econ_sum": {11}},
    # p.11 支出预算总表 and p.14 一般公共预算支出功能分类预算表: 2040601 行政运行 14,348,853.34 = 基本 14,348,853.34 +
    # 项目 64,840,547.00 does not hold (the 项目 printed on the 行政运行 row and again on 2040699's); p.19 经济分类表 人员经费
    # 20,272,981.00 / 公用经费 1,845,880.34 vs p.8 收支总表 20,374,181 / 1,744,680 (tests/integration/test_real_documents.py).
    "real/sh-putuo-justice_2026_unit-budget.pdf": {"hierarchy.subject_sum": {11, 14}, "row.total_equals_parts": {11, 14},
                                                   "cross.econ_basic_total": {19}},
}

# Not budget disclosures: failed as not_budget (what each looks like: tests/integration/test_identity_corpus.py).
NOT_BUDGET = {
    "national/015_长沙/国有资产监督管理委员会_2026年部门预算.pdf",
    "national/018_济南/2026年济南市应急管理局部门预算.pdf",
    "national/021_泉州/统计局_2026年部门预算.pdf",
    "national/040_长春/2026年长春市财政局部门预算.pdf",
    "national/041_嘉兴/2026年嘉兴市卫生健康委员会部门预算.pdf",
    "national/048_惠州/2026年惠州市民政局部门预算.pdf",
    "national/076_绵阳/2026年绵阳市政府办公厅部门预算.pdf",
}

# Where the tables print no expenditure, 基本 and 项目 totals to compare: narrative parts (their tables are a
# separate file: Beijing's 附件, Jiangsu's *-tables.pdf) and a unit whose 支出总表 leaves 基本支出 blank
# (上海 发改局 p.9: 118,853,953.00 all 项目支出).
NO_TOTALS = {
    "national/002_北京/2026年北京市人民政府办公厅部门预算.pdf",
    "national/002_北京/2026年北京市公安局部门预算.pdf",
    "national/002_北京/2026年北京市发展和改革委员会部门预算.pdf",
    "national/002_北京/2026年北京市水务局部门预算.pdf",
    "national/002_北京/2026年北京市规划和自然资源委员会部门预算.pdf",
    "real/js-cppcc-office_2017_dept-budget.pdf",
    "national/001_上海/2026年上海市发展和改革局_部门预算.pdf",
}
# Where the printed totals do not add up: 86,959,408.34 vs 基本 22,118,861.00 + 项目 64,840,547.00 (p.11).
TOTALS_DO_NOT_ADD_UP = {"real/sh-putuo-justice_2026_unit-budget.pdf"}


def _documents() -> list[str]:
    found = sorted(str(p.relative_to(CORPORA)) for sub in ("national", "real") for p in (CORPORA / sub).rglob("*.pdf"))
    return found or ["(corpora not found)"]


@pytest.mark.slow
def test_the_corpora_are_all_here():
    docs = _documents()
    if docs == ["(corpora not found)"]:
        pytest.skip(f"corpora not found at {CORPORA} (they sit beside the repo as ../shared)")
    assert len([d for d in docs if d.startswith("national/")]) == 65 and len(docs) == 65 + 18
    assert set(QUARANTINED) | NOT_BUDGET | NO_TOTALS <= set(docs)


@pytest.mark.slow
@pytest.mark.parametrize("rel", _documents())
def test_status_and_why(rel, tmp_path):
    path = CORPORA / rel
    if not path.exists():
        pytest.skip(f"corpora not found at {CORPORA} (they sit beside the repo as ../shared)")
    doc = process_document(store_raw(Path(path), tmp_path))
    assert doc.failure_kind != "internal", doc.error
    if rel in NOT_BUDGET:
        assert (doc.status, doc.failure_kind) == ("failed", "not_budget")
        return
    failed: dict[str, set] = {}
    for c in doc.checks:
        if not c.passed and c.severity == "error":
            failed.setdefault(c.check_id, set()).add(c.page)
    assert failed == QUARANTINED.get(rel, {})
    assert doc.status == ("quarantined" if rel in QUARANTINED else "published")
    add_up = fidelity(doc).totals_add_up
    assert add_up is (None if rel in NO_TOTALS else rel not in TOTALS_DO_NOT_ADD_UP)
