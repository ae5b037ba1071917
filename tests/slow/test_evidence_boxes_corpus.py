"""Every failed table check of the real corpus and of the reference document's planted defects carries
boxes that land on the printed cells (issue 23, done when): pdfium reads each operand's printed value in
its box and the rendered page has ink there (tests/evidence_boxes.py)."""

from pathlib import Path

import pytest
from conftest import REAL_CORPUS, REFERENCE_PDF, REPO
from evidence_boxes import box_problems

DEFECTS = REPO / "tests" / "fixtures" / "defects"


@pytest.mark.slow
def test_every_failed_table_check_boxes_its_printed_cells(tmp_path):
    if not REAL_CORPUS.exists():
        pytest.skip(f"real corpus not found at {REAL_CORPUS}")
    pdfs = sorted(Path(REAL_CORPUS).glob("*.pdf")) + sorted(DEFECTS.glob("*.pdf")) + [REFERENCE_PDF]
    checked, problems = 0, []
    for pdf in pdfs:
        n, wrong = box_problems(pdf, tmp_path / pdf.stem)
        checked += n
        problems += [f"{pdf.name}: {p}" for p in wrong]
    assert problems == [] and checked >= 100
