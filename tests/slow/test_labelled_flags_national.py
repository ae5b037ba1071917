"""Precision of the prose flags on the national corpus (issue 23 part 5).

tests/fixtures/flags/labelled_national.json lists every flag of the prose families (narrative.*, and
wording.* but for wording.empty_table_note, which reads the tables) raised on the 65 documents of
../shared/corpus/national, each marked true or false by reading the PDF, with why. As for the real
corpus (test_labelled_flags.py): a flag not in the set fails until it is labelled, a labelled flag no
longer raised fails until it is taken out, and precision must stay at or above 90%.
"""

from __future__ import annotations

import pytest
from conftest import REAL_CORPUS, REPO
from labelled_flags import MIN_PRECISION, assert_labelled_and_precise, labelled_precision, raised_flags

NATIONAL = REAL_CORPUS.parent / "national"
LABELLED = REPO / "tests" / "fixtures" / "flags" / "labelled_national.json"


def in_scope(check_id: str) -> bool:
    return check_id.startswith("narrative.") or (check_id.startswith("wording.")
                                                 and check_id != "wording.empty_table_note")


def test_the_labelled_set_is_above_the_precision_floor():
    assert labelled_precision(LABELLED) >= MIN_PRECISION


@pytest.mark.slow
def test_prose_flags_on_the_national_corpus_are_labelled_and_precise(tmp_path):
    if not NATIONAL.exists():
        pytest.skip(f"national corpus not found at {NATIONAL}")
    raised = raised_flags({f"{pdf.parent.name}/{pdf.name}": pdf for pdf in sorted(NATIONAL.glob("*/*.pdf"))},
                          tmp_path, in_scope)
    assert_labelled_and_precise(raised, LABELLED)
