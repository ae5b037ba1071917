"""The worker processes: forked from a server started once, whatever the caller's directory."""

import shutil
from decimal import Decimal
from pathlib import Path

from conftest import REFERENCE_PDF
from pipelines.ingest import Settings, ingest
from pipelines.workers import worker_context


def test_relative_paths_work_after_the_caller_changes_directory(tmp_path, monkeypatch):
    # The fork server keeps the directory it started in; workers forked from it must still find the
    # originals and write the intermediate JSON where the caller asked (a relative --data-dir).
    worker_context()
    monkeypatch.chdir(tmp_path)
    shutil.copy(REFERENCE_PDF, tmp_path / "budget.pdf")
    [doc] = ingest([Path("budget.pdf")], Settings("duckdb:///warehouse.duckdb", Path("data"), workers=1))
    assert doc.status == "published", doc.error
    assert doc.totals.expenditure_total == Decimal("51744700.00")
    assert (tmp_path / "data" / "extracted" / f"{doc.source.sha256}.json").exists()
