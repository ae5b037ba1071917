"""The economic classification catalog, name resolution, and 基本支出经济分类 tables → rows."""

import json
from collections import Counter
from decimal import Decimal

import pytest
from conftest import GROUND_TRUTH, REFERENCE_PDF, real_pdf

from pipelines.money import sum_tolerance
from pipelines.normalise.econ import EconResolution, by_code, econ_rows, load_catalog, normalise_name, resolve
from pipelines.process import process_document
from pipelines.store import store_raw

TRUTH = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))


def econ_table(path, tmp_path_factory):
    doc = process_document(store_raw(path, tmp_path_factory.mktemp("raw")))
    return next(t for t in doc.tables if t.table.code == "basic_expenditure_econ")


@pytest.fixture(scope="module")
def reference_rows(tmp_path_factory):
    return econ_rows(econ_table(REFERENCE_PDF, tmp_path_factory))


@pytest.fixture(scope="module")
def justice_rows(tmp_path_factory):
    return econ_rows(econ_table(real_pdf("sh-putuo-justice_2026_unit-budget.pdf"), tmp_path_factory))


# --- the catalog ------------------------------------------------------------------------------


def test_catalog_is_consistent():
    items = load_catalog()
    keys = Counter((i.classification, i.code) for i in items)
    assert [k for k, n in keys.items() if n > 1] == []
    for item in items:
        assert item.classification in ("dept", "gov")
        assert (item.level, len(item.code)) in (("类", 3), ("款", 5))
        if item.level == "款":
            assert item.parent_code == item.code[:3] and by_code(item.parent_code, item.classification)
        else:
            assert item.parent_code is None


@pytest.mark.parametrize("code, name", [
    ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30107", "绩效工资"),
    ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"),
    ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
    ("30199", "其他工资福利支出"), ("302", "商品和服务支出"), ("30201", "办公费"), ("30211", "差旅费"),
    ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30217", "公务接待费"), ("30226", "劳务费"),
    ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"), ("30240", "税金及附加费用"),
    ("30299", "其他商品和服务支出"), ("303", "对个人和家庭的补助"), ("30301", "离休费"), ("30302", "退休费"),
    ("30303", "退职（役）费"), ("30309", "奖励金"), ("30310", "个人农业生产补贴"),
    ("30399", "其他对个人和家庭的补助"), ("310", "资本性支出"), ("31002", "办公设备购置"), ("31013", "公务用车购置"),
])
def test_department_codes(code, name):
    assert by_code(code, "dept").name == name


@pytest.mark.parametrize("code, name", [
    ("501", "机关工资福利支出"), ("50101", "工资奖金津补贴"), ("50102", "社会保障缴费"), ("50103", "住房公积金"),
    ("50199", "其他工资福利支出"), ("502", "机关商品和服务支出"), ("50201", "办公经费"), ("50203", "培训费"),
    ("50208", "公务用车运行维护费"), ("50299", "其他商品和服务支出"), ("503", "机关资本性支出（一）"),
    ("505", "对事业单位经常性补助"), ("509", "对个人和家庭的补助"), ("50901", "社会福利和救助"), ("50902", "助学金"),
    ("50903", "个人农业生产补贴"), ("50905", "离退休费"), ("50999", "其他对个人和家庭的补助"),
])
def test_government_codes(code, name):
    assert by_code(code, "gov").name == name


# --- resolving names --------------------------------------------------------------------------


def test_resolve_by_name_and_government_name():
    assert resolve("基本工资", "工资奖金津补贴") == EconResolution("30101", "基本工资", "50101", "工资奖金津补贴")
    assert resolve("公务用车运行维护费", "公务用车运行维护费") == EconResolution(
        "30231", "公务用车运行维护费", "50208", "公务用车运行维护费")
    assert resolve("退休费", "离退休费") == EconResolution("30302", "退休费", "50905", "离退休费")
    assert resolve("奖励金").gov_econ_code is None  # no government name printed, none guessed


def test_resolve_normalises_brackets_width_and_spaces():
    assert normalise_name("维修(护)费") == normalise_name("维修（护）费")
    assert resolve("维修(护)费").econ_code == "30213"
    assert resolve(" 因公出国(境)费用 ").econ_code == "30212"
    assert resolve("机关事业单位基本养老保险费").econ_code == "30108"  # alias: Shanghai prints it so


def test_shared_names_resolve_within_their_class():
    assert resolve("医疗费").econ_code == "30114"
    assert resolve("医疗费", parent_code="303").econ_code == "30307"  # 对个人和家庭的补助, old name
    assert resolve("房屋建筑物购建").econ_code == "31001"  # not the 基本建设 one (30901)
    assert resolve("房屋建筑物购建", parent_code="309").econ_code == "30901"


def test_unknown_names_give_none_codes():
    unknown = resolve("车辆运行费", "不存在的科目")
    assert unknown == EconResolution(None, None, None, None) and not unknown.resolved


# --- tables -----------------------------------------------------------------------------------


def test_reference_rows_all_resolved(reference_rows):
    truth = next(t for t in TRUTH["tables"] if t["code"] == "basic_expenditure_econ")
    printed = [(r[0], r[1]) for r in truth["body_rows"] if r[0] != "合计"]
    assert [(r.printed_name, r.printed_gov_name) for r in reference_rows] == printed
    assert all(r.resolved for r in reference_rows)
    assert all(r.printed_code is None and not r.code_conflict for r in reference_rows)


@pytest.mark.parametrize("name, dept, gov", [
    ("基本工资", "30101", "50101"),
    ("公务用车运行维护费", "30231", "50208"),
    ("退休费", "30302", "50905"),
    ("奖励金", "30309", "50901"),
    ("其他交通费用", "30239", "50201"),
    ("工资福利支出", "301", None),
])
def test_reference_codes(reference_rows, name, dept, gov):
    row = next(r for r in reference_rows if r.printed_name == name)
    assert (row.econ_code, row.gov_econ_code) == (dept, gov)


def test_reference_amounts_and_levels(reference_rows):
    wages = next(r for r in reference_rows if r.econ_code == "30101")
    assert (wages.total.yuan, wages.personnel.yuan, wages.public, wages.page) == (
        Decimal("8979900.00"), Decimal("8979900.00"), None, 13)
    car = next(r for r in reference_rows if r.econ_code == "30231")
    assert (car.public.printed, car.public.unit, car.personnel) == ("106.20", "万元", None)
    classes = [r for r in reference_rows if r.level == "类"]
    assert [r.econ_code for r in classes] == ["301", "302", "303"]
    assert sum(r.total.yuan for r in classes) == Decimal("42149200.00")  # the table's 合计, 4214.92 万元
    for cls in classes:
        items = [r for r in reference_rows if r.level == "款" and r.econ_code.startswith(cls.econ_code)]
        gap = abs(sum(r.total.yuan for r in items) - cls.total.yuan)
        assert gap <= sum_tolerance([cls.total.printed] + [r.total.printed for r in items], "万元"), cls.econ_name


def test_shanghai_printed_codes_agree_with_the_catalog(justice_rows):
    assert len(justice_rows) == 29  # 合计 is left out
    for row in justice_rows:
        assert row.resolved and not row.code_conflict, row
        assert row.econ_code == row.printed_code
        assert normalise_name(by_code(row.printed_code).name) == normalise_name(row.printed_name)
    car = next(r for r in justice_rows if r.econ_code == "30231")
    assert (car.total.printed, car.total.unit, car.public.yuan, car.page) == (
        "99,750.00", "元", Decimal("99750.00"), 19)
    assert {r.page for r in justice_rows} == {18, 19}
    assert sum(r.total.yuan for r in justice_rows if r.level == "类") == Decimal("22118861.34")


def test_old_edition_codes_are_flagged_not_dropped(tmp_path_factory):
    rows = econ_rows(econ_table(real_pdf("js-party-committee-office_2017_dept-budget-tables.pdf"), tmp_path_factory))
    conflicts = {(r.printed_code, r.printed_name, r.econ_code) for r in rows if r.code_conflict}
    assert conflicts == {("30104", "其他社会保障缴费", "30112"), ("30311", "住房公积金", "30113"),
                         ("30312", "提租补贴", "30102")}
    assert all(r.resolved for r in rows)


def test_local_numbering_keeps_the_printed_code(tmp_path_factory):
    rows = econ_rows(econ_table(real_pdf("sh-putuo-welfare-home_2024_unit-budget.pdf"), tmp_path_factory))
    by_printed = {r.printed_code: r for r in rows}
    assert (by_printed["30202"].printed_name, by_printed["30202"].econ_code, by_printed["30202"].code_conflict) == (
        "咨询费", "30203", True)
    vehicle = by_printed["30210"]
    assert (vehicle.printed_name, vehicle.econ_code, vehicle.resolved, vehicle.total.yuan) == (
        "车辆运行费", None, False, Decimal("64000.00"))
    assert [r.printed_name for r in rows if not r.resolved] == ["车辆运行费", "事业单位离退休人员福利费",
                                                               "机关事业单位退休人员活动费", "离退休人员经费"]
