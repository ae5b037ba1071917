from decimal import Decimal

from conftest import REFERENCE_PDF, real_pdf

from pipelines.extract.holdings import extract_holdings
from pipelines.extract.pdftext import PdfText


def _holdings(path):
    with PdfText(path) as pdf:
        return {(h.kind, h.label): (h.quantity, h.page) for h in extract_holdings(pdf.pages)}


def test_reference_vehicles_floor_area_and_equipment():
    got = _holdings(REFERENCE_PDF)
    assert got[("vehicles", "编制")] == (Decimal(65), 34)
    assert got[("vehicles", "实有")] == (Decimal(59), 34)
    assert got[("vehicles", "执法执勤用车")] == (Decimal(31), 34)
    assert got[("vehicles", "特种专业技术用车")] == (Decimal(27), 34)
    assert got[("floor_area", "办公用房建筑总面积")] == (Decimal("14726.63"), 34)
    assert got[("equipment", "价值50万元（原值）以上的通用设备")] == (Decimal(0), 34)


def test_shanghai_vehicles_and_no_construction_project_areas():
    got = _holdings(real_pdf("sh-putuo-wanli-street_2025_dept-budget.pdf"))
    assert got[("vehicles", "共有")] == (Decimal(8), 30)
    assert got[("vehicles", "其他用车")] == (Decimal(8), 30)
    # p.31 describes a building project (“地上建筑面积为8013平方米”): not the unit's floor area.
    assert not any(kind == "floor_area" for kind, _ in got)


def test_jiangsu_vehicles():
    got = _holdings(real_pdf("js-procuratorate_2019_dept-budget.pdf"))
    assert got[("vehicles", "共有")] == (Decimal(55), 32)
    assert got[("vehicles", "执法执勤用车")] == (Decimal(40), 32)
