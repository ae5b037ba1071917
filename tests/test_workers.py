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


def test_cli_starts_the_workers_early_only_when_the_run_may_read_documents(tmp_path, monkeypatch):
    # The CLI starts the workers' server before its own imports when a local PDF's content is new
    # to the raw store; a rerun over known files must not pay the server's seconds of imports.
    from click.testing import CliRunner

    import pipelines.workers as workers
    from pipelines.cli import main

    early = []
    real = workers.worker_context
    monkeypatch.setattr(workers, "worker_context", lambda: early.append(1) or real())
    args = ["ingest", "--no-dagster", str(REFERENCE_PDF), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
            "--data-dir", str(tmp_path / "data")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "published" in first.output and early == [1]
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output and early == [1]
