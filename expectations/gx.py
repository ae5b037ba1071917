"""Run the suites with Great Expectations: one lazily created ephemeral context per process.

GX takes seconds to import, so nothing here imports it at module level: the first call to
`run_families` imports it, creates the context (a pandas data source with one dataframe asset per
rule family, the suites loaded from expectations/suites/*.json) and keeps it for the process.
Every later document only builds batches from its frames and validates them (tens of ms).

No Data Docs: each worker process has a context of its own, so a site never held every document of a
run, and GX's pages load their styles from a CDN. `budgetdw report` writes a review page per document
instead, offline (README: review pages).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import pandas as pd

from expectations.rules import FAMILIES
from expectations.suites import covered_rules, load_suite_json

log = logging.getLogger(__name__)

DATASOURCE = "budgetdw"
ID_COLUMN = "assertion_id"
CONTEXT_COLUMNS = ["check_id", "table_seq", "page", "row"]  # named with every failed row of a result

_lock = threading.RLock()
_runtime: "_Runtime | None" = None


@dataclass
class FamilyOutcome:
    failed: set[int]  # assertion ids GX found unexpected
    success: bool


class ValidationError(RuntimeError):
    """GX could not evaluate an expectation (a bug, never a failed check)."""


class _Runtime:
    def __init__(self) -> None:
        # First: GX without the libraries budgetdw never uses, the custom expectation registered.
        from expectations.lazy_gx import gx

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(
            globally=False, metric_calculations=False)
        source = self.context.data_sources.add_pandas(DATASOURCE)
        self.batch_definitions = {}
        self.suites = {}
        self.covered: set[str] = set()
        for family in FAMILIES:
            asset = source.add_dataframe_asset(family)
            self.batch_definitions[family] = asset.add_batch_definition_whole_dataframe(family)
            spec = load_suite_json(family)
            suite = gx.ExpectationSuite(name=spec["name"], expectations=[_as_run(e) for e in spec["expectations"]],
                                        meta=spec["meta"])
            if len(suite.expectations) != len(spec["expectations"]):
                raise ValidationError(f"suite {family}: GX refused some expectations of {family}.json")
            self.suites[family] = self.context.suites.add(suite)
            self.covered |= covered_rules(spec)

    def run(self, family: str, frame: pd.DataFrame):
        result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [ID_COLUMN, *CONTEXT_COLUMNS],
                         "partial_unexpected_count": 0, "return_unexpected_index_query": False}
        batch = self.batch_definitions[family].get_batch(batch_parameters={"dataframe": frame})
        return batch.validate(self.suites[family], result_format=result_format)


def _as_run(expectation: dict) -> dict:
    """An expectation of a suite file as this runtime gives it to GX: its meta names the rules it decides in one
    string of ids. GX copies an expectation's meta, nested values one by one, each time it rebuilds its
    configuration (hundreds of times a validation); the rules' full records (severity, tolerance: in the suite
    file and docs/rules.md) made validating a document ≈15% slower (bench/results.md)."""
    meta = expectation["meta"]
    return {**expectation, "meta": {**meta, "rules": " ".join(rule["id"] for rule in meta["rules"])}}


def _raised(info) -> str | None:
    """The message of an exception GX caught while evaluating an expectation: its exception_info is
    flat for the expectation, or keyed by metric when a metric failed."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    return next((m for v in info.values() if (m := _raised(v)) is not None), None)


def runtime() -> _Runtime:
    """The process's GX context, created on first use."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = _Runtime()
        return _runtime


def run_families(frames: dict[str, pd.DataFrame]) -> dict[str, FamilyOutcome]:
    """Validate each family's frame with its suite; returns the ids of the assertions that failed."""
    rt = runtime()
    outcomes: dict[str, FamilyOutcome] = {}
    with _lock:  # GX contexts are not thread-safe
        for family, frame in frames.items():
            if frame.empty:
                continue
            unknown = set(frame["check_id"]) - rt.covered
            if unknown:
                raise ValidationError(f"no expectation of suite {family} decides {sorted(unknown)}")
            result = rt.run(family, frame)
            failed: set[int] = set()
            for r in result.results:
                problem = _raised(r.exception_info)
                if problem is not None:
                    raise ValidationError(f"GX could not evaluate {r.expectation_config.type} of suite {family}: "
                                          f"{problem}")
                rows = r.result.get("unexpected_index_list") or []
                if not r.success and not rows:
                    raise ValidationError(f"{r.expectation_config.type} of suite {family} failed without naming rows")
                failed.update(int(row[ID_COLUMN]) for row in rows)
            outcomes[family] = FamilyOutcome(failed, bool(result.success))
    return outcomes
