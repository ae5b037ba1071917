"""Validation suites and rule catalog (Great Expectations 1.x over per-document pandas frames).

* rules.py — the rule catalog, the one definition of every rule (catalog_doc.py renders docs/rules.md)
* suites.py / suites/*.json — the GX suites, one per rule family, generated from the catalog
* staging.py — a document's amounts as frames, and the assertions derived from them
* tables.py, prose.py — the rules: which printed figures must agree
* custom.py — the custom GX expectation (printed values agreeing within their printed precision)
* gx.py — the lazily created GX context that runs the suites, and Data Docs

`python -m expectations` regenerates suites/*.json and docs/rules.md from rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .rules import FAMILIES, RULES_BY_ID
from .staging import Assertion, Staged, stage_tables


@dataclass(frozen=True)
class Verdict:
    assertion: Assertion
    passed: bool


def stage(tables, claims=None, identity=None) -> Staged:
    """Stage a document and derive every rule's assertions, by family (no GX involved)."""
    from . import prose, tables as table_rules

    staged = stage_tables(tables)
    doc = table_rules.Doc(staged)
    staged.assertions = {
        "hierarchy": table_rules.hierarchy(doc) + table_rules.econ_hierarchy(doc),
        "row": table_rules.row_components(doc) + table_rules.row_columns(doc),
        "cross": table_rules.cross(doc, identity),
        "narrative": prose.narrative(doc, claims, identity) if claims else [],
        "wording": prose.wording(doc, claims, identity),
    }
    return staged


def check_document(tables, claims=None, identity=None, docs_dir: Path | None = None) -> list[Verdict]:
    """Stage the document, run every family's GX suite on its frame, and return a verdict per assertion."""
    from .gx import run_families

    staged = stage(tables, claims, identity)
    frames = {family: staged.frame(family, lambda cid: RULES_BY_ID[cid].severity) for family in FAMILIES}
    run_name = None
    if identity is not None:
        run_name = f"{getattr(identity, 'unit_name', '')} {getattr(identity, 'fiscal_year', '')} " \
                   f"{getattr(identity, 'doc_kind', '')}".strip()
    outcomes = run_families(frames, run_name=run_name, docs_dir=docs_dir)
    verdicts = []
    for family in FAMILIES:
        failed = outcomes[family].failed if family in outcomes else set()
        for i, a in enumerate(staged.assertions.get(family, [])):
            verdicts.append(Verdict(a, i not in failed))
    return verdicts
