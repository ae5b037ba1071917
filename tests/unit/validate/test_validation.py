"""Validation with Great Expectations (pipelines/validate.py, expectations/).

* the rule catalog, the GX suites (expectations/suites/*.json) and docs/rules.md agree;
* every planted defect of tests/fixtures/defects (tools/defects.py) is caught by its rule, with its page;
* the reference document passes every check, its real rounding included;
* real published inconsistencies of ../shared/corpus/real are caught and pinned (file, page, numbers),
  each checked against the PDF's text (pdftotext -layout); the consistent documents raise no error.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from conftest import REFERENCE_PDF, REPO, real_pdf

from expectations.catalog_doc import DOC_PATH, render_catalog
from expectations.rules import ERROR, FAMILIES, RULES, RULES_BY_ID, WARNING
from expectations.suites import SUITES_DIR, covered_rules, render_suite, suite_json
from pipelines.model import CheckResult
from pipelines.money import Amount, sum_tolerance
from pipelines.process import process_document
from pipelines.store import store_raw
from pipelines.validate.checks import is_publishable, stage, validate
from pipelines.validate.staging import tolerance

DEFECTS = REPO / "tests" / "fixtures" / "defects"
# Rules the reference (a budget) prints nothing for, so no defect can be planted in it: their defects are
# planted in the final account of tools/reference_pdf/final.py (manifest base "final").
NOT_IN_A_BUDGET = {"narrative.completion_percent": "a budget states no completion ratio (完成年初预算的X%)",
                   "narrative.three_public_budget": "a budget's “三公” table prints no 决算数 beside its 预算数",
                   "narrative.completion_tables": "a budget prints no completion ratio",
                   "wording.actual_vs_budget": "a budget compares no 决算 with its budget (决算数小于预算数)",
                   "wording.actual_vs_budget_reason": "a budget compares no 决算 with its budget (决算数小于预算数)"}
# Rules on the document as a whole (pipelines/validate/document_rules.py), with a planted defect each.
DOCUMENT_RULES = {"identity.placeholder_unit": ERROR, "identity.template_without_amounts": ERROR,
                  "identity.heading_year": WARNING}
# The rules issue 22 names for final accounts: each has a defect planted in the final account too.
FINAL_ACCOUNT_RULES = {"cross.income_grand_total", "cross.expenditure_grand_total",
                       "cross.appropriation_general_budget", "narrative.claim_amount", *NOT_IN_A_BUDGET,
                       *DOCUMENT_RULES}
MANIFEST = json.loads((DEFECTS / "manifest.json").read_text(encoding="utf-8"))


def _process(path, tmp_path_factory):
    return process_document(store_raw(path, tmp_path_factory.mktemp("raw")))


def _validate(doc) -> list[CheckResult]:
    return validate(doc.tables, doc.claims, doc.identity)


def _failed(results, check_id=None, severity=None):
    return [r for r in results if not r.passed and (check_id is None or r.check_id == check_id)
            and (severity is None or r.severity == severity)]


def _pages(result: CheckResult) -> set[int]:
    """The page of a result and every page its message cites (a cross-table result names both tables)."""
    return {result.page} | {int(p) for p in re.findall(r"\bp\.(\d+)", result.message)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    doc = _process(REFERENCE_PDF, tmp_path_factory)
    return doc, _validate(doc)


# ---------------------------------------------------------------------------------------------
# Catalog, suites, docs


def test_suites_and_rule_catalog_are_generated_from_the_rules():
    for family in FAMILIES:
        assert (SUITES_DIR / f"{family}.json").read_text(encoding="utf-8") == render_suite(family), (
            f"expectations/suites/{family}.json is stale: run python -m expectations")
    assert DOC_PATH.read_text(encoding="utf-8") == render_catalog(), \
        "docs/rules.md is stale: run python -m expectations"


def test_every_rule_is_decided_by_exactly_one_expectation():
    seen = []
    for family in FAMILIES:
        suite = suite_json(family)
        for e in suite["expectations"]:
            seen += [r["id"] for r in e["meta"]["rules"]]
        assert covered_rules(suite) == {r.id for r in RULES if r.family == family}
    assert sorted(seen) == sorted(r.id for r in RULES)
    assert all(r.severity in (ERROR, WARNING) for r in RULES)
    catalog = DOC_PATH.read_text(encoding="utf-8")
    assert all(f"`{r.id}`" in catalog for r in RULES)


def test_tolerance_is_the_printed_precision():
    # Same unit: exactly money.sum_tolerance.
    amounts = [Amount.parse(t, "万元") for t in ("3307.11", "897.99", "1155.90", "339.53")]
    assert tolerance(amounts) == sum_tolerance([a.printed for a in amounts], "万元") == Decimal("200.00")
    # Across units, each amount brings half a unit of its own last digit: 9.98 万元 (± 50 元) vs
    # 99,750.00 元 (± 0.005 元), rounded to cents once.
    pair = [Amount.parse("9.98", "万元"), Amount.parse("99,750.00", "元")]
    assert tolerance(pair) == Decimal("50.00")


# ---------------------------------------------------------------------------------------------
# The reference document


def test_reference_passes_every_check(reference):
    doc, results = reference
    assert doc.status == "published"
    assert _failed(results) == []
    assert is_publishable(results)
    # Every rule has something to check on the reference, but those a budget prints nothing for.
    assert {r.check_id for r in results} == set(RULES_BY_ID) - set(NOT_IN_A_BUDGET)


def test_reference_rounding_passes(reference):
    # 工资福利支出 prints 3307.11 万元; its 款 rows add up to 3307.13: 0.02 万元 of rounding, within the
    # 9 × 0.005 万元 the printed precision allows.
    _, results = reference
    wages = next(r for r in results if r.check_id == "hierarchy.econ_sum" and "工资福利支出 = Σ款 (合计)" in r.message)
    assert wages.passed and wages.page == 13
    assert (wages.observed, wages.expected) == ("33,071,300.00", "33,071,100.00")
    assert "rounding tolerance 450.00 元" in wages.message


def test_results_keep_values_and_name_table_row_and_page(reference):
    _, results = reference
    row = next(r for r in results if r.check_id == "row.total_equals_parts" and "2040201" in r.message)
    assert row.severity == ERROR and row.table_seq == 3 and row.page == 9
    assert "table 3 “2025年预算支出总表”" in row.message and "p.9" in row.message
    assert (row.observed, row.expected) == ("30,858,700.00", "30,858,700.00")
    share = next(r for r in results if r.check_id == "narrative.share" and "基本支出" in r.message)
    assert share.severity == WARNING and share.page == 20 and share.expected == "81.46%"


def test_validate_without_claims_runs_the_table_rules_only(reference):
    doc, _ = reference
    results = validate(doc.tables)
    assert {r.check_id.split(".")[0] for r in results} == {"hierarchy", "row", "cross", "wording"}
    assert _failed(results) == []


def test_staged_frames(reference):
    doc, _ = reference
    staged = stage(doc.tables, doc.claims, doc.identity)
    cells = staged.cells
    assert len(cells) == sum(len(t.cells) for t in doc.tables)
    row = cells[(cells.table_code == "expenditure_summary") & (cells.subject_code == "2040201")
                & (cells.measure == "basic")].iloc[0]
    assert (row.page, row.level, row.parent_code, row.printed, row.yuan) == (9, "项", "20402", "3085.87",
                                                                             Decimal("30858700.00"))
    assert row.half_unit_yuan == Decimal("50.000")
    frame = staged.frame("cross", lambda cid: RULES_BY_ID[cid].severity)
    assert list(frame.columns[:3]) == ["assertion_id", "check_id", "severity"]
    assert set(frame.check_id) == {r.id for r in RULES if r.family == "cross"}


def test_an_expectation_gx_cannot_evaluate_is_an_error_not_a_pass(reference):
    from expectations.gx import ValidationError, run_families

    doc, _ = reference
    frame = stage(doc.tables).frame("hierarchy", lambda cid: RULES_BY_ID[cid].severity)
    frame.loc[0, "observed_low"] = "not a number"
    with pytest.raises(ValidationError, match="could not evaluate"):
        run_families({"hierarchy": frame})


def test_one_gx_context_serves_every_document_of_a_process(reference, monkeypatch):
    # One GX context per process: after the first document, validating one only builds batches
    # (≈0.2 s); a context built per call would take seconds. The property, not the clock (which
    # other processes on the machine move): later documents build no new context.
    from expectations import gx

    doc, _ = reference
    validate(doc.tables, doc.claims, doc.identity)
    built = []
    real_init = gx._Runtime.__init__
    monkeypatch.setattr(gx._Runtime, "__init__", lambda self: (built.append(self), real_init(self))[1])
    first = gx.runtime()
    validate(doc.tables, doc.claims, doc.identity)
    validate(doc.tables, doc.claims, doc.identity)
    assert built == [] and gx.runtime() is first


def test_gx_runs_the_suite_files_with_their_rules_named_by_id():
    # GX copies an expectation's meta whenever it rebuilds its configuration: the runtime gives it the rule
    # ids only, in one string (expectations/gx.py, _as_run); everything else of each expectation is the file's.
    from expectations import gx
    from expectations.suites import load_suite_json

    runtime = gx.runtime()
    for family in FAMILIES:
        spec = load_suite_json(family)
        run = [e.configuration.to_json_dict() for e in runtime.suites[family].expectations]
        assert [e["meta"]["rules"].split() for e in run] == [[r["id"] for r in e["meta"]["rules"]]
                                                             for e in spec["expectations"]]
        assert [(e["type"], e["kwargs"], e["severity"]) for e in run] == [
            (e["type"], e["kwargs"], e["severity"]) for e in spec["expectations"]]


# ---------------------------------------------------------------------------------------------
# The defect corpus: one planted defect per rule


def test_the_corpus_plants_a_defect_for_every_rule():
    assert {m["rule"] for m in MANIFEST.values()} == set(RULES_BY_ID) | set(DOCUMENT_RULES)
    assert {m["rule"] for m in MANIFEST.values() if m["base"] == "budget"} == set(RULES_BY_ID) - set(NOT_IN_A_BUDGET)
    assert {m["rule"] for m in MANIFEST.values() if m["base"] == "final"} >= FINAL_ACCOUNT_RULES
    assert sorted(MANIFEST) == sorted(p.name for p in DEFECTS.glob("*.pdf"))


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_planted_defect_is_caught(name, tmp_path_factory):
    want = MANIFEST[name]
    doc = _process(DEFECTS / name, tmp_path_factory)
    results = doc.checks  # as the run decided them: every rule, the document's own included
    caught = [r for r in _failed(results, want["rule"]) if want["page"] in _pages(r)]
    assert caught, f"{name}: {want['description']} not caught by {want['rule']} on p.{want['page']}"
    result = caught[0]
    assert result.severity == (DOCUMENT_RULES.get(want["rule"]) or RULES_BY_ID[want["rule"]].severity)
    assert doc.status == ("published" if result.severity == WARNING else "quarantined")
    assert result.observed is not None and result.expected is not None
    if result.table_seq is not None:
        assert f"table {result.table_seq} “" in result.message
    # An error-severity defect quarantines the document; a warning does not.
    assert is_publishable(results) == (result.severity == WARNING)
    # Nothing else on the document fails but what the defect implies: rules of its own family, prose that
    # restates the figure it changed, or what the manifest says it implies (a blank template's tables
    # print no 注：本表无数据 either).
    others = {r.check_id for r in _failed(results)} - {want["rule"]} - set(want.get("implies", ()))
    family = want["rule"].split(".")[0]
    assert all(c.split(".")[0] in (family, "narrative") or c == "hierarchy.subject_sum" for c in others), others


# ---------------------------------------------------------------------------------------------
# Real documents (../shared/corpus/real). Every finding below was read off the PDF (pdftotext -layout).


@pytest.fixture(scope="module")
def justice(tmp_path_factory):
    doc = _process(real_pdf("sh-putuo-justice_2026_unit-budget.pdf"), tmp_path_factory)
    return doc, _validate(doc)


def _one(results, check_id, page, text):
    found = [r for r in results if r.check_id == check_id and r.page == page and text in r.message]
    assert len(found) == 1, (check_id, page, text, [r.message for r in results if r.check_id == check_id])
    return found[0]


def test_justice_expenditure_summary_row_does_not_add_up(justice):
    # p.11: 支出总表 row 2040601 行政运行 prints 项目支出 64,840,547.00 while its 合计 is 14,348,853.34
    # (= its 基本支出); so 20406 司法's 项目支出 (64,840,547.00) is not the sum of its 项 (129,681,094.00).
    # The 一般公共预算支出表 (p.14) prints the same rows.
    _, results = justice
    errors = _failed(results, severity=ERROR)
    row = _one(errors, "row.total_equals_parts", 11, "2040601")
    assert (row.observed, row.expected, row.table_seq) == ("79,189,400.34", "14,348,853.34", 3)
    kuan = _one(errors, "hierarchy.subject_sum", 11, "20406 司法")
    assert (kuan.observed, kuan.expected) == ("129,681,094.00", "64,840,547.00")
    assert {(r.check_id, r.page) for r in errors} == {
        ("row.total_equals_parts", 11), ("row.total_equals_parts", 14), ("hierarchy.subject_sum", 11),
        ("hierarchy.subject_sum", 14), ("cross.econ_basic_total", 19)}


def test_justice_personnel_and_public_split_differs_between_tables(justice):
    # p.8 收支总表 支出总计 prints 人员经费 20,374,181 and 公用经费 1,744,680; p.19 经济分类表 合计 prints
    # 人员经费 20,272,981.00 and 公用经费 1,845,880.34: the same 22,118,861 of 基本支出, split differently
    # (101,200 moved). All income is 一般公共预算, so the two must agree.
    _, results = justice
    personnel = _one(results, "cross.econ_basic_total", 19, "人员经费 = 收支总表 人员经费")
    assert not personnel.passed
    assert (personnel.expected, personnel.observed) == ("20,272,981.00", "20,374,181.00")
    public = _one(results, "cross.econ_basic_total", 19, "公用经费 = 收支总表 公用经费")
    assert not public.passed and (public.expected, public.observed) == ("1,845,880.34", "1,744,680.00")
    assert "p.8" in personnel.message


def test_justice_narrative_contradicts_its_tables(justice):
    _, results = justice
    warnings = _failed(results, severity=WARNING)
    # p.6: 行政单位离退休 (2080501) is 56.12万元 in its heading and 561,240.00 元 in 支出总表, but the text
    # says “2026年预算安排57.8万元，比2025年预算执行数(57.43万元)减少2.27%”: 57.8 > 57.43.
    amount = _one(warnings, "narrative.claim_amount", 6, "57.8万元")
    assert (amount.expected, amount.observed) == ("578,000.00", "561,240.00")
    _one(warnings, "wording.change_direction", 6, "57.8万元")
    _one(warnings, "narrative.change_percent", 6, "57.8万元")
    # p.7: 购房补贴 (2210203) is 207万元 in its heading and 2,070,000.00 元 in 支出总表, but the text says
    # “2026年预算安排170.03万元，比2025年预算执行数(241.76万元)增加21.74%”.
    amount = _one(warnings, "narrative.claim_amount", 7, "170.03万元")
    assert (amount.expected, amount.observed) == ("1,700,300.00", "2,070,000.00")
    _one(warnings, "wording.change_direction", 7, "170.03万元")
    _one(warnings, "narrative.change_percent", 7, "170.03万元")
    # p.6: 行政运行 1434.89万元 against 1690.69万元 “减少1.10%”: it is -15.13%.
    change = _one(warnings, "narrative.change_percent", 6, "1434.89万元")
    assert (change.expected, change.observed) == ("-1.10%", "-15.13%")


# file → [(check_id, page, text in the message)]: what each real document is pinned to fail.
REAL_FINDINGS = {
    "sh-putuo-finance-bureau_2025_dept-budget.pdf": [
        # p.7: “机关事业单位职业年金缴费支出（项）”887.36万元; 支出总表 (p.12) prints 873,617.00 元.
        ("narrative.claim_amount", 7, "887.36万元"),
    ],
    "sh-putuo-finance-bureau_2024_dept-final.pdf": [
        # p.21: “财政拨款收入支出总计0.3万元”; 财政拨款收入支出决算总表 (p.13) prints 2,961.68 / 2,940.05.
        ("narrative.claim_amount", 21, "0.3万元"),
        # p.21: 一般公共服务支出（类）2106.66万元，占71.73% of 2940.05万元: it is 71.65%.
        ("narrative.share", 21, "占71.73%"),
    ],
    "sh-putuo-wanli-street_2024_dept-budget.pdf": [
        # p.9: 住房公积金 heading 350.35万元 (支出总表 p.19: 3,503,499), text “2024年预算安排352.67万元”.
        ("narrative.claim_amount", 9, "352.67万元"),
    ],
    "sh-putuo-welfare-home_2024_unit-budget.pdf": [
        # p.6: 社会福利事业单位 (2081005) 738.66万元; the tables print 9,584,796 (支出总表) and 6,964,796
        # (一般公共预算支出表).
        ("narrative.claim_amount", 6, "738.66万元"),
    ],
    "js-procuratorate_2017_dept-budget.pdf": [
        # p.19: “公共安全（类）支出13656.34万元”; 财政拨款支出预算表 (p.12) prints 13,641.34.
        ("narrative.claim_amount", 19, "13656.34万元"),
        # p.19: “基本支出预算数为12323.46万元”; 支出预算总表 (p.11) prints 12,323.48.
        ("narrative.claim_amount", 19, "12323.46万元"),
        ("wording.empty_table_note", 13, "政府性基金支出预算表"),
    ],
    "js-procuratorate_2018_dept-budget.pdf": [
        # p.24: “公共安全（类）支出16,458.75万元”; the tables (p.15, p.17) print 16,444.36.
        ("narrative.claim_amount", 24, "16,458.75万元"),
        # p.25: 基本支出13,994.31万元，占63.75% of 21,955.35: it is 63.74%.
        ("narrative.share", 25, "占63.75%"),
    ],
    "js-npc-office_2017_dept-budget.pdf": [
        # p.28: shares “of the 三公经费” computed on 2,542.60 (三公 + 会议费 + 培训费): 222.5万元 is 26.69%
        # of the 三公经费 833.60 (p.20), not 8.75%.
        ("narrative.share", 28, "占8.75%"),
    ],
    "js-high-court_2017_dept-budget.pdf": [
        # p.20: 单位预留机动经费182.92万元，占0.64% of 28,849.38: it is 0.63%.
        ("narrative.share", 20, "占0.64%"),
        # p.15: the empty 政府性基金支出预算表 prints no note.
        ("wording.empty_table_note", 15, "政府性基金支出预算表"),
    ],
    "sh-municipal-finance-bureau_2025_unit-budget.pdf": [
        # p.15, p.16: the empty 政府性基金 / 国有资本经营 tables print no note.
        ("wording.empty_table_note", 15, "政府性基金预算支出功能分类预算表"),
        ("wording.empty_table_note", 16, "国有资本经营预算支出功能分类预算表"),
    ],
}

REAL_DOCUMENTS = sorted(
    ["js-cppcc-office_2017_dept-budget-tables.pdf", "js-cppcc-office_2017_dept-budget.pdf",
     "js-cppcc-office_2018_dept-budget-tables.pdf", "js-high-court_2017_dept-budget.pdf",
     "js-high-court_2018_dept-budget.pdf", "js-npc-office_2017_dept-budget.pdf",
     "js-party-committee-office_2017_dept-budget-tables.pdf", "js-procuratorate_2017_dept-budget.pdf",
     "js-procuratorate_2018_dept-budget.pdf", "js-procuratorate_2019_dept-budget.pdf",
     "sh-municipal-finance-bureau_2025_unit-budget.pdf", "sh-putuo-finance-bureau_2024_dept-final.pdf",
     "sh-putuo-finance-bureau_2025_dept-budget.pdf", "sh-putuo-gov-office_2025_dept-budget.pdf",
     "sh-putuo-wanli-street_2024_dept-budget.pdf", "sh-putuo-wanli-street_2025_dept-budget.pdf",
     "sh-putuo-welfare-home_2024_unit-budget.pdf"])


@pytest.mark.slow
@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_real_document(name, tmp_path_factory):
    """The consistent documents raise no error (the justice bureau's is pinned above); their
    published inconsistencies of the prose are flagged as warnings."""
    doc = _process(real_pdf(name), tmp_path_factory)
    results = _validate(doc)
    assert _failed(results, severity=ERROR) == []
    assert is_publishable(results)
    failed = _failed(results)
    for check_id, page, text in REAL_FINDINGS.get(name, []):
        assert any(r.check_id == check_id and r.page == page and text in r.message for r in failed), (
            name, check_id, page, text)


def test_gx_docs_is_removed_in_favour_of_the_review_pages(tmp_path):
    # GX Data Docs held only the documents of one worker process and loaded their styles from a CDN
    # (blank offline); `budgetdw report` writes a review page per document instead (issue 24).
    from click.testing import CliRunner
    from conftest import REFERENCE_PDF

    from pipelines.cli import main

    result = CliRunner().invoke(main, ["ingest", str(REFERENCE_PDF),
                                       "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
                                       "--data-dir", str(tmp_path / "data"), "--gx-docs", str(tmp_path / "docs"),
                                       "--workers", "1"])
    assert result.exit_code == 2
    assert "--gx-docs was removed" in result.output and "budgetdw report --out DIR" in result.output
    assert not (tmp_path / "docs").exists() and not (tmp_path / "w.duckdb").exists()  # nothing was done
    assert "--gx-docs" not in CliRunner().invoke(main, ["ingest", "--help"]).output
