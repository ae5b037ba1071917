"""Document-level rules decided in pipelines/process.py: a blank template is never published."""

from dataclasses import replace

import pytest
from conftest import REFERENCE_PDF

from pipelines.process import PLACEHOLDER_UNIT, process_document, template_checks
from pipelines.store import store_raw


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return process_document(store_raw(REFERENCE_PDF, tmp_path_factory.mktemp("raw")))


def test_the_filled_in_reference_document_is_no_template(reference):
    assert template_checks(reference) == []


@pytest.mark.parametrize("unit", ["上海市XX局", "上海市××区财政局", "某某单位", "待填写", "（单位名称）"])
def test_a_placeholder_unit_quarantines(reference, unit):
    blank = replace(reference, identity=replace(reference.identity, unit_name=unit))
    [check] = template_checks(blank)
    assert (check.check_id, check.severity, check.passed) == ("identity.placeholder_unit", "error", False)
    assert unit in check.message


@pytest.mark.parametrize("unit", ["上海市普陀区财政局", "阳泉市公安局城区分局", "中共江苏省委办公厅"])
def test_real_unit_names_are_no_placeholders(unit):
    assert not PLACEHOLDER_UNIT.search(unit)


def test_tables_without_a_single_amount_quarantine(reference):
    emptied = [replace(t, cells=[]) for t in reference.tables]
    [check] = template_checks(replace(reference, tables=emptied))
    assert check.check_id == "identity.template_without_amounts" and check.severity == "error"
    assert f"{len(emptied)} tables found and none prints an amount" in check.message
    assert check.page == min(t.table.pages[0] for t in reference.tables)
