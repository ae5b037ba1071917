"""Command line: `budgetdw ingest PATH...`."""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

from pipelines import DEFAULT_WAREHOUSE
from pipelines.acquire.folder import find_pdfs, is_url
from pipelines.store import local_sha256, stored_path

# Exit statuses besides 0 (done), 1 (a document or a download failed) and click's 2 (usage):
WAREHOUSE_BUSY = 3  # another run holds the DuckDB file
WAREHOUSE_UNAVAILABLE = 4  # a warehouse URL no driver takes, or a database that cannot be opened
SETTINGS_UNUSABLE = 5  # a setting or the environment budgetdw cannot work with (sources file, data dir, report)
log = logging.getLogger("pipelines.cli")  # not __name__: run as `python -m pipelines.cli` it is __main__

# The pipeline itself (seconds of imports) is imported by the commands that use it: `ingest` first
# starts its workers' server when the run may read documents, so that both import at once.


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log detail to stderr.")
def main(verbose: bool) -> None:
    """budgetdw: Chinese budget disclosure PDFs into a validated data warehouse."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:  # the terminal's, not a file's or a test's
            handler.setFormatter(EscapingFormatter("%(levelname)s %(name)s: %(message)s"))
            if not verbose:
                handler.addFilter(_ours_or_an_error)


@main.command(name="ingest")
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@click.option("--sources", "sources_config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sources file (see sources.example.yaml): folders and web listing pages to acquire from.")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL (duckdb:///file.duckdb or postgresql+psycopg://…).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report of every document here.")
@click.option("--data-dir", default=Path("data"), show_default=True, envvar="BUDGETDW_DATA_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Where originals (raw/, by sha256), extracted tables (extracted/) and the log are kept.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Documents processed in parallel.")
@click.option("--time-limit", default=300.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds one document may take before it is stopped and reported.")
@click.option("--force", is_flag=True, help="Re-process documents already loaded with this parser version.")
@click.option("--gx-docs", "gx_docs_dir", hidden=True, callback=lambda ctx, param, value: _removed_gx_docs(value),
              help="Removed: budgetdw report writes a review page per document.")
@click.option("--memory-limit", default=4096, show_default=True, type=click.IntRange(min=0),
              help="Megabytes of address space one worker may use (0: no limit); a document that needs more fails "
                   "alone (memory_limit) and is read again by the next run.")
@click.option("--dagster/--no-dagster", "through_dagster", default=None,
              help="Run the Dagster asset graph in-process for each document, so the run shows in the Dagster "
                   "UI (instance at DAGSTER_HOME). Default: on when DAGSTER_HOME is set.")
def ingest_command(inputs: tuple[str, ...], sources_config: Path | None, warehouse_url: str,
                   report_path: Path | None, data_dir: Path, workers: int, time_limit: float, force: bool,
                   gx_docs_dir: None, memory_limit: int, through_dagster: bool | None) -> None:
    """Ingest PDF files, folders of them, PDF URLs or listing-page URLs into the warehouse.

    Prints one line per document and a summary; full detail goes to DATA_DIR/budgetdw.log.
    Exit status: 0 when every document was processed (published, quarantined or unchanged),
    1 when any document or download failed (a page's link to a host the source does not allow is
    skipped, reported and no failure), 3 when another run holds the warehouse, 4 when the
    warehouse cannot be opened, 5 when a setting or the environment is unusable (nothing is written).
    """
    config = _checked_settings(inputs, sources_config, data_dir, report_path)  # before anything is written
    through_dagster = through_dagster or (through_dagster is None and bool(os.environ.get("DAGSTER_HOME")))
    if not through_dagster and _may_read_documents(inputs, sources_config, data_dir, force):
        from pipelines.workers import worker_context

        worker_context()
    from pipelines.load.engine import WarehouseUnavailable, shown_url
    from pipelines.model import FAILED
    from pipelines.run import Settings, WarehouseBusy, ingest, write_report

    _log_to_file(data_dir)
    out = _RunLines()
    settings = Settings(warehouse_url, data_dir, workers=workers, time_limit_s=time_limit, force=force,
                        memory_limit_mb=memory_limit or None)
    try:
        runner = None
        if through_dagster:
            runner = _installed_runner("dagster")()  # the thin Dagster layer, only when asked for
        if sources_config or any(is_url(i) for i in inputs):
            out.progress.start("crawl", unit="PDFs")
        docs = ingest(list(inputs), settings, on_document=out.document, sources_config=config,
                      on_fetch=out.fetched, runner=runner, on_todo=out.reading)
    except WarehouseBusy as exc:
        out.progress.close()
        click.echo(f"budgetdw: {exc}", err=True)
        sys.exit(WAREHOUSE_BUSY)
    except WarehouseUnavailable as exc:
        out.progress.close()
        click.echo(f"budgetdw: {exc}", err=True)
        sys.exit(WAREHOUSE_UNAVAILABLE)
    out.progress.close()
    fetch_problems, skipped = out.fetch_problems, out.skipped
    counts = Counter(d.status for d in docs)
    outcomes = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no PDF found"
    failed_downloads = f"; {len(fetch_problems)} downloads failed" if fetch_problems else ""
    failed_downloads += f"; {len(skipped)} links to other hosts skipped" if skipped else ""
    click.echo(f"{len(docs)} document{'' if len(docs) == 1 else 's'}: {outcomes}{failed_downloads}"
               f" → {shown_url(warehouse_url)}")
    if report_path:
        try:
            write_report(report_path, docs, fetch_problems, skipped)
        except OSError as exc:  # e.g. a full disk: what was loaded stays loaded; the report is what is missing
            _unusable(f"--report {report_path}: cannot write it ({exc.strerror or exc})")
    sys.exit(1 if counts.get(FAILED) or fetch_problems else 0)


class _RunLines:
    """What `ingest` prints as the run goes: a line per download as it arrives, per link skipped, per
    fault and per document, around a progress bar (pipelines/progress.py)."""

    def __init__(self) -> None:
        from pipelines.progress import Progress

        self.progress = Progress()
        self.fetch_problems: list = []
        self.skipped: list = []

    def echo(self, line: str) -> None:
        self.progress.echo(printable(line), click.echo)

    def fetched(self, result) -> None:
        from pipelines.acquire.results import DOWNLOADED, REFUSED_HOST  # imported already: only a fetch calls this

        # Each new PDF as it arrives (a crawl can take minutes before any document is read), and
        # each fault; what was already stored passes silently.
        if result.kind == "pdf":
            self.progress.advance()
        if result.outcome == REFUSED_HOST and result.found_on:
            # A page's link to a host the source does not allow: refused as it should be, not a failure.
            self.skipped.append(result)
            self.echo(f"{'skipped':<11} {result.url}  ({result.outcome}: {result.message})")
        elif not result.ok:
            self.fetch_problems.append(result)
            self.echo(f"{'failed':<11} {result.url}  ({result.outcome}: {result.message})")
        elif result.outcome == DOWNLOADED:  # (new content: downloaded, or from a folder source, stored)
            self.echo(f"{'downloaded' if is_url(result.url) else 'stored':<11} {result.url}  ({result.message})")

    def reading(self, count: int) -> None:
        if count:
            self.progress.start("reading and loading", total=count, unit="documents")
        else:
            self.progress.close()

    def document(self, doc) -> None:
        from pipelines.model import UNCHANGED

        ident = doc.identity
        what = f"{ident.unit_name} {ident.fiscal_year} {ident.doc_kind}" if ident else ""
        if doc.status == UNCHANGED:
            detail = "already loaded, not read again"
        elif doc.error:
            detail = doc.error.removeprefix(f"{doc.source.name}: ")
        else:
            detail = f"{len(doc.tables)} tables, {len(doc.checks)} checks, {len(doc.failed_checks)} failed"
        line = printable(f"{doc.status:<11} {doc.source.name}  " + (f"{what}  " if what else "") + f"({detail})")
        if doc.status != UNCHANGED:
            self.progress.advance()
        self.progress.echo(line, click.echo)
        log.info(line)  # the run's log file records every document's outcome too


def _removed_gx_docs(value: str | None) -> None:
    """GX Data Docs are no longer built: each worker's context held only its own documents (a site never
    held a whole run) and GX's pages load their styles from a CDN, blank offline. The review pages of
    `budgetdw report` show every failed check with its page, offline."""
    if value is not None:
        raise click.UsageError("--gx-docs was removed: Great Expectations Data Docs are no longer built; "
                               "`budgetdw report --out DIR` writes a review page per document (offline, every "
                               "failed check with its page)")


def _unusable(message: str) -> None:
    click.echo(printable(f"budgetdw: {message}"), err=True)
    sys.exit(SETTINGS_UNUSABLE)


def _checked_settings(inputs: tuple[str, ...], sources_config: Path | None, data_dir: Path,
                      report_path: Path | None):
    """Every setting a run depends on, checked before anything is written (no warehouse created, no log,
    no data dir): the inputs named (a usage error, 2), the sources file read and validated, the data dir
    and the report's folder writable. A fault is one line naming the setting, and exit status 5. Returns
    the sources config, if any."""
    if not inputs and not sources_config:
        raise click.UsageError("give at least one PATH_OR_URL, or --sources FILE")
    for item in inputs:
        if not is_url(item) and not Path(item).exists():
            raise click.BadParameter(f"no such file or folder: {item}", param_hint="PATH_OR_URL")
    config = None
    if sources_config:
        from pipelines.acquire.sources import ConfigError, load_config

        try:
            config = load_config(sources_config)
        except ConfigError as exc:
            _unusable(f"--sources {sources_config}: {exc}")
    for setting, folder in (("--data-dir", data_dir), ("--report", report_path.parent if report_path else None)):
        if folder is not None:
            _writable_folder(setting, folder)
    return config


def _writable_folder(setting: str, folder: Path) -> None:
    """Create `folder` if need be and prove it writable, or exit as an unusable setting."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        _unusable(f"{setting} {folder}: cannot write there ({exc.strerror or exc})")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep: str = "") -> str:
    """Text as it may reach a terminal or a log: control characters (ESC, a newline, a carriage return,
    bidirectional overrides) written as escapes (\\x1b, \\n, \\u202e), so that a unit or file name
    cannot move the cursor, set the terminal's title or forge a line. `keep`: characters left as they are."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else m.group().encode("unicode_escape").decode(),
                        text)


class EscapingFormatter(logging.Formatter):
    """Log records with control characters escaped; a message's own lines (a traceback the workers kept)
    stay lines, indented, so that none can pass for a record of its own."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return printable(super().formatMessage(record), keep="\n\t").replace("\n", "\n    ")


def _installed_runner(name: str):
    """A runner that another package registers under the `budgetdw.runners` entry points
    (pyproject.toml: `dagster` is assets.run:dagster_runner), so that pipelines/ never imports it."""
    from importlib.metadata import entry_points

    found = entry_points(group="budgetdw.runners", name=name)
    if not found:
        raise click.ClickException(f"no '{name}' runner is installed (reinstall budgetdw: pip install -e .)")
    return next(iter(found)).load()


def _may_read_documents(inputs: tuple[str, ...], sources_config: Path | None, data_dir: Path, force: bool) -> bool:
    """Whether this run may have documents to read: anything to download (the workers' server then
    starts while it downloads), --force, or a local PDF whose content the raw store does not hold
    yet. A rerun over known files starts no server (a content stored but never loaded starts it
    later, when it is found unloaded)."""
    if force or sources_config or any(is_url(i) for i in inputs):
        return True
    raw = data_dir / "raw"
    return any(not stored_path(raw, local_sha256(pdf, raw)).exists()
               for pdf in find_pdfs([Path(i) for i in inputs], exclude=[data_dir]))


def _log_to_file(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(data_dir / "budgetdw.log", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level, logging.INFO))
    for h in root.handlers:
        if h is not handler and isinstance(h, logging.StreamHandler) and h.level == logging.NOTSET:
            h.setLevel(logging.WARNING if not _verbose() else logging.INFO)


OUR_LOGGERS = {"pipelines", "expectations", "assets", "warehouse"}


def _ours_or_an_error(record: logging.LogRecord) -> bool:
    """The terminal shows budgetdw's own warnings, and only the errors of the libraries it calls
    (a PDF parser's complaints about a malformed object are for the log file, which keeps them
    with the document's name)."""
    return record.name.partition(".")[0] in OUR_LOGGERS or record.levelno >= logging.ERROR


def _verbose() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("verbose"))


@main.command(name="accept")
@click.argument("document")
@click.option("--check", "check", default=None, metavar="CHECK",
              help="Accept only this failed check of the document: its check_key (v_check_result; a unique "
                   "prefix will do), or its rule id where only one check of that rule failed.")
@click.option("--reason", required=True, help="Why the document is published despite its failed checks.")
@click.option("--by", "accepted_by", default=lambda: getpass.getuser(), show_default="the current user",
              help="Who accepts it.")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL of the warehouse.")
def accept_command(document: str, check: str | None, reason: str, accepted_by: str, warehouse_url: str) -> None:
    """Publish a quarantined DOCUMENT (its sha256, or a unique prefix) deliberately, or with --check
    silence one failed check of it.

    Who, when and why are recorded (v_document.accepted_*; for a check, v_check_result.accepted_*), and
    kept when the document is loaded again. A document's numbers appear in the published views once it
    is accepted as a whole, or once every failed error check of it is accepted (its status stays
    quarantined). Failed checks stay in v_check_result, marked accepted.
    """
    from pipelines.load.review import AcceptError, accept_check, accept_document

    engine = _open_loaded_warehouse(warehouse_url)
    try:
        if check is not None:
            done = accept_check(engine, document, check, reason, accepted_by)
        else:
            doc_id = accept_document(engine, document, reason, accepted_by)
    except AcceptError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    if check is not None:
        click.echo(f"accepted check {done.check_key} ({done.check_id}) of {done.document_id} by {accepted_by}: "
                   f"{reason}\n  {done.message}")
    else:
        click.echo(f"accepted {doc_id} by {accepted_by}: {reason}")


@main.command(name="review")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL of the warehouse.")
def review_command(warehouse_url: str) -> None:
    """List the documents held back from the published views, and why.

    Quarantined documents (current versions, not accepted) with every error check that failed and is
    not accepted, where, and its check key; failed documents with the reason they could not be read.
    Publish a quarantined one deliberately with `budgetdw accept`, or accept its failed checks one by
    one with `budgetdw accept DOCUMENT --check KEY`; a failed one needs a readable PDF.
    """
    from sqlalchemy.exc import DBAPIError

    from pipelines.load.engine import shown_url
    from pipelines.load.review import held_back
    from pipelines.model import QUARANTINED

    engine = _open_loaded_warehouse(warehouse_url, migrate_schema=False)  # read-only: works while a BI tool reads
    try:
        docs = held_back(engine)
    except DBAPIError as exc:  # a warehouse of an older schema: no check_acceptance, no v_check_result.accepted
        raise _older_warehouse(warehouse_url, exc) from None
    finally:
        engine.dispose()
    for doc in docs:
        what = " ".join(str(x) for x in (doc.unit_name, doc.fiscal_year, doc.doc_kind) if x is not None)
        click.echo(f"{doc.status:<11} {doc.document_id[:12]}  {Path(doc.source_uri).name}  {what}".rstrip())
        if doc.error:
            click.echo(f"    {doc.error}")
        for check_id, message, key in doc.failed_errors:
            click.echo(f"    {check_id}: {message}" + (f" [check {key}]" if key else ""))
    if not docs:
        click.echo(f"no document held back: every current document is published or accepted → "
                   f"{shown_url(warehouse_url)}")
        return
    click.echo(f"{len(docs)} document{'' if len(docs) == 1 else 's'} held back → {shown_url(warehouse_url)}")
    if any(doc.status == QUARANTINED for doc in docs):
        click.echo("publish a quarantined one deliberately: budgetdw accept SHA256_PREFIX --reason TEXT, "
                   "or accept its failed checks one by one: budgetdw accept SHA256_PREFIX --check CHECK --reason TEXT")


def _open_loaded_warehouse(warehouse_url: str, migrate_schema: bool = True):
    """The warehouse a command reads or amends: it must exist; exit 4 naming it when it cannot be opened.
    `migrate_schema=False` for commands that only read: they change nothing, views included."""
    from pipelines.load.engine import WarehouseUnavailable, open_warehouse

    try:
        return open_warehouse(warehouse_url, existing=True, migrate_schema=migrate_schema)
    except WarehouseUnavailable as exc:
        click.echo(f"budgetdw: {exc}", err=True)
        sys.exit(WAREHOUSE_UNAVAILABLE)


@main.command(name="migrate")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL of the warehouse.")
def migrate_command(warehouse_url: str) -> None:
    """Create the warehouse, or bring it to this version's schema: migrations, reference
    dimensions, BI views. `ingest` does this once per run; run it alone to prepare a shared
    PostgreSQL warehouse before BI tools or several runs connect."""
    from pipelines.load.engine import WarehouseUnavailable, open_warehouse, shown_url

    try:
        open_warehouse(warehouse_url).dispose()
    except WarehouseUnavailable as exc:
        click.echo(f"budgetdw: {exc}", err=True)
        sys.exit(WAREHOUSE_UNAVAILABLE)
    click.echo(f"migrated → {shown_url(warehouse_url)}")


@main.command(name="fidelity")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--tables", "show_tables", is_flag=True, help="Also list every table found.")
def fidelity_command(paths: tuple[Path, ...], show_tables: bool) -> None:
    """Report how well each document is understood, without loading anything.

    Per document: kind, unit, year, tables its 目录 lists vs tables found and classified, rows and
    amounts extracted, and the share of sum checks that hold on the extracted numbers. Then a summary
    per city or province (the one the unit's name begins with; else its folder's): documents
    identified, tables found vs listed, sum checks holding, expenditure total = basic + project.
    """
    import tempfile

    from pipelines.acquire.folder import find_pdfs
    from pipelines.fidelity import fidelity, summarise
    from pipelines.process import process_document
    from pipelines.store import store_raw

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in find_pdfs(list(paths)):
            doc = process_document(store_raw(pdf, Path(tmp)))
            f = fidelity(doc)
            results.append(f)
            held = f"{f.sum_checks_held}/{f.sum_checks} sums hold" if f.sum_checks else "no sums checked"
            part = f" ({f.part} part)" if f.part and f.part != "full" else ""
            click.echo(f"{f.name}: {f.status} {f.doc_kind} {f.unit_name} {f.fiscal_year}{part} | 目录 {f.toc_tables} "
                       f"found {f.tables_found} classified {f.tables_classified} | {f.rows} rows {f.amounts} amounts "
                       f"| {held}" + (f" | {f.error}" if f.error else ""))
            if show_tables:
                for t in doc.tables:
                    click.echo(f"    {t.table.seq:>2} {t.table.code:<30} {t.table.page_label:<9} "
                               f"{len(t.table.body_rows):>3} rows  {t.table.number_label or ''} {t.table.title}")
                for c in doc.failed_checks[:10]:
                    click.echo(f"    ✗ p.{c.page} {c.message}")
    click.echo("\nby city or province:")
    for summary in summarise(results):
        click.echo(f"  {summary.line()}")


@main.command(name="report")
@click.argument("documents", nargs=-1, metavar="[DOCUMENT...]")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write index.html and one page per document into.")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL of the warehouse.")
@click.option("--data-dir", default=Path("data"), show_default=True, envvar="BUDGETDW_DATA_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the raw store is, when an original is no longer where it was loaded from.")
def report_command(documents: tuple[str, ...], out_dir: Path, warehouse_url: str, data_dir: Path) -> None:
    """Write a review page per document (every one, or each DOCUMENT: a sha256 prefix) and an index.

    Each page is one self-contained HTML file that opens offline: identity and totals, the charts the
    disclosures print (inline SVG), every failed check with its PDF page rendered and the values it
    names boxed, and the tables found with their pages. The warehouse is only read.
    """
    from sqlalchemy.exc import DBAPIError

    from pipelines.load.engine import shown_url
    from pipelines.review_page.data import NoSuchDocument
    from pipelines.review_page.report import write_reports

    engine = _open_loaded_warehouse(warehouse_url, migrate_schema=False)
    try:
        pages = write_reports(engine, out_dir, documents, data_dir, source=shown_url(warehouse_url),
                              on_document=lambda doc, path: click.echo(f"{doc.status:<11} {path}"))
    except NoSuchDocument as exc:
        raise click.ClickException(str(exc)) from None
    except DBAPIError as exc:  # a warehouse of an older schema (or none): its views lack what the page reads
        raise _older_warehouse(warehouse_url, exc) from None
    finally:
        engine.dispose()
    click.echo(f"{len(pages)} document page{'' if len(pages) == 1 else 's'} → {out_dir / 'index.html'}")


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
              help="CSV (with a header row) or Parquet (typed: money as DECIMAL(20,2)).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write one file per BI view into (v_document.csv …).")
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL of the warehouse.")
def export_command(fmt: str, out_dir: Path, warehouse_url: str) -> None:
    """Write every BI view (schema bi) as a file, for users without a database: amounts exact, as the
    warehouse holds them (no float), rows sorted. The warehouse is only read."""
    from pipelines.export import export_views
    from pipelines.load.engine import shown_url

    _writable_folder("--out", out_dir)
    from sqlalchemy.exc import DBAPIError

    engine = _open_loaded_warehouse(warehouse_url, migrate_schema=False)
    try:
        done = export_views(engine, out_dir, fmt, on_view=lambda e: click.echo(f"{e.view:<32} {e.rows:>8} rows  "
                                                                               f"{e.path}"))
    except DBAPIError as exc:  # a warehouse of an older schema: no bi views yet
        raise _older_warehouse(warehouse_url, exc) from None
    finally:
        engine.dispose()
    click.echo(f"{len(done)} views → {out_dir} ({fmt}, from {shown_url(warehouse_url)})")


def _older_warehouse(warehouse_url: str, exc: Exception) -> click.ClickException:
    """The one-line error for a warehouse whose schema lacks what a command reads."""
    from pipelines.load.engine import shown_url

    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return click.ClickException(f"cannot read the warehouse {shown_url(warehouse_url)}: {reason} "
                                f"(an older warehouse: budgetdw migrate brings it to this version)")


if __name__ == "__main__":  # pragma: no cover
    main()
