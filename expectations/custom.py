"""Custom GX expectation for comparisons of printed numbers within their printed precision.

Imported by expectations/gx.py and preloaded by the workers' fork server (importing GX takes seconds).

The built-in ExpectMulticolumnSumToEqual compares exactly against a constant: it cannot say
“this printed total equals the sum of these printed parts up to their rounding”. Here each row of
an assertions frame (pipelines/validate/staging.py) carries the printed value, the tolerance its printed
precision allows, and the range the figure it is compared with can take; the row holds when

    observed_low − tolerance ≤ expected ≤ observed_high + tolerance

— for a sum of printed parts the range is one point and the tolerance is money.sum_tolerance; for
a percentage it is the ratio's range over the rounding of the amounts it is computed from, and
half a unit of the percentage's last digit. Values are Decimal: the comparison is exact.
"""

from __future__ import annotations

from typing import ClassVar

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)
from great_expectations.render import RenderedStringTemplateContent
from great_expectations.render.components import LegacyRendererType
from great_expectations.render.renderer.renderer import renderer

METRIC = "multicolumn_values.budgetdw_within_printed_precision"


class MulticolumnValuesWithinPrintedPrecision(MulticolumnMapMetricProvider):
    condition_metric_name = METRIC
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition", "condition_parser", "ignore_row_if")
    condition_value_keys = ()

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, **kwargs):
        expected, tolerance, low, high = (column_list.iloc[:, i] for i in range(4))
        return ((low - tolerance) <= expected) & (expected <= (high + tolerance))


class ExpectPrintedValuesToAgreeWithinPrecision(MulticolumnMapExpectation):
    """Expect each row's printed value (first column) to lie within its tolerance (second column)
    of the range [low, high] (third and fourth columns) of the figure it restates.

    column_list: [expected, tolerance, observed_low, observed_high], Decimal values.
    """

    map_metric = METRIC
    success_keys = ("mostly",)
    ignore_row_if: str = "never"

    library_metadata: ClassVar[dict] = {"maturity": "production", "tags": ["budgetdw", "rounding"],
                                        "contributors": ["budgetdw"]}

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        """Data Docs: what the expectation checks, and for which rules (from the suite's meta)."""
        runtime_configuration = runtime_configuration or {}
        meta = (configuration.meta or {}) if configuration else {}
        rules = ", ".join(r["id"] for r in meta.get("rules", []))
        columns = (configuration.kwargs.get("column_list") if configuration else None) or ["", "", "", ""]
        template = ("each printed value ($expected) lies within its printed-precision tolerance ($tolerance) of the "
                    "range [$low, $high] of the figure it restates" + (f"; rules: {rules}" if rules else ""))
        return [RenderedStringTemplateContent(content_block_type="string_template", string_template={
            "template": template, "params": dict(zip(("expected", "tolerance", "low", "high"), columns, strict=True)),
            "styling": runtime_configuration.get("styling")})]

