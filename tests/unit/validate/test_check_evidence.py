"""What a check result says about its operands (issue 23 part 3) at the level of the text: a prose check
carries its sentence and page, and the other sentence its comparison takes; a money check its numbers
in yuan; and a check's key stays the same when the document is read again."""

from __future__ import annotations

from types import SimpleNamespace

from pipelines.extract.narrative import extract_claims
from pipelines.extract.pdftext import Page
from pipelines.model import CheckResult
from pipelines.validate.checks import validate


def results(*pages: str, year: int = 2025) -> list[CheckResult]:
    claims = extract_claims([Page(i + 1, t, 595.0, 842.0) for i, t in enumerate(pages)], year)
    return validate([], claims, SimpleNamespace(fiscal_year=year, doc_kind="dept_budget"))


def test_a_share_names_its_sentence_and_the_sentence_stating_the_whole():
    # 20.00 / 80.00 = 25%, the text says 30%
    whole = "2025年支出预算80.00万元。"
    part = "其中：基本支出20.00万元，占支出的30%。"
    (share,) = [r for r in results(whole, part) if r.check_id == "narrative.share"]
    assert not share.passed
    assert share.evidence == ({"role": "stated", "page": 2, "text": "其中：基本支出20.00万元，占支出的30%"},
                              {"role": "whole", "page": 1, "text": "2025年支出预算80.00万元"})
    assert share.observed_yuan is None and share.expected_yuan is None  # percentages, not amounts


def test_a_check_has_the_same_key_when_read_again_and_distinct_keys_otherwise():
    text = "2025年支出预算80.00万元，比上年增加10.00万元，增长20%。"
    first, again = results(text), results(text)
    assert [r.check_key for r in first] == [r.check_key for r in again]
    assert len({r.check_key for r in first}) == len(first)
    (change,) = [r for r in first if r.check_id == "narrative.change_percent"]
    # 10.00 / 70.00 = 14.29%, the text says 20%
    assert not change.passed and change.evidence[0]["text"] == "2025年支出预算80.00万元，比上年增加10.00万元，增长20%"


def test_a_document_rule_without_a_key_of_its_own_gets_one_from_its_subject():
    a = CheckResult("identity.heading_year", "warning", False, "2023", "2024", "the heading “x” on p.2 names 2023",
                    page=2)
    b = CheckResult("identity.heading_year", "warning", True, "2023", "2024", "the heading “x” on p.2 names 2023",
                    page=2)
    assert a.check_key == b.check_key and len(a.check_key) == 12
    assert a.observed_yuan is None


def test_a_cell_found_by_its_value_gets_its_box_and_a_blank_one_is_not_given_another_cells():
    from pipelines.money import Amount
    from pipelines.validate.staging import CELL_COLUMNS, Assertion, Figure, Staged, TableInfo, _frame, attach_boxes
    from pipelines.validate.table_rules import Printed

    table = TableInfo(3, "basic_expenditure_econ", "基本支出表", [13], [], "万元", False, None, [])
    # 工资福利支出 prints 3310.11 under 合计 and under 人员经费; 0.00 once, under 公用经费
    cells = [(3, "basic_expenditure_econ", "基本支出表", 4, 13, "工资福利支出", None, None, None, col, name, measure,
              printed, "万元", None, None, box)
             for col, name, measure, printed, box in (
                 (2, "预算数/合计", "total", "3310.11", (300.0, 600.0, 360.0, 618.0)),
                 (3, "预算数/人员经费", "personnel", "3310.11", (360.0, 600.0, 420.0, 618.0)),
                 (4, "预算数/公用经费", "public", "0.00", (420.0, 600.0, 480.0, 618.0)))]
    staged = Staged(_frame(cells, CELL_COLUMNS, ("table_seq", "row_index", "page", "column_index")), None, {})
    econ = Printed(Amount.parse("3310.11", "万元"), 13, "301 工资福利支出", 3, "personnel")
    blank = Figure(Amount("0.00", "万元", 0), table, 13, "合计 row, 公用经费 (blank)")
    from pipelines.validate.staging import operand

    a = Assertion("hierarchy.econ_sum", 3, "基本支出表", 13, "301", "x",
                  evidence=[operand(econ, "stated", table), operand(blank, "part")])
    staged.assertions = {"hierarchy": [a]}
    attach_boxes(staged)
    found, left_blank = a.evidence
    assert found["bbox"] == [360.0, 600.0, 420.0, 618.0] and found["column"] == "预算数/人员经费"
    assert left_blank["bbox"] is None
