"""A run keeps of each loaded document only what its summary and report need (issue 26.5): the main
process of a run of thousands of documents stays as small as one of a few."""

import gc
import weakref
from decimal import Decimal

from conftest import REFERENCE_PDF

from pipelines.model import DocumentOutcome, ProcessedDocument
from pipelines.run import Settings, ingest, report_entry


def test_once_loaded_a_document_is_kept_as_its_outcome_and_nothing_holds_the_rest(tmp_path, duckdb_url):
    # Before, ingest returned (and so held until the run ended) every ProcessedDocument: ≈0.65 MB each,
    # 409 MB of main process at 360 documents.
    heard: list[ProcessedDocument] = []
    [kept] = ingest([REFERENCE_PDF], Settings(duckdb_url, tmp_path / "data", workers=1), on_document=heard.append)
    [whole] = heard  # the listener (the CLI's line) sees the whole document as it is loaded
    assert type(kept) is DocumentOutcome and not hasattr(kept, "checks") and not hasattr(kept, "claims")
    assert (kept.status, len(kept.tables), kept.checks_run) == ("published", len(whole.tables), len(whole.checks))
    assert kept.totals.expenditure_total == Decimal("51744700.00")  # the reference prints 5174.47 万元
    assert report_entry(kept) == report_entry(whole)  # the report loses nothing
    gone = weakref.ref(heard.pop())
    del whole
    gc.collect()
    assert gone() is None  # no future, list or cache of the run still holds the document
