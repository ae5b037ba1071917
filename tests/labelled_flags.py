"""The labelled flag sets of tests/fixtures/flags/ (issue 23 part 5) and the one way they are compared
with the flags a corpus raises: every flag labelled, every label still raised as often, precision ≥ 90%."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

MIN_PRECISION = 0.90


def flag_key(file: str, check_id: str, page: int | None, message: str) -> tuple:
    """A flag as the set names it: the sentence its message quotes, else the check's subject."""
    quoted = re.search(r"«([^»]*)»", message)
    return file, check_id, page, quoted.group(1) if quoted else message.split(" does not hold")[0]


def labels(path: Path) -> Counter:
    entries = json.loads(path.read_text(encoding="utf-8"))["flags"]
    assert all(isinstance(e["true"], bool) and e["why"].strip() for e in entries)
    return Counter((e["file"], e["check_id"], e["page"], e["key"], e["true"]) for e in entries)


def labelled_precision(path: Path) -> float:
    counted = labels(path)
    return sum(n for k, n in counted.items() if k[-1]) / sum(counted.values())


def assert_labelled_and_precise(raised: Counter, path: Path) -> None:
    counted = labels(path)
    by_key = {k[:-1]: k[-1] for k in counted}
    unlabelled = [k for k in raised if k not in by_key]
    assert not unlabelled, f"flags not in {path.name} (label them true or false, with why): {unlabelled}"
    # The set is every flag raised, no more: a flag no longer raised is taken out (a false alarm fixed,
    # or a true flag lost, which the set then shows in its history).
    gone = [k for k in by_key if k not in raised]
    assert not gone, f"flags in {path.name} no longer raised (take them out): {gone}"
    times = Counter({k[:-1]: n for k, n in counted.items()})
    assert times == Counter({k: raised[k] for k in times}), "a flag raised more or fewer times than labelled"
    true = sum(n for k, n in raised.items() if by_key[k])
    total = sum(raised.values())
    assert total and true / total >= MIN_PRECISION, f"precision {true}/{total} = {true / total:.1%}"


def raised_flags(files: dict[str, Path], raw_dir: Path,
                 in_scope: Callable[[str], bool] = lambda check_id: True) -> Counter:
    """The failed checks (of the rules `in_scope` admits) of each file, read as a run reads it, keyed as in
    the labelled sets: `files` maps the name the set uses for a file to its path."""
    from pipelines.process import process_document
    from pipelines.store import store_raw

    raised: Counter = Counter()
    for name, pdf in files.items():
        doc = process_document(store_raw(pdf, raw_dir / name.replace("/", "_")))
        for c in doc.checks:
            if not c.passed and in_scope(c.check_id):
                raised[flag_key(name, c.check_id, c.page, c.message)] += 1
    return raised
