"""Check a document against its own arithmetic, across its tables, and against its prose.

The single entry point is `validate(tables, claims=None, identity=None)`; `is_publishable(results)`
says whether a document may be published (every error-severity check holds).

The rules are defined once, in expectations/rules.py (catalog: docs/rules.md). For each document
the tables (and claims) are staged as pandas frames, every rule turns them into assertions — one
frame of assertions per rule family — and Great Expectations runs the family's suite
(expectations/suites/*.json) over its frame, in one lazily created ephemeral context per process.
Every comparison allows only the rounding its printed precision allows (money.sum_tolerance;
half a unit of a percentage's last digit): rounding passes, real errors fail. Results are kept for
every check, passed or not, so an analyst can see what was verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from expectations.rules import ERROR, FAMILIES, RULES_BY_ID, WARNING
from pipelines.model import CheckResult, check_key
from pipelines.normalise.tables import NormalisedTable
from pipelines.validate.staging import Assertion, Staged, attach_boxes, sentence, stage_tables

if TYPE_CHECKING:
    from pipelines.extract.identify import Identity
    from pipelines.extract.narrative import Claim

__all__ = ["ERROR", "WARNING", "CheckResult", "validate", "is_publishable", "warm_up", "RULES_BY_ID"]


@dataclass(frozen=True)
class Verdict:
    assertion: Assertion
    passed: bool


def stage(tables: list[NormalisedTable], claims: list[Claim] | None = None,
          identity: Identity | None = None) -> Staged:
    """Stage a document and derive every rule's assertions, by family (no GX involved)."""
    from pipelines.validate import prose_rules as prose
    from pipelines.validate import table_rules

    staged = stage_tables(tables)
    doc = table_rules.Doc(staged)
    staged.assertions = {
        "hierarchy": table_rules.hierarchy(doc) + table_rules.econ_hierarchy(doc),
        "row": table_rules.row_components(doc) + table_rules.row_columns(doc),
        "cross": table_rules.cross(doc, identity),
        "narrative": prose.narrative(doc, claims, identity) if claims else [],
        "wording": prose.wording(doc, claims, identity),
    }
    attach_boxes(staged)
    return staged


def check_document(tables: list[NormalisedTable], claims: list[Claim] | None = None,
                   identity: Identity | None = None) -> list[Verdict]:
    """Stage the document, run every family's GX suite on its frame, and return a verdict per assertion."""
    from expectations.gx import run_families

    staged = stage(tables, claims, identity)
    frames = {family: staged.frame(family, lambda cid: RULES_BY_ID[cid].severity) for family in FAMILIES}
    outcomes = run_families(frames)
    verdicts = []
    for family in FAMILIES:
        failed = outcomes[family].failed if family in outcomes else set()
        for i, a in enumerate(staged.assertions.get(family, [])):
            verdicts.append(Verdict(a, i not in failed))
    return verdicts


def validate(tables: list[NormalisedTable], claims: list[Claim] | None = None,
             identity: Identity | None = None) -> list[CheckResult]:
    """Every check of one document: the rules of expectations/rules.py over its tables, and over
    its prose when `claims` (pipelines.extract.narrative.Claim) are given. `identity` (pipelines.extract.identify.
    Identity) names the fiscal year and the unit (whose own row heads a 项目支出表).
    """
    verdicts = check_document(tables, claims, identity)
    results = [_result(v) for v in verdicts]
    # Two checks of one subject on one page (two sentences alike): numbered in document order.
    seen: dict[str, int] = {}
    for i, r in enumerate(results):
        seen[r.key] = seen.get(r.key, 0) + 1
        if seen[r.key] > 1:
            results[i] = replace(r, key=f"{r.key}-{seen[r.key]}")
    return results


def _result(v: Verdict) -> CheckResult:
    a = v.assertion
    verdict = "holds" if v.passed else "does not hold"
    where = a.where or (f"in table {a.table_seq} “{a.table_title}”, p.{a.page}" if a.table_seq is not None
                        else f"on p.{a.page}")
    message = f"{a.what} {verdict} {where}: {a.detail}" if a.detail else f"{a.what} {verdict} {where}"
    quoted = _QUOTED.search(a.detail or "")
    evidence = a.evidence or ([sentence(a.page, quoted.group(1))] if quoted else [])
    if not evidence and a.table_seq is not None:  # the table as a whole (an empty table without its note)
        evidence = [{"role": "table", "page": a.page, "table_seq": a.table_seq, "table": a.table_title}]
    subject = f"{a.what} {where}" + (f" «{quoted.group(1)}»" if quoted else "")
    single = a.in_yuan and a.observed_low is not None and a.observed_low == a.observed_high
    return CheckResult(a.check_id, RULES_BY_ID[a.check_id].severity, v.passed, a.observed_text, a.expected_text,
                       message, a.table_seq, a.page, key=check_key(a.check_id, a.table_seq, a.page, subject),
                       observed_yuan=_cents(a.observed_low) if single else None,
                       expected_yuan=_cents(a.expected) if a.in_yuan else None, evidence=tuple(evidence))


_QUOTED = re.compile(r"«([^»]+)»")  # the sentence a prose check quotes


def _cents(v: Decimal | None) -> Decimal | None:
    return v.quantize(Decimal("0.01")) if v is not None else None


def is_publishable(results: list[CheckResult]) -> bool:
    return all(r.passed for r in results if r.severity == ERROR)


def warm_up() -> None:
    """Import GX and create this process's context now (≈2–3 s) rather than on the first document
    (e.g. when a worker process starts)."""
    from expectations.gx import runtime

    runtime()

