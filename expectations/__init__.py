"""Validation declarations: the rule catalog, the suites, the custom expectation and the GX runner
(Great Expectations 1.x over per-document pandas frames).

* rules.py — the rule catalog, the one definition of every rule (catalog_doc.py renders docs/rules.md)
* suites.py / suites/*.json — the GX suites, one per rule family, generated from the catalog
* custom.py — the custom GX expectation (printed values agreeing within their printed precision)
* gx.py — the lazily created GX context that runs the suites (no Data Docs: `budgetdw report`)

`python -m expectations` regenerates suites/*.json and docs/rules.md from rules.py.

The rule code (which printed figures must agree) lives in pipelines/validate/; it stages each
document as frames and hands them to gx.py. Nothing here imports pipelines/.
"""
