"""Acquire from the web: listing pages → article pages → PDF attachments, into the raw store.

Every PDF that is downloaded is checked (it starts with ``%PDF-``, it is as long as announced, it ends
with ``%%EOF``) and then kept forever in the content-addressed raw store (``store.store_raw_as``):
``<data_dir>/raw/<sha[:2]>/<sha>.pdf``, with every URL it was found under in ``<sha>.sources``.
Every request is written to ``<data_dir>/fetch_log.jsonl``, which is how the next run knows what it
already has: it asks again with ``If-None-Match`` / ``If-Modified-Since`` (the server answers 304), or
does not ask at all when the server gave no validators.

Only hosts a source allows are ever contacted; a link or a redirect anywhere else is reported as
``refused_host`` and never requested. One bad URL never raises: every fault becomes a ``FetchResult``.

Entry points: ``acquire_url`` (one URL: a PDF or a listing page) and ``acquire_sources`` (everything in
a sources config). See docs/acquisition.md.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx

from pipelines.acquire.fetchlog import FETCH_LOG_NAME, FetchLog
from pipelines.acquire.folder import find_pdfs
from pipelines.acquire.http import HttpAnswer, HttpClient
from pipelines.acquire.links import Link, decode_html, extract_links, is_article, link_matches
from pipelines.acquire.pdfcheck import HEAD_BYTES, has_eof, looks_like_pdf, snippet
from pipelines.acquire.results import (
    DOWNLOADED,
    DUPLICATE,
    ERROR,
    HTTP_ERROR,
    LIMIT_REACHED,
    NOT_PDF,
    PAGE_READ,
    REFUSED_HOST,
    REFUSED_LINK,
    TRUNCATED,
    UNCHANGED,
    FetchResult,
    size_text,
)
from pipelines.acquire.sources import (
    DEFAULT_PDF_LINK,
    FolderSource,
    HttpSettings,
    Pagination,
    SourcesConfig,
    WebSource,
    host_allowed,
    load_config,
    origin,
)
from pipelines.store import (
    SourceDocument,
    local_sha256,
    path_text,
    sha256_file,
    store_raw,
    store_raw_as,
    stored_path,
)

log = logging.getLogger(__name__)

Role = Literal["pdf", "listing", "article"]


@dataclass(frozen=True)
class _Context:
    """Who asked for a URL: the source's name, hints and allowed hosts."""

    allowed: tuple[str, ...]
    source: str | None = None
    unit: str | None = None
    year: int | None = None


@dataclass
class _Walk:
    """One web source's crawl in progress: its rules, the articles taken so far, the results."""

    source: WebSource
    ctx: _Context
    pagination: Pagination
    articles: int = 0
    pages: int = 0  # listing and article pages requested (max_pages_per_crawl)
    capped: bool = False  # the page cap was met (reported once)
    results: list[FetchResult] = field(default_factory=list)


class _MakeResult(Protocol):
    """The FetchResult of the URL being visited."""

    def __call__(self, outcome: str, message: str, resp: HttpAnswer | None = None, *, kind: str | None = None,
                 document: SourceDocument | None = None) -> FetchResult: ...


def _age_days(entry: dict) -> float:
    """Days since the fetch log's entry was written (infinite when it says no time)."""
    try:
        then = datetime.fromisoformat(entry["time"])
    except (KeyError, TypeError, ValueError):
        return math.inf
    return (datetime.now(UTC) - then).total_seconds() / 86400


def _templated_pages(pagination: Pagination) -> list[str]:
    """The listing's further pages written by its url_template (the first page is the listing itself)."""
    if not pagination.url_template:
        return []
    start = pagination.template_start
    return [pagination.url_template.format(page=n) for n in range(start, start + pagination.max_pages - 1)]


class Fetcher:
    """One HTTP client, rate limiter, fetch log and raw store for a run. Use as a context manager."""

    def __init__(self, data_dir: Path, http: HttpSettings | None = None, *,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep,
                 on_result: Callable[[FetchResult], None] | None = None):
        self.data_dir = Path(data_dir)
        self.raw_dir = self.data_dir / "raw"
        self.http = http or HttpSettings()
        self.log = FetchLog(self.data_dir / FETCH_LOG_NAME)
        self.web = HttpClient(self.http, self.data_dir / "tmp", transport=transport, sleep=sleep)
        self._done: set[str] = set()  # URLs handled in this run (each is visited at most once)
        # Told of each PDF's result as soon as it is fetched (a crawl can take minutes): the CLI prints
        # a line per download as it arrives. Other results are told when their source is done (tell).
        self.on_result = on_result
        self._told: set[int] = set()  # ids of the results told already

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.web.close()

    # ------------------------------------------------------------------ one URL: a PDF or a page

    def _stored(self, url: str) -> tuple[dict | None, SourceDocument | None]:
        """The log's last stored PDF for url, when its original is still in the raw store."""
        known = self.log.known(url)
        if known and known.get("sha256"):
            raw = self.raw_dir / known["sha256"][:2] / f"{known['sha256']}.pdf"
            if raw.exists():
                return known, SourceDocument(known["sha256"], url, raw, raw.stat().st_size)
        return None, None

    def visit(self, url: str, role: Role, ctx: _Context,
              found_on: str | None = None) -> tuple[FetchResult | None, list[Link] | None]:
        """Fetch one URL. Returns (result, links): a result for a PDF or a fault, links for a page."""

        def result(outcome: str, message: str, resp: HttpAnswer | None = None, *, kind: str | None = None,
                   document: SourceDocument | None = None) -> FetchResult:
            return FetchResult(
                url=url, outcome=outcome, message=message, kind=kind or role, found_on=found_on,
                sha256=document.sha256 if document else None, document=document,
                status=resp.status if resp else None, final_url=resp.final_url if resp else None,
                source=ctx.source, unit=ctx.unit, year=ctx.year)

        try:
            res, links = self._visit(url, role, ctx, found_on, result)
        except Exception as exc:  # noqa: BLE001 - one bad URL never stops a run
            log.exception("unexpected error fetching %s", url)
            res, links = result(ERROR, f"unexpected error: {type(exc).__name__}: {exc}"), None
        if res is not None and res.kind == "pdf" and self.on_result:
            self._told.add(id(res))
            self.on_result(res)
        return res, links

    def tell(self, results: Iterable[FetchResult]) -> list[FetchResult]:
        """The results of a source, each told once: those not told as they were fetched are told now."""
        out = list(results)
        if self.on_result:
            for r in out:
                if id(r) not in self._told:
                    self.on_result(r)
        return out

    def _visit(self, url: str, role: Role, ctx: _Context, found_on: str | None,
               result: _MakeResult) -> tuple[FetchResult | None, list[Link] | None]:
        http = self.http
        known_pdf, stored = self._stored(url)
        known = known_pdf or self.log.known(url)
        when = known["time"][:10] if known and known.get("time") else None  # last time the log saw it
        has_validators = bool(known and (known.get("etag") or known.get("last_modified")))
        fresh = _age_days(known) < http.recheck_unvalidated_days if known else False

        # Not asked again: a stored PDF (or a read article page) the policy says not to re-check. Without
        # validators, only for recheck_unvalidated_days: a changed file behind a URL is found then.
        if known and (http.recheck == "never" or (http.recheck == "conditional" and not has_validators and fresh)):
            if stored:
                why = "recheck: never" if http.recheck == "never" else (
                    f"the server gave no ETag or Last-Modified; asked again after {http.recheck_unvalidated_days:g} "
                    "days (recheck_unvalidated_days)")
                stored_on = f" on {when}" if when else ""
                return result(UNCHANGED, f"already stored{stored_on} (sha256 {stored.sha256[:12]}…); not requested "
                              f"again ({why})", kind="pdf", document=stored), None
            if role == "article" and known.get("links") is not None:
                return None, [Link(u, t) for u, t in known["links"]]

        headers: dict[str, str] = {}
        if has_validators and (stored or known.get("links") is not None):
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        resp = self.web.get(url, ctx.allowed, "pdf" if role == "pdf" else "any", headers, known if stored else None)
        entry = dict(url=url, final_url=resp.final_url, kind=role, status=resp.status, etag=resp.etag,
                     last_modified=resp.last_modified, content_length=resp.content_length,
                     content_type=resp.content_type, bytes=resp.size, redirects=resp.redirects or None,
                     source=ctx.source, found_on=found_on)

        if resp.outcome == "not_modified" and not stored and (not known or known.get("links") is None):
            # A 304 to a request that was not conditional: nothing to fall back on.
            message = "server answered 304 Not Modified to a request that was not conditional"
            self.log.append({**entry, "outcome": HTTP_ERROR, "message": message})
            return result(HTTP_ERROR, message, resp), None
        if resp.outcome == "not_modified":
            carried = dict(etag=resp.etag or known.get("etag"),
                           last_modified=resp.last_modified or known.get("last_modified"),
                           content_length=known.get("content_length"))
            if stored:
                self.log.append({**entry, **carried, "kind": "pdf", "outcome": UNCHANGED, "sha256": stored.sha256,
                                 "message": resp.message})
                return result(UNCHANGED, f"unchanged since {when or 'last time'}: {resp.message}", resp,
                              kind="pdf", document=stored), None
            self.log.append({**entry, **carried, "outcome": UNCHANGED, "links": known.get("links"),
                             "message": resp.message})
            return None, [Link(u, t) for u, t in known["links"]]

        if resp.outcome == PAGE_READ:
            body = resp.body or b""
            links = extract_links(decode_html(body, resp.content_type), resp.final_url or url)
            keep_links = role == "article" or resp.etag or resp.last_modified
            self.log.append({**entry, "outcome": PAGE_READ, "message": f"page read, {len(links)} links",
                             "links": [[lk.url, lk.text] for lk in links] if keep_links else None})
            return None, links

        if resp.outcome == "pdf":
            try:
                return self._store(url, resp, entry, known_pdf, result), None
            finally:
                if resp.tmp:
                    resp.tmp.unlink(missing_ok=True)

        # A fault.
        self.log.append({**entry, "outcome": resp.outcome, "message": resp.message})
        return result(resp.outcome, resp.message, resp), None

    def _put(self, path: Path, uri: str, local: bool = False) -> tuple[str, SourceDocument, str]:
        """store_raw_as, telling whether the content is new (downloaded), already there under this
        source (unchanged) or already there under another one (duplicate). A `local` file (a folder
        source's) is stored with store_raw: unchanged since the raw store recorded it, it is not read."""
        digest = local_sha256(path, self.raw_dir, uri) if local else sha256_file(path)
        target = stored_path(self.raw_dir, digest)
        sources_file = target.with_suffix(".sources")
        existed = target.exists()
        earlier = sources_file.read_text(encoding="utf-8").splitlines() if sources_file.exists() else []
        doc = store_raw(path, self.raw_dir, uri) if local else store_raw_as(path, self.raw_dir, uri, digest)
        if not existed or doc.sha256 != digest:  # (not the bytes hashed: the file changed meanwhile)
            return DOWNLOADED, doc, ""
        if uri in earlier:
            return UNCHANGED, doc, ""
        return DUPLICATE, doc, earlier[0] if earlier else "an earlier source"

    def _store(self, url: str, resp: HttpAnswer, entry: dict, known_pdf: dict | None,
               result: _MakeResult) -> FetchResult:
        outcome, doc, first = self._put(resp.tmp, url)
        digest = doc.sha256
        where = f"raw/{digest[:2]}/{digest[:12]}….pdf"
        if outcome == DOWNLOADED:
            message = f"downloaded {size_text(resp.size)} → {where}"
            if known_pdf and known_pdf.get("sha256") != digest:
                message += f" (new version: was sha256 {known_pdf['sha256'][:12]}…)"
        elif outcome == UNCHANGED:
            message = f"downloaded again, content unchanged ({where})"
        else:
            message = f"same content as {first} ({where}); recorded this URL as another source"
        self.log.append({**entry, "kind": "pdf", "outcome": outcome, "sha256": digest, "message": message})
        return result(outcome, message, resp, kind="pdf", document=doc)

    # ------------------------------------------------------------------ sources

    def crawl(self, source: WebSource) -> list[FetchResult]:
        """Listing pages (with pagination) → article pages → PDFs, within the source's allowed hosts."""
        walk = _Walk(source, _Context(tuple(source.hosts), source.label, source.unit, source.year),
                     source.pagination or Pagination(next_page=None, max_pages=1))
        for listing in source.listing_urls:
            self._crawl_listing(walk, listing)
        return walk.results

    def _crawl_listing(self, walk: _Walk, listing: str) -> None:
        """One listing, page after page (its next-page links, or its url_template's pages)."""
        pagination = walk.pagination
        templated = _templated_pages(pagination)
        page_urls: set[str] = {listing, *templated}
        page, count = listing, 0
        while page and count < pagination.max_pages:
            count += 1
            if page in self._done and page != listing:
                break
            if not self._page_budget(walk, page):
                break
            self._done.add(page)
            res, links = self.visit(page, "listing", walk.ctx)
            if res:
                walk.results.append(res)
            if links is None:  # a fault (or a PDF): the listing ends here
                if res and res.status == 404 and page != listing and templated:
                    walk.results.pop()  # a templated page that does not exist: the normal end of the listing
                break
            next_url = self._follow_listing_links(walk, links, page, listing, page_urls)
            if pagination.url_template:
                page = templated[count - 1] if count - 1 < len(templated) else None
            else:
                page = self._allowed_next_page(walk, next_url, page)
                if page:
                    page_urls.add(page)

    def _follow_listing_links(self, walk: _Walk, links: list[Link], page: str, listing: str,
                              page_urls: set[str]) -> str | None:
        """Follow a listing page's PDF links and article pages; return its next-page link, if any."""
        pagination, source = walk.pagination, walk.source
        next_url = None
        pdfs = self._pdf_links(walk, links, page)
        for link in links:
            if link.url in page_urls or link.url == page:
                continue
            if not pagination.url_template and pagination.next_page and link_matches(pagination.next_page, link):
                next_url = next_url or link.url
                continue
            if link_matches(source.pdf_link, link):
                if link.url in pdfs:
                    walk.results.extend(self._follow(link.url, "pdf", walk.ctx, page))
            elif is_article(link, source.article_link, listing) and walk.articles < source.max_articles:
                if link.url not in self._done:
                    walk.articles += 1
                walk.results.extend(self._follow(link.url, "article", walk.ctx, page, source, walk))
        return next_url

    def _pdf_links(self, walk: _Walk, links: list[Link], page: str) -> set[str]:
        """The PDF links of a page that are followed: the first max_pdf_links_per_page of them; when there
        are more, the rest are reported (limit_reached), not silently left."""
        found = list(dict.fromkeys(lk.url for lk in links if link_matches(walk.source.pdf_link, lk)))
        cap = walk.source.max_pdf_links_per_page
        if len(found) > cap:
            walk.results.append(FetchResult(
                page, LIMIT_REACHED, f"the page links {len(found)} PDFs; the first {cap} were followed "
                f"(max_pdf_links_per_page), the other {len(found) - cap} were not", kind="listing",
                source=walk.ctx.source, unit=walk.ctx.unit, year=walk.ctx.year))
        return set(found[:cap])

    def _page_budget(self, walk: _Walk, url: str) -> bool:
        """Whether one more listing or article page may be requested (max_pages_per_crawl); the first page
        over the cap is reported (limit_reached), the rest are not requested."""
        if walk.pages < walk.source.max_pages_per_crawl:
            walk.pages += 1
            return True
        if not walk.capped:
            walk.capped = True
            walk.results.append(FetchResult(
                url, LIMIT_REACHED, f"{walk.source.max_pages_per_crawl} pages requested in this crawl "
                "(max_pages_per_crawl): this page and any further ones were not", kind="listing",
                source=walk.ctx.source, unit=walk.ctx.unit, year=walk.ctx.year))
        return False

    def _allowed_next_page(self, walk: _Walk, next_url: str | None, page: str) -> str | None:
        """The next listing page, unless its host is not allowed (then reported as refused)."""
        if next_url and not host_allowed(next_url, walk.ctx.allowed):
            walk.results.append(self._refused(next_url, "listing", walk.ctx, page))
            return None
        return next_url

    def _refused(self, url: str, kind: str, ctx: _Context, found_on: str | None) -> FetchResult:
        parts = urlsplit(url)
        try:
            host = f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or url)
        except ValueError:  # a port that is not a number
            host = parts.hostname or url
        return FetchResult(url, REFUSED_HOST, f"refused: link to host {host}, which is not allowed "
                           f"(allowed: {', '.join(ctx.allowed)}); not requested", kind=kind, found_on=found_on,
                           source=ctx.source, unit=ctx.unit, year=ctx.year)

    def _follow(self, url: str, role: Literal["pdf", "article"], ctx: _Context, found_on: str,
                source: WebSource | None = None, walk: _Walk | None = None) -> list[FetchResult]:
        if url in self._done:
            return []
        if not host_allowed(url, ctx.allowed):
            self._done.add(url)
            return [self._refused(url, role, ctx, found_on)]
        if role == "article" and walk is not None and not self._page_budget(walk, url):
            return []
        self._done.add(url)
        res, links = self.visit(url, role, ctx, found_on)
        out = [res] if res else []
        if role == "article" and links and source is not None:
            capped = _Walk(source, ctx, Pagination()) if walk is None else walk
            before = len(capped.results)
            pdfs = self._pdf_links(capped, links, url)
            out.extend(capped.results[before:])
            del capped.results[before:]
            for link in links:
                if link.url in pdfs:
                    out.extend(self._follow(link.url, "pdf", ctx, url))
        return out

    def fetch_pdf(self, url: str, allowed_hosts: Sequence[str] | None = None) -> FetchResult:
        """One URL expected to be a PDF (an HTML answer is not_pdf)."""
        allowed = tuple(allowed_hosts) if allowed_hosts else (origin(url),)
        ctx = _Context(allowed)
        if not host_allowed(url, allowed):
            return self._refused(url, "pdf", ctx, None)
        self._done.add(url)
        res, _ = self.visit(url, "pdf", ctx)
        return res  # type: ignore[return-value]  # always a result for role "pdf"

    def store_folder(self, source: FolderSource) -> list[FetchResult]:
        """A local folder: every PDF in it, checked like a download, into the raw store."""
        kw = dict(source=source.label, unit=source.unit, year=source.year)
        refused: list[tuple[Path, str]] = []
        try:
            pdfs = find_pdfs([source.path], exclude=[self.data_dir], refused=refused)  # never our own copies
        except FileNotFoundError as exc:
            return [FetchResult(path_text(source.path), ERROR, f"{exc}", **kw)]
        results = [FetchResult(path_text(link), REFUSED_LINK, f"refused: {why}", **kw) for link, why in refused]
        for pdf in pdfs:
            uri = path_text(pdf.resolve())
            try:
                with open(pdf, "rb") as f:
                    head = f.read(HEAD_BYTES)
                if not looks_like_pdf(head):
                    results.append(FetchResult(uri, NOT_PDF, f"not a PDF (starts with {snippet(head)!r}); "
                                               "not stored", **kw))
                    continue
                if not has_eof(pdf):
                    results.append(FetchResult(uri, TRUNCATED, "truncated: no %%EOF at the end of the file; "
                                               "not stored", **kw))
                    continue
                outcome, doc, first = self._put(pdf, uri, local=True)
                msg = {DOWNLOADED: f"stored {size_text(doc.size)} from the local folder",
                       UNCHANGED: "already stored",
                       DUPLICATE: f"same content as {first}; recorded this file as another source"}[outcome]
                results.append(FetchResult(uri, outcome, msg, sha256=doc.sha256, document=doc, **kw))
            except OSError as exc:
                results.append(FetchResult(uri, ERROR, f"could not store: {exc}", **kw))
        return results


# --------------------------------------------------------------------------------------- entry points


def _emit(results: Iterable[FetchResult], on_result: Callable[[FetchResult], None] | None) -> list[FetchResult]:
    out = list(results)
    if on_result:
        for r in out:
            on_result(r)
    return out


def acquire_url(url: str, data_dir: Path, *, allowed_hosts: Sequence[str] | None = None,
                http: HttpSettings | None = None, source: WebSource | None = None,
                on_result: Callable[[FetchResult], None] | None = None,
                transport: httpx.BaseTransport | None = None) -> list[FetchResult]:
    """Acquire one URL: a PDF, or a listing page whose PDF links and article pages are followed.

    allowed_hosts defaults to the URL's own host. A listing page is crawled with the defaults of
    WebSource (next-page links, articles under the listing's folder, links ending in .pdf) unless
    `source` gives the rules. Never raises for a bad URL: the fault is a result.
    """
    try:
        src = source or WebSource(listing_urls=[url], pagination=Pagination(),
                                  allowed_hosts=list(allowed_hosts) if allowed_hosts else None)
    except ValueError as exc:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            host = parts.hostname
            return _emit([FetchResult(url, REFUSED_HOST, f"refused: host {host} is not allowed (allowed: "
                                      f"{', '.join(allowed_hosts or [])}); not requested", kind="listing")], on_result)
        return _emit([FetchResult(url, ERROR, f"not an http(s) URL: {url!r} ({type(exc).__name__})",
                                  kind="listing")], on_result)
    with Fetcher(data_dir, http, transport=transport, on_result=on_result) as fetcher:
        if source is None and re.search(DEFAULT_PDF_LINK, url):  # a PDF link: an HTML answer is not_pdf
            return fetcher.tell([fetcher.fetch_pdf(url, src.hosts)])
        return fetcher.tell(fetcher.crawl(src))


def acquire_sources(config: SourcesConfig | Path | str, data_dir: Path, *,
                    on_result: Callable[[FetchResult], None] | None = None,
                    transport: httpx.BaseTransport | None = None) -> list[FetchResult]:
    """Acquire every source of a config (a SourcesConfig or the path of a sources YAML file).

    Returns one FetchResult per PDF URL or file (and per fault, per refused link). An invalid config
    file raises ValueError; nothing else does.
    """
    if not isinstance(config, SourcesConfig):
        config = load_config(config)
    results: list[FetchResult] = []
    with Fetcher(data_dir, config.http, transport=transport, on_result=on_result) as fetcher:
        for source in config.sources:
            try:
                found = fetcher.store_folder(source) if isinstance(source, FolderSource) else fetcher.crawl(source)
            except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                log.exception("source %s failed", source.label)
                found = [FetchResult(source.label, ERROR, f"source failed: {type(exc).__name__}: {exc}",
                                     source=source.label)]
            results.extend(fetcher.tell(found))
    return results
