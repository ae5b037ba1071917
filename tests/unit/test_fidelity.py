"""budgetdw fidelity's summary by city or province (the corpus case is in
tests/integration/test_disclosure_parts.py)."""

from dataclasses import replace
from pathlib import Path

from pipelines.fidelity import Fidelity, summarise


def _doc(folder, unit, status="published", failure_kind=None, toc=None, classified=0, sums=(0, 0), totals=None,
         part="full"):
    return Fidelity(name=f"{unit}.pdf", status=status, doc_kind="dept_budget" if unit else None, unit_name=unit,
                    fiscal_year=2026 if unit else None, toc_tables=toc, tables_found=classified,
                    tables_classified=classified, rows=0, amounts=0, checks=sums[0], checks_held=sums[1], error=None,
                    folder=folder, failure_kind=failure_kind, part=part, sum_checks=sums[0], sum_checks_held=sums[1],
                    totals_add_up=totals)


def test_documents_are_grouped_by_the_city_their_unit_names():
    results = [
        _doc("003_深圳", "深圳市民政局", toc=11, classified=12, sums=(300, 290), totals=True),
        _doc("003_深圳", "深圳市建筑工务署", status="quarantined", toc=11, classified=10, sums=(200, 200),
             totals=False),
        # No place in its name, and a document not identified: their folder's city.
        _doc("003_深圳", "国家信访局", sums=(10, 10)),
        _doc("003_深圳", None, status="failed", failure_kind="not_budget"),
        # One folder with two provinces: each its own group.
        _doc("real", "江苏省政协办公厅", part="narrative", toc=12),
        _doc("real", "中国共产党广州市委员会宣传部", sums=(5, 5), totals=True),
        # A folder where no unit names a place.
        _doc("018_济南", None, status="failed", failure_kind="not_budget"),
    ]
    groups = {s.group: s for s in summarise(results)}
    assert list(groups) == ["深圳市", "folder 018_济南", "广州市", "江苏省", "all"]
    shenzhen = groups["深圳市"]
    assert (shenzhen.documents, shenzhen.identified, shenzhen.not_disclosures, shenzhen.published) == (4, 3, 1, 2)
    assert (shenzhen.listing, shenzhen.complete, shenzhen.tables_listed, shenzhen.tables_found) == (2, 1, 22, 21)
    assert (shenzhen.sum_checks, shenzhen.sum_checks_held, shenzhen.with_totals, shenzhen.totals_add_up) == (
        510, 500, 2, 1)
    assert shenzhen.line() == (
        "深圳市 (003_深圳): 3/4 identified (1 not a disclosure), 2 published | tables found 21/22 listed "
        "(1/2 documents complete) | sum checks 500/510 hold (98.0%) | expenditure = basic + project: 1/2 documents")
    # A narrative part's tables are in its companion: not counted as missing.
    assert (groups["江苏省"].narrative_parts, groups["江苏省"].listing) == (1, 0)
    assert groups["folder 018_济南"].line().startswith("folder 018_济南: 0/1 identified (1 not a disclosure)")
    assert groups["all"].documents == 7


def test_listed_tables_are_matched_by_kind_with_the_forms_among_them():
    # Changsha 信访局: its 目录 (p.2) lists 10 tables, the last two 绩效目标表 forms (9、项目支出绩效目标表,
    # 10、部门整体支出绩效目标表), found as such; 8 other tables found and classified. Counting classified
    # tables only, the document looked incomplete (8/10).
    from pipelines.extract.identify import Identity
    from pipelines.extract.tables import ExtractedTable
    from pipelines.fidelity import fidelity
    from pipelines.model import ProcessedDocument
    from pipelines.normalise.tables import NormalisedTable
    from pipelines.store import SourceDocument
    from pipelines.validate.document_rules import listed_not_found

    titles = ["1、部门收支总表", "2、部门收入总表", "3、部门支出总表", "4、财政拨款收支总表", "5、一般公共预算支出表",
              "6、一般公共预算基本支出表", "7、一般公共预算“三公”经费支出表", "8、政府性基金预算支出表",
              "9、项目支出绩效目标表", "10、部门整体支出绩效目标表"]
    found = ["income_expenditure_summary", "income_summary", "expenditure_summary", "appropriation_summary",
             "general_budget_expenditure", "basic_expenditure_econ", "three_public", "gov_fund_expenditure"]
    found += ["performance_targets"] * 11  # 8 项目支出 forms (p.22-29), 3 pages of the 部门整体 form (p.30-32)

    def tables(codes):
        return [NormalisedTable(ExtractedTable(seq=i, code=c, title="", number_label=None, unit="万元", pages=[i],
                                               header_rows=[], body_rows=[], row_pages=[], columns=[]), "万元", [], [])
                for i, c in enumerate(codes, 1)]

    ident = Identity(unit_name="长沙市信访局", fiscal_year=2026, doc_kind="dept_budget", money_unit="万元",
                     toc_tables=10, toc_titles=titles, toc_pages=[2])
    assert listed_not_found(ident, tables(found)) == []
    assert listed_not_found(ident, tables(found[:8])) == ["9、项目支出绩效目标表", "10、部门整体支出绩效目标表"]
    source = SourceDocument("0" * 64, "015_长沙/2026年长沙市信访局部门预算.pdf", Path("raw.pdf"), 0)
    doc = ProcessedDocument(source, "published", identity=ident, tables=tables(found))
    assert fidelity(doc).listed_found == 10
    summary = summarise([replace(_doc("015_长沙", "长沙市信访局", toc=10, classified=8), listed_found=10)])[0]
    assert (summary.complete, summary.tables_listed, summary.tables_found) == (1, 10, 10)
