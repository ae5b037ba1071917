"""A failed table check's evidence boxes the printed cells (issue 23 part 3), on the quarantined real
document and on planted defects of the reference document, one per family of table rules;
tests/slow/test_evidence_boxes_corpus.py runs the whole real corpus and every planted defect."""

import pytest
from conftest import REPO, real_pdf
from evidence_boxes import box_problems

from pipelines.process import process_document
from pipelines.store import store_raw

DEFECTS = REPO / "tests" / "fixtures" / "defects"


@pytest.mark.parametrize("pdf", [
    real_pdf("sh-putuo-justice_2026_unit-budget.pdf"),  # 支出总表 p.11, 经济分类 p.15
    DEFECTS / "hierarchy-kuan-off-by-one.pdf",
    DEFECTS / "hierarchy-econ-class.pdf",  # economic rows: their cells found by table, page and value
    DEFECTS / "cross-project-total.pdf",  # operands in three tables
    DEFECTS / "row-fund-sources.pdf",
], ids=lambda p: p.name)
def test_every_failed_table_check_boxes_its_printed_cells(pdf, tmp_path):
    checked, problems = box_problems(pdf, tmp_path)
    assert checked >= 2 and problems == []


def test_the_planted_sum_defect_boxes_the_cell_it_changed(tmp_path):
    # 204 公共安全支出 prints 4045.42 (p.9, table 3) where its 款 20402 公安 prints 4046.42.
    doc = process_document(store_raw(DEFECTS / "hierarchy-kuan-off-by-one.pdf", tmp_path))
    (check,) = [c for c in doc.failed_checks if c.message.startswith("204 公共安全支出 = Σ children (total)")]
    stated, part = check.evidence
    assert (stated["role"], stated["page"], stated["table_seq"], stated["printed"]) == ("stated", 9, 3, "4045.42")
    assert stated["row"] == "204 公共安全支出" and stated["column"].endswith("合计")
    assert (part["role"], part["printed"], part["row"]) == ("part", "4046.42", "20402 公安")
    # one row apart: the same columns, 20402 printed below 204
    assert part["bbox"][0] == stated["bbox"][0] and part["bbox"][3] == stated["bbox"][1]
    assert (check.observed_yuan, check.expected_yuan) == (40464200, 40454200)
