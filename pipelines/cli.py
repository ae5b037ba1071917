"""Command line: `budgetdw ingest PATH...`."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

import click

from .ingest import Settings, ingest, report_entry
from .load import DEFAULT_WAREHOUSE
from .process import FAILED


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log detail to stderr.")
def main(verbose: bool) -> None:
    """budgetdw: Chinese budget disclosure PDFs into a validated data warehouse."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command(name="ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--warehouse", "warehouse_url", default=DEFAULT_WAREHOUSE, show_default=True,
              envvar="BUDGETDW_WAREHOUSE", help="SQLAlchemy URL (duckdb:///file.duckdb or postgresql+psycopg://…).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON report of every document here.")
@click.option("--data-dir", default=Path("data"), show_default=True, envvar="BUDGETDW_DATA_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Where originals (raw/, by sha256) and extracted tables (extracted/) are kept.")
def ingest_command(paths: tuple[Path, ...], warehouse_url: str, report_path: Path | None, data_dir: Path) -> None:
    """Ingest PDF files, or folders of them, into the warehouse.

    Prints one line per document and a summary. Exit status: 0 when every document was
    processed (published or quarantined), 1 when any failed.
    """

    def show(doc) -> None:
        ident = doc.identity
        what = f"{ident.unit_name} {ident.fiscal_year} {ident.doc_kind}" if ident else "-"
        failed = len(doc.failed_checks)
        detail = doc.error or f"{len(doc.tables)} tables, {len(doc.checks)} checks, {failed} failed"
        click.echo(f"{doc.status:<11} {doc.source.name}  {what}  ({detail})")

    docs = ingest(list(paths), Settings(warehouse_url, data_dir), on_document=show)
    counts = Counter(d.status for d in docs)
    click.echo(f"{len(docs)} documents: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
               + f" → {warehouse_url}")
    if report_path:
        report_path.write_text(json.dumps({"documents": [report_entry(d) for d in docs]},
                                          ensure_ascii=False, indent=2), encoding="utf-8")
    sys.exit(1 if counts.get(FAILED) else 0)


@main.command(name="fidelity")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--tables", "show_tables", is_flag=True, help="Also list every table found.")
def fidelity_command(paths: tuple[Path, ...], show_tables: bool) -> None:
    """Report how well each document is understood, without loading anything.

    Per document: kind, unit, year, tables its 目录 lists vs tables found and classified, rows and
    amounts extracted, and the share of sum checks that hold on the extracted numbers.
    """
    import tempfile

    from .acquire import find_pdfs, store_raw
    from .fidelity import fidelity
    from .process import process_document

    with tempfile.TemporaryDirectory() as tmp:
        for pdf in find_pdfs(list(paths)):
            doc = process_document(store_raw(pdf, Path(tmp)))
            f = fidelity(doc)
            held = f"{f.checks_held}/{f.checks} sums hold" if f.checks else "no sums checked"
            click.echo(f"{f.name}: {f.status} {f.doc_kind} {f.unit_name} {f.fiscal_year} | 目录 {f.toc_tables} "
                       f"found {f.tables_found} classified {f.tables_classified} | {f.rows} rows {f.amounts} amounts "
                       f"| {held}" + (f" | {f.error}" if f.error else ""))
            if show_tables:
                for t in doc.tables:
                    click.echo(f"    {t.table.seq:>2} {t.table.code:<30} {t.table.page_label:<9} "
                               f"{len(t.table.body_rows):>3} rows  {t.table.number_label or ''} {t.table.title}")
                for c in doc.failed_checks[:10]:
                    click.echo(f"    ✗ p.{c.page} {c.message}")


if __name__ == "__main__":  # pragma: no cover
    main()
