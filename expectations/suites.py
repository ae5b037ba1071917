"""The GX suites, as plain JSON generated from the rule catalog (expectations/rules.py).

One suite per rule family, run on that family's frame of assertions (pipelines/validate/staging.py).
Numeric families have one expectation per severity they contain; the wording family has one per
built-in expectation and severity, its rows chosen by check_id (GX's cost is per expectation and
per document: one expectation per wording rule made validation half as slow again, bench/results.md).
Every expectation names the rules it decides in its meta, so a reviewer sees in one diff what a rule
change does to the suites.
"""

from __future__ import annotations

import json
from pathlib import Path

from expectations.rules import ERROR, FAMILIES, RULES, Rule, rules_of

SUITES_DIR = Path(__file__).resolve().parent / "suites"
GX_SEVERITY = {ERROR: "critical", "warning": "warning"}
NUMERIC_COLUMNS = ["expected", "tolerance", "observed_low", "observed_high"]

# Wording rules and the built-in expectation that decides each.
WORDING = {
    "wording.change_direction": ("expect_column_pair_values_to_be_equal",
                                 {"column_A": "stated", "column_B": "derived", "ignore_row_if": "neither"}),
    "wording.empty_table_note": ("expect_column_values_to_not_be_null", {"column": "note"}),
    **{rule: ("expect_column_pair_values_to_be_equal",
              {"column_A": "stated", "column_B": "derived", "ignore_row_if": "neither"})
       for rule in ("wording.flat_with_change", "wording.zero_with_change", "wording.change_from_zero_base",
                    "wording.comparison_year", "wording.actual_vs_budget", "wording.actual_vs_budget_reason")},
}


def _condition(column: str, value: str | list[str]) -> dict:
    operator = "IN" if isinstance(value, list) else "=="
    return {"column": {"name": column}, "operator": operator, "parameter": value, "type": "comparison"}


def _meta(rules: list[Rule]) -> dict:
    return {"rules": [{"id": r.id, "severity": r.severity, "tolerance": r.tolerance} for r in rules]}


def suite_json(family: str) -> dict:
    rules = rules_of(family)
    expectations = []
    if family == "wording":
        groups: dict[str, list[Rule]] = {}  # rules decided alike share one expectation
        for r in rules:
            kind, kwargs = WORDING[r.id]
            groups.setdefault(json.dumps([kind, kwargs, r.severity], sort_keys=True), []).append(r)
        for key, group in groups.items():
            kind, kwargs, severity = json.loads(key)
            ids = [r.id for r in group]
            condition = _condition("check_id", ids if len(ids) > 1 else ids[0])
            expectations.append({"type": kind, "kwargs": {**kwargs, "row_condition": condition},
                                 "meta": _meta(group), "severity": GX_SEVERITY[severity]})
    else:
        severities = sorted({r.severity for r in rules})
        for sev in severities:
            kwargs: dict = {"column_list": NUMERIC_COLUMNS}
            if len(severities) > 1:
                kwargs["row_condition"] = _condition("severity", sev)
            expectations.append({"type": "expect_printed_values_to_agree_within_precision", "kwargs": kwargs,
                                 "meta": _meta([r for r in rules if r.severity == sev]),
                                 "severity": GX_SEVERITY[sev]})
    return {"name": f"budgetdw.{family}", "meta": {"family": family, "description": FAMILIES[family],
                                                   "generated_from": "expectations/rules.py"},
            "expectations": expectations}


def render_suite(family: str) -> str:
    return json.dumps(suite_json(family), ensure_ascii=False, indent=2) + "\n"


def load_suite_json(family: str) -> dict:
    return json.loads((SUITES_DIR / f"{family}.json").read_text(encoding="utf-8"))


def covered_rules(suite: dict) -> set[str]:
    return {r["id"] for e in suite["expectations"] for r in e["meta"]["rules"]}


def write_suites() -> list[Path]:
    SUITES_DIR.mkdir(exist_ok=True)
    paths = []
    for family in FAMILIES:
        path = SUITES_DIR / f"{family}.json"
        path.write_text(render_suite(family), encoding="utf-8")
        paths.append(path)
    assert {r.id for r in RULES} == set().union(*(covered_rules(suite_json(f)) for f in FAMILIES))
    return paths
