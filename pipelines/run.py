"""The main job: acquire PDFs, process each on its own, load, and report."""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import PARSER_VERSION
from pipelines.acquire.folder import find_pdfs, is_url
from pipelines.store import SourceDocument, path_text, store_raw

if TYPE_CHECKING:
    from pipelines.acquire.results import FetchResult
    from pipelines.acquire.sources import SourcesConfig
from pipelines.extract.pdftext import Limits
from pipelines.load.disclosure import disclosure_key
from pipelines.load.engine import duckdb_file, load_on_one_thread, open_warehouse
from pipelines.load.review import loaded_versions
from pipelines.load.writer import RETRY_MAY_HELP, load_or_fail, unit_key
from pipelines.model import FAILED, UNCHANGED, DocumentOutcome, ProcessedDocument
from pipelines.outcomes import RunOutcomes
from pipelines.process import read_and_keep
from pipelines.workers import memory_marker, worker_pool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    data_dir: Path  # raw/ (originals by sha256) and extracted/ (intermediate JSON)
    workers: int = 2  # documents processed in parallel (separate processes)
    time_limit_s: float = 300.0  # per document; a document over it is stopped and reported
    limits: Limits = field(default_factory=Limits)
    force: bool = False  # re-process documents already loaded with this parser version
    memory_limit_mb: int | None = 4096  # address space of one worker (RLIMIT_AS); None or 0: no limit


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse (DuckDB has a single writer)."""


@contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """Two runs against one DuckDB file: the second refuses at once with a clear message.

    PostgreSQL takes concurrent runs; loads of the same document serialise on a per-document
    advisory lock inside their transaction (load.py).
    """
    database = duckdb_file(settings.warehouse_url)
    if database is None:
        with nullcontext():
            yield
        return
    from filelock import FileLock, Timeout

    lock_path = f"{database}.lock"
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise WarehouseBusy(
            f"another budgetdw run is writing to {database} (lock file {lock_path}); "
            "run again when it has finished") from None
    try:
        yield
    finally:
        lock.release()


def acquire(inputs: list[str | Path], settings: Settings, sources_config: Path | SourcesConfig | None = None,
            on_fetch: Callable[["FetchResult"], None] | None = None) -> list[SourceDocument]:
    """Local files and folders, PDF or listing-page URLs, and the sources of a config file, into
    the raw store. Fetch problems are passed to `on_fetch` (and kept in the fetch log)."""
    raw = settings.data_dir / "raw"
    local = [Path(i) for i in inputs if not is_url(str(i))]
    refused: list[tuple[Path, str]] = []
    found, problems = [], []
    for pdf in find_pdfs(local, exclude=[settings.data_dir], refused=refused):
        try:
            found.append(store_raw(pdf, raw))
        except OSError as exc:  # unreadable, vanished, or the raw store's disk is full: this file's problem
            problems.append((pdf, "error", f"could not store: {exc.strerror or exc}"))
    problems += [(link, "refused_link", f"refused: {why}") for link, why in refused]
    if problems and on_fetch:
        from pipelines.acquire.results import FetchResult

        for path, outcome, message in problems:
            on_fetch(FetchResult(path_text(path), outcome, message))
    urls = [str(i) for i in inputs if is_url(str(i))]
    if urls or sources_config:
        from pipelines.acquire.crawl import acquire_sources, acquire_url

        results = [r for url in urls for r in acquire_url(url, settings.data_dir, on_result=on_fetch)]
        if sources_config:
            results += acquire_sources(sources_config, settings.data_dir, on_result=on_fetch)
        found += [r.document for r in results if r.ok and r.document]
    # One document, however many names or URLs; of a content's names in this run the first in code-point
    # order is the one it is read under (its file name is a hint to identification), whatever the order of
    # the inputs: the same inputs give the same warehouse (issue 25). .sources keeps every name.
    unique: dict[str, SourceDocument] = {}
    for source in found:
        kept = unique.get(source.sha256)
        if kept is None or source.source_uri < kept.source_uri:
            unique[source.sha256] = source  # keeps the position of the first name seen
    return list(unique.values())


# Reads and loads the documents to do, telling `on_loaded` of each as it is loaded: process_and_load (the
# CLI's), or `budgetdw ingest --dagster`'s, which runs the same function inside one Dagster run.
Runner = Callable[[list[SourceDocument], "Settings", Callable[[ProcessedDocument], None]], None]


def ingest(inputs: list[str | Path], settings: Settings,
           on_document: Callable[[ProcessedDocument], None] | None = None,
           sources_config: Path | SourcesConfig | None = None,
           on_fetch: Callable[["FetchResult"], None] | None = None,
           runner: Runner | None = None, on_todo: Callable[[int], None] | None = None) -> RunOutcomes:
    """Acquire, process (in parallel, each document isolated and time-limited), load one by one.

    `on_document` hears of each document as it is done (already loaded ones first); the sequence
    returned is in input order, of what the summary and the report need of each (DocumentOutcome), kept
    on disk as each is done (pipelines/outcomes.py): a document's tables, amounts and checks are not
    kept once it is loaded, nor its outcome in memory.

    `runner` replaces the processing and loading of the new documents: `budgetdw ingest --dagster`
    passes one that materialises the Dagster asset graph for all of them in one run, which calls
    process_and_load as the CLI does. `on_todo` hears
    how many documents are to be read and loaded, before the first is (the CLI's progress bar).
    """
    with run_lock(settings):
        engine = open_warehouse(settings.warehouse_url)
        try:
            sources = acquire(inputs, settings, sources_config, on_fetch)
            loaded_before = {} if settings.force else _loaded_for_good(engine)
            results = RunOutcomes(settings.data_dir / "tmp")
            todo = []
            for source in sources:
                if loaded_before.get(source.sha256) == PARSER_VERSION:
                    unchanged = ProcessedDocument(source, UNCHANGED)
                    results.add(unchanged.outcome())
                    if on_document:
                        on_document(unchanged)
                else:
                    todo.append(source)
            if on_todo:
                on_todo(len(todo))

            def loaded(doc: ProcessedDocument) -> None:
                results.add(doc.outcome())
                if on_document:
                    on_document(doc)

            if runner:
                # The runner opens the warehouse for each batch it loads. Without this engine's connection, a
                # DuckDB file is closed after each batch, and its buffer pool freed (REOPEN_DUCKDB_EVERY).
                engine.dispose()
                runner(todo, settings, loaded)
            else:
                for doc in process_and_load(todo, settings, engine):
                    loaded(doc)
        finally:
            engine.dispose()
    return results.in_order(source.sha256 for source in sources)  # as given, not as finished


def process_and_load(todo: list[SourceDocument], settings: Settings, engine) -> Iterator[ProcessedDocument]:
    """Read the documents in parallel in the worker pool (process_all) and load each into `engine` as soon
    as it is done, by this one writer, while the workers go on with the rest; each is yielded as loaded
    (as recorded: failed, with its reason, where the warehouse refused it).

    The one code path of a batch: `budgetdw ingest` calls it, and so does a Dagster run of many document
    partitions (assets/batch.py), with the warehouse opened once for the whole batch."""
    # first_seen_at (the run's start plus the input position in microseconds) is history only: which of
    # two versions of one budget is current is decided by their own publication evidence
    # (docs/failure-modes.md), not by it.
    started = datetime.now(timezone.utc)
    position = {source.sha256: i for i, source in enumerate(todo)}
    if todo:
        load_on_one_thread(engine)
    for loads, doc in enumerate(process_all(todo, settings), 1):
        # Inside the document's own error boundary: a load the warehouse refuses fails this document.
        done = load_or_fail(engine, doc, seen_at=started + timedelta(microseconds=position[doc.source.sha256]))
        if loads % REOPEN_DUCKDB_EVERY == 0 and engine.dialect.name == "duckdb":
            _reopen(engine)
        yield done


def _reopen(engine) -> None:
    """Close a DuckDB warehouse (the database closes with its last connection, and its buffer pool with it) and
    open it again with the loader's settings. Should it not open again (another process took the file in the
    meantime), the run goes on: each next load fails on the warehouse's error, as any load would."""
    engine.dispose()
    try:
        load_on_one_thread(engine)  # a setting of the database: made again for the reopened one
    except Exception as exc:  # noqa: BLE001 - a reopening never stops the run
        log.warning("could not open the warehouse again: %s", " ".join(str(exc).split())[:300])


# Documents loaded between two closings of a DuckDB warehouse. DuckDB keeps the blocks a load writes in its
# buffer pool for as long as the database is open (≈0.05 MB a document: bench/results.md, "Scale"), so a long
# run closes it now and then and the main process stays flat however many documents it loads. Bounding the
# pool instead (memory_limit 64 MB) made version ranking fail for lack of memory at 30,000 documents.
REOPEN_DUCKDB_EVERY = 50


def _loaded_for_good(engine) -> dict[str, str]:
    """document_id → parser version of what need not be read again: everything loaded, except documents
    that failed in a way a later run may not meet (time limit, a killed worker, the memory limit, the
    warehouse's own fault), which the next run reads again without --force."""
    from sqlalchemy import select

    from warehouse import schema

    loaded = loaded_versions(engine)
    d = schema.document
    with engine.connect() as conn:
        again = conn.execute(select(d.c.document_id).where(
            d.c.status == FAILED, d.c.failure_kind.in_(sorted(RETRY_MAY_HELP)))).scalars().all()
    for doc_id in again:
        loaded.pop(doc_id, None)
    return loaded


# Documents scheduled a worker at a time: the one it reads and the next, so that it never waits for the
# main process to hand it one, while at most this many finished documents a worker wait to be loaded.
IN_FLIGHT_PER_WORKER = 2


def process_all(sources: list[SourceDocument], settings: Settings) -> Iterator[ProcessedDocument]:
    """Process documents in worker processes; each is yielded as soon as it is done.

    A worker that crashes or exceeds the time limit fails only its document.
    """
    if not sources:
        return
    workers = max(1, min(settings.workers, len(sources)))
    markers = str(settings.data_dir / "tmp")
    with worker_pool(workers, settings.memory_limit_mb, markers) as pool:
        # Longest first, so that the last document to finish is a short one and no worker idles
        # long at the end.
        task = (settings.limits, settings.data_dir)
        waiting = iter(sorted(sources, key=lambda s: -expected_pages(s.raw_path)))
        futures: dict = {}

        def schedule_next() -> None:
            source = next(waiting, None)
            if source is not None:
                futures[pool.schedule(read_and_keep, args=(source, *task), timeout=settings.time_limit_s)] = source

        # A few documents in flight a worker, not all: documents read faster than the main process loads them
        # (a run of short ones) would otherwise wait in memory, whole, as many as the run holds.
        for _ in range(IN_FLIGHT_PER_WORKER * workers):
            schedule_next()
        while futures:
            future = next(as_completed(futures))
            source = futures.pop(future)  # the future holds its document: let it go once it is loaded
            schedule_next()  # the freed worker reads on while this one is loaded
            try:
                doc = future.result()
            except FutureTimeout:
                yield _failed(source, "timeout",
                              f"stopped after {settings.time_limit_s:g} s, the per-document time limit")
            except Exception as exc:  # the worker died (e.g. a crash inside the PDF library)
                log.error("worker failed on %s: %r", source.source_uri, exc)
                yield _worker_died(source, exc, settings, markers)
            else:
                for line in doc.log:  # logged in the worker, where no handler wrote it anywhere
                    logging.getLogger(line.logger).log(logging.getLevelName(line.level), "%s: %s",
                                                       source.name, line.message)
                yield doc
    for marker in Path(markers).glob("worker-*.memory"):  # notes of workers that lived on: no longer meant
        marker.unlink(missing_ok=True)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def expected_pages(path: Path) -> float:
    """A document's page count, for scheduling: its page objects counted in the file's bytes.

    Pages predict a document's time far better than bytes (correlation 0.88 against 0.24 over the
    real corpus, whose embedded fonts and images make bytes vary 20-fold at equal pages), and
    counting needs no PDF parser, which must only run in the workers, where a crash fails one
    document. Page objects inside compressed object streams are not seen: such a document counts as
    infinitely long and goes first, which costs nothing, where last it could hold up the run.
    """
    return len(_PAGE_OBJECT.findall(path.read_bytes())) or math.inf


def _worker_died(source: SourceDocument, exc: Exception, settings: Settings, markers: str) -> ProcessedDocument:
    """A worker that died: at its memory limit (it noted being near it, pipelines/workers.py), or a crash."""
    pid, code = getattr(exc, "pid", None), getattr(exc, "exitcode", None)
    marker = Path(memory_marker(markers, pid)) if pid else None
    if marker and marker.exists() and settings.memory_limit_mb:
        marker.unlink(missing_ok=True)
        return _failed(source, "memory_limit", f"stopped at the worker memory limit of {settings.memory_limit_mb} MB "
                                               "(--memory-limit): it needed more (a decompression bomb?)")
    how = f"signal {-code}" if isinstance(code, int) and code < 0 else f"{type(exc).__name__}: {exc}"
    return _failed(source, "crashed", f"the worker reading it crashed ({how})")


def _failed(source: SourceDocument, kind: str, message: str) -> ProcessedDocument:
    return ProcessedDocument(source, FAILED, error=f"{source.name}: {message}", failure_kind=kind)


def write_report(path: Path, docs: Iterable[DocumentOutcome], fetch_problems: list[FetchResult],
                 skipped: list[FetchResult]) -> None:
    """The run's JSON report: every document's report_entry, and the downloads that failed or were skipped.
    Written entry by entry, never whole in memory (a run may hold 30,000 documents), as the same text
    json.dumps(report, ensure_ascii=False, indent=2) would give."""
    sections = {"documents": (report_entry(d) for d in docs),
                "fetch_problems": ({"url": r.url, "outcome": r.outcome, "message": r.message} for r in fetch_problems),
                "skipped": ({"url": r.url, "outcome": r.outcome, "message": r.message, "found_on": r.found_on}
                            for r in skipped)}
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for n, (name, items) in enumerate(sections.items()):
            out.write(f'{"," if n else ""}\n  {json.dumps(name)}: [')
            count = 0
            for count, item in enumerate(items, start=1):
                text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
                out.write(f'{"," if count > 1 else ""}\n    {text}')
            out.write("\n  ]" if count else "]")
        out.write("\n}")


def report_entry(doc: DocumentOutcome | ProcessedDocument) -> dict:
    if isinstance(doc, ProcessedDocument):
        doc = doc.outcome()
    ident = doc.identity
    return {
        "path": doc.source.source_uri,
        "sha256": doc.source.sha256,
        "unit_name": ident.unit_name if ident else None,
        "unit_scope": ident.unit_scope if ident else None,
        "fiscal_year": ident.fiscal_year if ident else None,
        "doc_kind": ident.doc_kind if ident else None,
        "money_unit": ident.money_unit if ident else None,
        "identity_confidence": ident.confidence if ident else None,
        # What decided unit, year and kind: “unit_name 江苏省人民检察院: p.1 cover: “江苏省人民检察院 / 2017年部门预算””
        "identity_evidence": [f"{e.field} {e.value}: {e.describe()}" for e in ident.evidence] if ident else [],
        # The file's part of its disclosure (full | narrative | tables) and the disclosure it is part of,
        # as v_document names them (the same md5 of unit key, scope, year and kind).
        "part": doc.part,
        "disclosure_id": disclosure_key(unit_key(ident.unit_name), ident.unit_scope, ident.fiscal_year,
                                        ident.doc_kind) if ident else None,
        "status": doc.status,
        "failure_kind": doc.failure_kind,
        "retry_may_help": doc.failure_kind in RETRY_MAY_HELP if doc.failure_kind else None,
        "notes": list(doc.notes),
        "toc_tables": ident.toc_tables if ident else None,
        "tables": [{"code": t.code, "title": t.title, "pages": t.pages} for t in doc.tables],
        "checks_failed": [
            {"check_id": c.check_id, "severity": c.severity, "message": c.message, "page": c.page}
            for c in doc.failed_checks
        ],
        # claims of the prose recorded but not checked: their subject, measure, whole or period is unsure
        "claims_unchecked": doc.claims_unchecked,
        "error": doc.error,
        "warnings": [f"{line.logger}: {line.message}" for line in doc.warnings],
    }
