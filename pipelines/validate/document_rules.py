"""Rules on the document as a whole, decided in Python rather than by a GX suite: its identity rests
on enough evidence, it is no blank template, its 目录's tables are all there, its headings name its
own year. Their results join the GX checks in the same list (pipelines/process.py)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipelines.catalog import classify_title
from pipelines.extract.identify import MIN_CONFIDENCE, PLACEHOLDER_UNIT, Identity
from pipelines.extract.parts import NARRATIVE
from pipelines.extract.pdftext import Page, squeeze
from pipelines.model import CheckResult, ProcessedDocument
from pipelines.normalise.tables import NormalisedTable
from pipelines.validate.checks import ERROR, WARNING


def document_checks(doc: ProcessedDocument, pages: list[Page]) -> list[CheckResult]:
    """Every document-level rule for a document whose identity was read."""
    return (identity_checks(doc.identity, doc.source.source_uri) + template_checks(doc) + completeness_checks(doc)
            + heading_year_checks(pages, doc.identity.fiscal_year))


def listed_not_found(identity: Identity, tables: list[NormalisedTable]) -> list[str]:
    """The titles the 目录 (or the numbering) lists whose kind no table found has, each table found
    answering one title. Kinds, not counts: a listed 绩效目标表 is found as one (Changsha, Chongqing,
    Xi'an list theirs among the tables)."""
    found = Counter(t.table.code for t in tables)
    missing = []
    for title in identity.toc_titles:
        code = classify_title(title)
        if found[code]:
            found[code] -= 1
        else:
            missing.append(title)
    return missing


def completeness_checks(doc: ProcessedDocument) -> list[CheckResult]:
    """Every table the 目录 lists should be in the body. A document whose tables were published
    separately legitimately lacks them (a warning); a repaired, truncated download that lost
    them must not be published (an error)."""
    listed = doc.identity.toc_tables
    if not listed:
        return []
    missing = listed_not_found(doc.identity, doc.tables)
    found = listed - len(missing)
    if doc.part == NARRATIVE and not doc.notes:
        # Its tables are the companion file's (pipelines/extract/parts.py); the loader checks the prose
        # against them (cross.companion_totals). A repaired file is not given that benefit of the doubt.
        return [CheckResult("completeness.toc_tables", WARNING, True, str(found), str(listed),
                            f"the 目录 lists {listed} tables, published in a separate file: this is the "
                            "disclosure's narrative part")]
    passed = not missing
    severity = ERROR if doc.notes and not passed else WARNING
    message = (f"the 目录 lists {listed} tables and {found} were found"
               + ("" if passed else f" (not found: {'、'.join(missing[:3])}{' …' if len(missing) > 3 else ''}); "
                                    "the missing ones may be in a separate file or lost from a damaged file"))
    return [CheckResult("completeness.toc_tables", severity, passed, str(found), str(listed), message)]


def template_checks(doc: ProcessedDocument) -> list[CheckResult]:
    """A blank template is not a disclosure to publish: a placeholder for the unit's name, or tables
    that print no amount at all (a narrative-only part, which prints no tables, is not one)."""
    checks = []
    unit = doc.identity.unit_name
    if PLACEHOLDER_UNIT.search(unit):
        checks.append(CheckResult("identity.placeholder_unit", ERROR, False, unit, "a unit's name",
                                  f"the unit is printed as a placeholder, “{unit}”: a template not filled in",
                                  page=next((e.page for e in doc.identity.evidence
                                             if e.field == "unit_name" and e.page), None)))
    if len(doc.tables) >= 3 and not any(c.amount.yuan for t in doc.tables for c in t.cells):
        checks.append(CheckResult("identity.template_without_amounts", ERROR, False, "no amount", "amounts",
                                  f"{len(doc.tables)} tables found and none prints an amount: a blank template",
                                  page=min(t.table.pages[0] for t in doc.tables)))
    return checks


def identity_checks(identity: Identity, source_uri: str) -> list[CheckResult]:
    """The identity must rest on enough evidence (quarantined, not guessed, when it does not). A year
    in the file name that the content contradicts is a warning for the reviewer, never a reason to
    hold the document back: file names lie (crawlers name Xi'an's 2022 budgets "…_2026年部门预算"),
    and the content decides."""
    checks = []
    if identity.confidence < MIN_CONFIDENCE:
        checks.append(CheckResult(
            "identity.confidence", ERROR, False, f"{identity.confidence:.2f}", f"≥ {MIN_CONFIDENCE:.2f}",
            f"identity not certain enough ({identity.unit_name}, {identity.fiscal_year}, {identity.doc_kind}, "
            f"confidence {identity.confidence:.2f}): {identity.weakest()}",
            page=next((e.page for e in identity.evidence if e.page), None),
            evidence=tuple({"role": e.field, "page": e.page, "text": e.text, "source": e.source}
                           for e in identity.evidence[:12])))
    hint = re.findall(r"(20\d{2})", Path(source_uri).name)
    if not hint:
        return checks
    passed = str(identity.fiscal_year) in hint
    message = (f"fiscal year {identity.fiscal_year} printed in the document "
               f"{'agrees with' if passed else 'contradicts'} the file name {Path(source_uri).name!r}")
    return checks + [CheckResult("identity.file_name_year", WARNING, passed, str(identity.fiscal_year),
                                 "/".join(hint), message, evidence=(
                                     {"role": "file name", "page": None, "text": Path(source_uri).name},))]




# A heading of the document's own parts (第三部分 …, 一、…, （二）…) that names a year with 预算/决算.
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
# …but not a numbered sentence (“（一）因公出国（境）费12.60万元，与2025年预算持平。”): a heading has no
# sentence punctuation and compares with nothing.
_SENTENCE = re.compile(r"[，。；,;]|与|比|较|万元")
_HEADING_YEAR = re.compile(r"(20\d{2})\s*年度?[^，。；]{0,20}?(预算|决算)")


def heading_year_checks(pages: list[Page], fiscal_year: int) -> list[CheckResult]:
    """A part heading that names another fiscal year (“第三部分 2023年度部门决算情况说明” in a 2024 final
    account) was left over from last year's document: flagged for the reviewer. Sentences that
    compare with earlier years are prose, not headings, and are not looked at."""
    checks = []
    for page in pages:
        for line in page.lines:
            text = squeeze(line)
            if len(text) > 40 or not _HEADING.match(text) or _SENTENCE.search(text):
                continue
            years = {int(y) for y, _ in _HEADING_YEAR.findall(text)}
            if years and fiscal_year not in years:
                checks.append(CheckResult(
                    "identity.heading_year", WARNING, False, "/".join(map(str, sorted(years))), str(fiscal_year),
                    f"the heading “{text}” on p.{page.number} names {', '.join(map(str, sorted(years)))}, "
                    f"not the document's fiscal year {fiscal_year}", page=page.number,
                    evidence=({"role": "stated", "page": page.number, "text": text},)))
    return checks
