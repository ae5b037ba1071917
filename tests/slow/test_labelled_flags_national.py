"""Precision of the prose flags on the national corpus (issue 23 part 5).

tests/fixtures/flags/labelled_national.json lists every flag of the prose families (narrative.*, and
wording.* but for wording.empty_table_note, which reads the tables) raised on the 65 documents of
../shared/corpus/national, each marked true or false by reading the PDF, with why. As for the real
corpus (test_labelled_flags.py): a flag not in the set fails until it is labelled, a labelled flag no
longer raised fails until it is taken out, and precision must stay at or above 90%.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import REAL_CORPUS, REPO

from pipelines.process import process_document
from pipelines.store import store_raw

NATIONAL = REAL_CORPUS.parent / "national"
LABELLED = REPO / "tests" / "fixtures" / "flags" / "labelled_national.json"
MIN_PRECISION = 0.90


def in_scope(check_id: str) -> bool:
    return check_id.startswith("narrative.") or (check_id.startswith("wording.")
                                                 and check_id != "wording.empty_table_note")


def flag_key(file: str, check_id: str, page: int | None, message: str) -> tuple:
    """A flag as the set names it: the sentence its message quotes, else the check's subject."""
    quoted = re.search(r"«([^»]*)»", message)
    return file, check_id, page, quoted.group(1) if quoted else message.split(" does not hold")[0]


def _labels() -> Counter:
    entries = json.loads(LABELLED.read_text(encoding="utf-8"))["flags"]
    assert all(isinstance(e["true"], bool) and e["why"].strip() for e in entries)
    return Counter((e["file"], e["check_id"], e["page"], e["key"], e["true"]) for e in entries)


def test_the_labelled_set_is_above_the_precision_floor():
    labels = _labels()
    true = sum(n for k, n in labels.items() if k[-1])
    assert true / sum(labels.values()) >= MIN_PRECISION


@pytest.mark.slow
def test_prose_flags_on_the_national_corpus_are_labelled_and_precise(tmp_path):
    if not NATIONAL.exists():
        pytest.skip(f"national corpus not found at {NATIONAL}")
    raised: Counter = Counter()
    for pdf in sorted(NATIONAL.glob("*/*.pdf")):
        name = f"{pdf.parent.name}/{pdf.name}"
        doc = process_document(store_raw(pdf, tmp_path / pdf.parent.name / pdf.stem))
        for c in doc.checks:
            if not c.passed and in_scope(c.check_id):
                raised[flag_key(name, c.check_id, c.page, c.message)] += 1
    labels = _labels()
    by_key = {k[:-1]: k[-1] for k in labels}
    unlabelled = [k for k in raised if k not in by_key]
    assert not unlabelled, f"flags not in {LABELLED.name} (label them true or false, with why): {unlabelled}"
    gone = [k for k in by_key if k not in raised]
    assert not gone, f"flags in {LABELLED.name} no longer raised (take them out): {gone}"
    counted = Counter({k[:-1]: n for k, n in labels.items()})
    assert counted == Counter({k: raised[k] for k in counted}), "a flag raised more or fewer times than labelled"
    true = sum(n for k, n in raised.items() if by_key[k])
    total = sum(raised.values())
    assert total and true / total >= MIN_PRECISION, f"precision {true}/{total} = {true / total:.1%}"
