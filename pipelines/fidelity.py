"""How well a document was understood: the tool a maintainer runs on a new province's files.

Per document (`fidelity`), and for a folder of them a summary by city or province (`summarise`):
documents identified, tables found against the tables their 目录 lists, the share of sum checks that
hold, and the documents whose expenditure total is their 基本支出 + 项目支出 (+ the other components
their template prints, such as 单位预留机动经费).

The summary groups documents by the city or province their unit's name begins with (“深圳市…”,
“江苏省…”, “中国共产党广州市委员会宣传部” → 广州市), which is the template that printed them: a
crawler's folders may mix provinces (the real corpus keeps Jiangsu and Shanghai in one folder) and
name them by whatever the listing page said. Where the name prints no place (“上海钻石宝玉石交易联合
管理办公室”, “国家信访局”), or the document was not identified at all, the document joins the city
most documents of its folder belong to, else a group named after the folder.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from pipelines.catalog import UNCLASSIFIED, TableCode
from pipelines.extract.parts import NARRATIVE
from pipelines.model import ProcessedDocument
from pipelines.money import UNIT_FACTORS
from pipelines.validate.document_rules import listed_not_found

# The rule families that check arithmetic (expectations/rules.py): the “sum checks”.
SUM_FAMILIES = ("hierarchy.", "row.", "cross.")
# A city or province at the start of a unit's name; the Party committee's departments name theirs inside.
_REGION = re.compile(r"^(?:中国共产党|中共)?(\w{2,7}?(?:省|自治区|市))")


@dataclass
class Fidelity:
    name: str
    status: str
    doc_kind: str | None
    unit_name: str | None
    fiscal_year: int | None
    toc_tables: int | None
    tables_found: int
    tables_classified: int
    rows: int
    amounts: int
    checks: int
    checks_held: int
    error: str | None
    folder: str = ""
    failure_kind: str | None = None
    part: str | None = None
    sum_checks: int = 0
    sum_checks_held: int = 0
    totals_add_up: bool | None = None  # expenditure = basic + project (+ other components); None: not printed
    # Of the toc_tables listed, how many were found, by kind (绩效目标表 included: validate.document_rules);
    # None: counted as min(tables_classified, toc_tables).
    listed_found: int | None = None

    @property
    def held_share(self) -> float | None:
        return self.sum_checks_held / self.sum_checks if self.sum_checks else None

    @property
    def region(self) -> str | None:
        """The city or province the unit's name begins with, if it prints one."""
        found = _REGION.match(self.unit_name or "")
        return found.group(1) if found else None


def fidelity(doc: ProcessedDocument) -> Fidelity:
    ident = doc.identity
    tables = [t for t in doc.tables if t.table.code != TableCode.PERFORMANCE_TARGETS]
    sums = [c for c in doc.checks if c.check_id.startswith(SUM_FAMILIES)]
    return Fidelity(
        name=doc.source.name,
        status=doc.status,
        doc_kind=ident.doc_kind if ident else None,
        unit_name=ident.unit_name if ident else None,
        fiscal_year=ident.fiscal_year if ident else None,
        toc_tables=ident.toc_tables if ident else None,
        tables_found=len(tables),
        tables_classified=sum(t.table.code != UNCLASSIFIED for t in tables),
        rows=sum(len(t.table.body_rows) for t in tables),
        amounts=sum(len(t.cells) for t in tables),
        checks=len(doc.checks),
        checks_held=sum(c.passed for c in doc.checks),
        error=doc.error,
        folder=PurePath(doc.source.source_uri).parent.name,
        failure_kind=doc.failure_kind,
        part=doc.part,
        sum_checks=len(sums),
        sum_checks_held=sum(c.passed for c in sums),
        totals_add_up=_totals_add_up(doc),
        listed_found=(ident.toc_tables - len(listed_not_found(ident, doc.tables))
                      if ident and ident.toc_tables else None),
    )


def _totals_add_up(doc: ProcessedDocument) -> bool | None:
    """Whether the tables' expenditure total is 基本 + 项目 (+ the other components the template prints),
    within the rounding of the amounts printed to 0.01 of the document's money unit; None where the
    tables do not print all three totals."""
    t = doc.totals
    if t is None or t.source != "tables":
        return None
    # The year's spending, not the 总计 with what is carried to next year (unless the 支出总表 prints that too).
    spent = t.expenditure_total if "carry_forward" in t.other_components or t.current_year_expenditure is None \
        else t.current_year_expenditure
    if None in (spent, t.basic_total, t.project_total):
        return None
    parts = [t.basic_total, t.project_total, *t.other_components.values()]
    unit = doc.identity.money_unit if doc.identity and doc.identity.money_unit in UNIT_FACTORS else "元"
    tolerance = (len(parts) + 1) * Decimal("0.005") * UNIT_FACTORS[unit]
    return abs(spent - sum(parts, Decimal(0))) <= tolerance


@dataclass
class Summary:
    """What a maintainer reads about one city's (or province's) documents."""

    group: str
    folders: set[str] = field(default_factory=set)
    documents: int = 0
    identified: int = 0
    not_disclosures: int = 0  # rejected as no budget disclosure at all (a notice, a gazette, a report)
    published: int = 0
    narrative_parts: int = 0
    listing: int = 0  # documents whose 目录 lists tables (narrative parts aside: their tables are elsewhere)
    complete: int = 0  # … of which every listed table was found
    tables_listed: int = 0
    tables_found: int = 0
    sum_checks: int = 0
    sum_checks_held: int = 0
    with_totals: int = 0  # documents whose tables print expenditure, basic and project totals
    totals_add_up: int = 0

    def add(self, f: Fidelity) -> None:
        self.folders.add(f.folder)
        self.documents += 1
        self.identified += f.unit_name is not None
        self.not_disclosures += f.failure_kind == "not_budget"
        self.published += f.status == "published"
        self.narrative_parts += f.part == NARRATIVE
        if f.toc_tables and f.part != NARRATIVE:
            self.listing += 1
            found = f.listed_found if f.listed_found is not None else min(f.tables_classified, f.toc_tables)
            self.complete += found >= f.toc_tables
            self.tables_listed += f.toc_tables
            self.tables_found += found
        self.sum_checks += f.sum_checks
        self.sum_checks_held += f.sum_checks_held
        self.with_totals += f.totals_add_up is not None
        self.totals_add_up += bool(f.totals_add_up)

    def line(self) -> str:
        share = f"{self.sum_checks_held / self.sum_checks:.1%}" if self.sum_checks else "none run"
        folders = (f" ({', '.join(sorted(self.folders))})" if len(self.folders) <= 3 else
                   f" ({len(self.folders)} folders)")
        rejected = f" ({self.not_disclosures} not a disclosure)" if self.not_disclosures else ""
        narrative = (f", {self.narrative_parts} narrative part{'s' * (self.narrative_parts != 1)}"
                     if self.narrative_parts else "")
        return (f"{self.group}{'' if self.group.startswith('folder ') else folders}: "
                f"{self.identified}/{self.documents} identified{rejected}, {self.published} published{narrative} | "
                f"tables found {self.tables_found}/{self.tables_listed} listed ({self.complete}/{self.listing} "
                f"documents complete) | sum checks {self.sum_checks_held}/{self.sum_checks} hold ({share}) | "
                f"expenditure = basic + project: {self.totals_add_up}/{self.with_totals} documents")


def summarise(results: list[Fidelity]) -> list[Summary]:
    """One summary per city or province (see the module's docstring), then one for all documents."""
    by_folder: dict[str, Counter] = {}
    for f in results:
        if f.region:
            by_folder.setdefault(f.folder, Counter())[f.region] += 1
    groups: dict[str, Summary] = {}
    total = Summary("all")
    for f in results:
        group = f.region or (by_folder[f.folder].most_common(1)[0][0] if f.folder in by_folder
                             else f"folder {f.folder}")
        groups.setdefault(group, Summary(group)).add(f)
        total.add(f)
    return sorted(groups.values(), key=lambda s: (-s.documents, s.group)) + [total]
