"""budgetdw fidelity's summary by city or province (the corpus case is in
tests/integration/test_disclosure_parts.py)."""

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
