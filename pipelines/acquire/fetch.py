"""Acquire from the web: listing pages → article pages → PDF attachments, into the raw store.

Every PDF that is downloaded is checked (it starts with ``%PDF-``, it is as long as announced, it ends
with ``%%EOF``) and then kept forever in the content-addressed raw store (``acquire.store_raw_as``):
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

import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipelines.acquire.folder import find_pdfs
from pipelines.acquire.sources import (
    DEFAULT_PDF_LINK,
    FolderSource,
    HttpSettings,
    Pagination,
    SourcesConfig,
    WebSource,
    host_allowed,
    load_config,
    normalise_host,
)
from pipelines.store import SourceDocument, sha256_file, store_raw_as, stored_path

log = logging.getLogger(__name__)

# Outcomes of a FetchResult.
DOWNLOADED = "downloaded"  # new content, now in the raw store
UNCHANGED = "unchanged"  # this URL's content is already stored (304, same validators, or not asked again)
DUPLICATE = "duplicate"  # content already stored from another source; this URL was added as a source
REFUSED_HOST = "refused_host"  # a link or redirect to a host that is not allowed: never requested
NOT_PDF = "not_pdf"  # the body is not a PDF (e.g. an HTML error page served as .pdf)
TRUNCATED = "truncated"  # the body is shorter than announced, or the PDF has no %%EOF at its end
TOO_LARGE = "too_large"  # larger than the configured limit: not downloaded / download aborted
HTTP_ERROR = "http_error"  # the server answered 4xx/5xx (5xx after retries), or the network failed
TIMEOUT = "timeout"  # no answer within the timeout, after retries
ERROR = "error"  # anything else (a missing folder, a disk error): the message says what
Outcome = Literal[
    "downloaded", "unchanged", "duplicate", "refused_host", "not_pdf", "truncated", "too_large",
    "http_error", "timeout", "error",
]
STORED_OUTCOMES = frozenset({DOWNLOADED, UNCHANGED, DUPLICATE})

FETCH_LOG_NAME = "fetch_log.jsonl"
_PAGE = "page"  # fetch-log outcome of a listing or article page that was read
_HEAD_BYTES = 1024  # %PDF- must appear within the first 1024 bytes, %%EOF within the last 1024
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_STALE_PART_SECONDS = 24 * 3600
_HTML_EXT = re.compile(r"(?i)(?:/|\.s?html?|\.jhtml|\.jsp|\.php|\.aspx?|/[^/.]*)$")
# Link texts that are navigation, not articles (page numbers, previous/next/first/last).
_NOT_ARTICLE_TEXT = re.compile(
    r"^\s*(?:\d+|上一页|上页|前页|首页|尾页|末页|下一页|下页|后页|prev.*|next.*|first|last|[‹«<›»>])\s*$", re.I)


@dataclass(frozen=True)
class FetchResult:
    """What happened to one URL (or one local file)."""

    url: str
    outcome: Outcome
    message: str  # one line a person understands
    kind: Literal["pdf", "listing", "article"] = "pdf"  # what the URL was expected to be
    sha256: str | None = None
    document: SourceDocument | None = None  # the stored original, when there is one
    status: int | None = None  # last HTTP status, when a request was made
    final_url: str | None = None  # after redirects
    found_on: str | None = None  # the page the link was found on
    source: str | None = None  # the source's name in the config
    unit: str | None = None  # the source's hints
    year: int | None = None

    @property
    def ok(self) -> bool:
        """True when the URL's content is in the raw store (downloaded, unchanged or duplicate)."""
        return self.outcome in STORED_OUTCOMES

    def line(self) -> str:
        return f"{self.outcome:<12} {self.url}  {self.message}"


# --------------------------------------------------------------------------------------------- log


class FetchLog:
    """Append-only JSON lines, one per URL visited; remembers the latest good state of every URL."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @cached_property
    def _state(self) -> dict[str, dict]:
        """Read on first use: storing a folder's files (the sensor's, every minute) never needs it,
        and the log grows with every night's crawl."""
        state: dict[str, dict] = {}
        if self.path.exists():
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue  # a line cut by a crash
                    if isinstance(entry, dict) and "url" in entry:
                        _remember(state, entry)
        return state

    def known(self, url: str) -> dict | None:
        """The latest entry for url that stored a PDF or read a page, or None."""
        return self._state.get(url)

    def append(self, entry: dict) -> dict:
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        _remember(self._state, entry)
        return entry


def _remember(state: dict[str, dict], entry: dict) -> None:
    """Keep the latest entry of each URL that stored a PDF or read a page."""
    if entry.get("outcome") in STORED_OUTCOMES and entry.get("sha256"):
        state[entry["url"]] = entry
    elif entry.get("outcome") == _PAGE or (entry.get("outcome") == UNCHANGED and entry.get("kind") != "pdf"):
        state[entry["url"]] = entry


# ------------------------------------------------------------------------------------------- links


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    text: str = ""  # the link's text, or its title attribute


class _LinkParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[Link] = []
        self._open: tuple[str, list[str], str] | None = None

    def _add(self, href: str | None, text: str) -> None:
        if not href:
            return
        url = urldefrag(urljoin(self.base, href.strip()))[0]
        if urlsplit(url).scheme in ("http", "https"):
            self.links.append(Link(url, " ".join(text.split())))

    def _close(self) -> None:
        if self._open:
            href, parts, title = self._open
            self._open = None
            self._add(href, "".join(parts).strip() or title)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag == "a":
            self._close()
            self._open = (a.get("href", ""), [], a.get("title", ""))
        elif tag in ("iframe", "frame", "embed"):
            self._add(a.get("src"), a.get("title", ""))
        elif tag == "object":
            self._add(a.get("data"), a.get("title", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[1].append(data)

    def close(self) -> None:
        super().close()
        self._close()


def extract_links(html: str, base_url: str) -> list[Link]:
    """Every http(s) link of a page (a href, iframe/frame/embed src, object data), absolute, in order."""
    parser = _LinkParser(base_url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser copes with almost anything; keep what was found
        log.debug("HTML parse error on %s", base_url, exc_info=True)
    return parser.links


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(body: bytes, content_type: str | None) -> str:
    """Header charset, else <meta charset>, else UTF-8, else GB18030 (gb2312/gbk pages are common)."""
    candidates = []
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type or "", re.I)
    if m:
        candidates.append(m.group(1))
    m = _META_CHARSET.search(body[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii"))
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        enc = "gb18030" if enc.lower() in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else enc
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def _matches(pattern: str | None, link: Link) -> bool:
    return bool(pattern) and bool(re.search(pattern, link.url) or (link.text and re.search(pattern, link.text)))


def _folder(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path[: path.rfind("/") + 1]


def _default_article(link: Link, listing_url: str) -> bool:
    """No article_link configured: an HTML page on the listing's host, under the listing's folder."""
    u, lst = urlsplit(link.url), urlsplit(listing_url)
    return (
        normalise_host(u.hostname or "") == normalise_host(lst.hostname or "")
        and u.path.startswith(_folder(listing_url))
        and bool(_HTML_EXT.search(u.path or "/"))
        and not _NOT_ARTICLE_TEXT.match(link.text or "")
        and link.url.rstrip("/") != listing_url.rstrip("/")
    )


# ------------------------------------------------------------------------------------------ client


def user_agent(http: HttpSettings) -> str:
    if http.user_agent:
        return http.user_agent
    try:
        from importlib.metadata import version

        v = version("budgetdw")
    except Exception:  # noqa: BLE001 - not installed (running from a checkout)
        v = "0"
    return f"budgetdw/{v} (+{http.contact_url}; budget disclosure archiver)"


class _HostClock:
    """At least `interval` seconds between the starts of two requests to the same host."""

    def __init__(self, interval: float, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.sleep = sleep
        self.now = now
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        with self._lock:
            last = self._last.get(host)
            if last is not None:
                remaining = self.interval - (self.now() - last)
                if remaining > 0:
                    self.sleep(remaining)
            self._last[host] = self.now()


class _Retry(Exception):
    """A transient fault: tried again with exponential backoff, then reported with this outcome."""

    def __init__(self, outcome: str, message: str, status: int | None = None, final_url: str | None = None):
        super().__init__(message)
        self.outcome, self.message, self.status, self.final_url = outcome, message, status, final_url


@dataclass
class _Response:
    outcome: str  # "pdf", _PAGE, "not_modified", or a fault outcome
    message: str = ""
    status: int | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_length: int | None = None
    content_type: str | None = None
    size: int | None = None
    tmp: Path | None = None  # the downloaded PDF (caller deletes it)
    body: bytes | None = None  # the page
    redirects: list[str] = field(default_factory=list)


def _bytes(n: int | None) -> str:
    return "?" if n is None else f"{n:,} bytes"


def _snippet(head: bytes) -> str:
    text = head[:60].decode("utf-8", errors="replace")
    return " ".join(text.split())[:40]


def _looks_like_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:_HEAD_BYTES]


def _has_eof(path: Path) -> bool:
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - 4 * _HEAD_BYTES))
        tail = f.read().rstrip(b"\x00\r\n\t \x0c")
    return b"%%EOF" in tail[-_HEAD_BYTES:]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------- fetcher


@dataclass(frozen=True)
class _Context:
    """Who asked for a URL: the source's name, hints and allowed hosts."""

    allowed: tuple[str, ...]
    source: str | None = None
    unit: str | None = None
    year: int | None = None


class Fetcher:
    """One HTTP client, rate limiter, fetch log and raw store for a run. Use as a context manager."""

    def __init__(self, data_dir: Path, http: HttpSettings | None = None, *,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep):
        self.data_dir = Path(data_dir)
        self.raw_dir = self.data_dir / "raw"
        self.tmp_dir = self.data_dir / "tmp"
        self.http = http or HttpSettings()
        self.log = FetchLog(self.data_dir / FETCH_LOG_NAME)
        self._sleep = sleep
        self._clock = _HostClock(self.http.min_interval_seconds, sleep)
        self._done: set[str] = set()  # URLs handled in this run (each is visited at most once)
        self._transport = transport
        self._clean_stale_parts()

    @cached_property
    def client(self) -> httpx.Client:
        """Built on first request (a folder's files need none)."""
        return httpx.Client(
            timeout=httpx.Timeout(self.http.timeout_seconds),
            follow_redirects=False,  # every hop is checked against the allowed hosts here
            headers={"User-Agent": user_agent(self.http),
                     "Accept": "application/pdf,text/html;q=0.9,*/*;q=0.8"},
            trust_env=self.http.trust_env,
            transport=self._transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if "client" in self.__dict__:
            self.client.close()

    def _clean_stale_parts(self) -> None:
        if self.tmp_dir.is_dir():
            for part in self.tmp_dir.glob("fetch-*.part"):
                try:
                    if time.time() - part.stat().st_mtime > _STALE_PART_SECONDS:
                        part.unlink()
                except OSError:
                    pass

    # ------------------------------------------------------------------ one HTTP GET, with retries

    def _get(self, url: str, ctx: _Context, expect: Literal["pdf", "any"], headers: dict[str, str],
             known: dict | None) -> _Response:
        attempts = 0

        def attempt() -> _Response:
            nonlocal attempts
            attempts += 1
            return self._attempt(url, ctx, expect, headers, known)

        retrying = Retrying(
            stop=stop_after_attempt(self.http.attempts),
            wait=wait_exponential(multiplier=self.http.backoff_initial_seconds, max=self.http.backoff_max_seconds),
            retry=retry_if_exception_type(_Retry),
            reraise=True,
            sleep=self._sleep,
            before_sleep=lambda rs: log.info("retrying %s after: %s", url, rs.outcome.exception()),
        )
        try:
            return retrying(attempt)
        except _Retry as exc:
            tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
            return _Response(exc.outcome, f"{exc.message} ({tries})", status=exc.status, final_url=exc.final_url)

    def _attempt(self, url: str, ctx: _Context, expect: str, headers: dict[str, str],
                 known: dict | None) -> _Response:
        current, redirects = url, []
        for _ in range(self.http.max_redirects + 1):
            try:
                # Check the URL exactly as httpx will send it, so that no parser difference can slip by.
                target = httpx.URL(current)
                checked = str(target)
            except (httpx.InvalidURL, ValueError, TypeError):
                return _Response(ERROR, f"invalid URL {current!r}; not requested", final_url=current,
                                 redirects=redirects)
            if not (host_allowed(checked, ctx.allowed)
                    and normalise_host(target.host) == normalise_host(urlsplit(checked).hostname or "")):
                host = target.host or current
                where = f"redirected to {current}; " if redirects else ""
                return _Response(REFUSED_HOST, f"refused: {where}host {host} is not allowed "
                                 f"(allowed: {', '.join(ctx.allowed)}); not requested",
                                 final_url=current, redirects=redirects)
            self._clock.wait(normalise_host(target.host))
            try:
                with self.client.stream("GET", target, headers=headers) as resp:
                    location = resp.headers.get("location")
                    if resp.status_code in _REDIRECT_STATUSES and location:
                        current = urldefrag(urljoin(current, location.strip()))[0]
                        redirects.append(current)
                        continue
                    out = self._read(resp, current, expect, known)
                    out.redirects = redirects
                    return out
            except httpx.TimeoutException as exc:
                raise _Retry(TIMEOUT, f"timed out: no answer from {urlsplit(current).hostname} within "
                             f"{self.http.timeout_seconds:g} s ({type(exc).__name__})", final_url=current) from exc
            except httpx.TransportError as exc:
                raise _Retry(HTTP_ERROR, f"network error talking to {urlsplit(current).hostname}: "
                             f"{exc or type(exc).__name__}", final_url=current) from exc
        return _Response(HTTP_ERROR, f"more than {self.http.max_redirects} redirects (last: {current})",
                         final_url=current, redirects=redirects)

    def _read(self, resp: httpx.Response, url: str, expect: str, known: dict | None) -> _Response:
        h = resp.headers
        meta = dict(status=resp.status_code, final_url=url, etag=h.get("etag"), last_modified=h.get("last-modified"),
                    content_length=_int(h.get("content-length")), content_type=h.get("content-type"))
        status = resp.status_code
        if status == 304:
            return _Response("not_modified", "server answered 304 Not Modified", **meta)
        if status in _RETRY_STATUSES:
            raise _Retry(HTTP_ERROR, f"HTTP {status} {resp.reason_phrase} from {urlsplit(url).hostname}",
                         status=status, final_url=url)
        if not 200 <= status < 300:
            return _Response(HTTP_ERROR, f"HTTP {status} {resp.reason_phrase}", **meta)
        if known and known.get("sha256") and self._same_validators(known, meta):
            return _Response("not_modified", "server sent the same ETag/Last-Modified as last time "
                             "(it ignored the conditional request); body not downloaded", **meta)
        length = meta["content_length"]
        if length is not None and length > self.http.max_bytes:
            return _Response(TOO_LARGE, f"too large: Content-Length is {_bytes(length)}, over the limit of "
                             f"{_bytes(self.http.max_bytes)}; not downloaded", **meta)

        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="fetch-", suffix=".part")
        tmp, keep = Path(name), False
        try:
            head, is_pdf, n, limit = b"", None, 0, self.http.max_bytes
            deadline = time.monotonic() + self.http.download_timeout_seconds
            with os.fdopen(fd, "wb") as f:
                try:
                    for chunk in resp.iter_bytes():
                        f.write(chunk)
                        n += len(chunk)
                        if is_pdf is None:
                            head += chunk
                            if len(head) >= _HEAD_BYTES:
                                is_pdf = _looks_like_pdf(head)
                                if not is_pdf:
                                    early = self._not_pdf_or_page(expect, head, meta)
                                    if early:
                                        return early
                                    limit = self.http.max_page_bytes
                        if time.monotonic() > deadline:
                            raise _Retry(TIMEOUT, f"timed out: download not finished after "
                                         f"{self.http.download_timeout_seconds:g} s ({_bytes(n)} received)",
                                         status=status, final_url=url)
                        if n > limit:
                            what = "file" if is_pdf is not False else "page"
                            return _Response(TOO_LARGE, f"too large: download aborted after {_bytes(n)}, over the "
                                             f"limit of {_bytes(limit)} for a {what}; nothing stored", **meta)
                except httpx.TimeoutException:
                    raise
                except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                    raise _Retry(TRUNCATED, f"truncated: the connection closed after {_bytes(n)} of "
                                 f"{_bytes(length)} ({type(exc).__name__})", status=status, final_url=url) from exc
            if is_pdf is None:
                is_pdf = _looks_like_pdf(head)
                if not is_pdf:
                    early = self._not_pdf_or_page(expect, head, meta)
                    if early:
                        return early
            if length is not None and "content-encoding" not in h and resp.num_bytes_downloaded != length:
                raise _Retry(TRUNCATED, f"truncated: received {_bytes(resp.num_bytes_downloaded)} but "
                             f"Content-Length said {_bytes(length)}", status=status, final_url=url)
            if not is_pdf:
                if n > self.http.max_page_bytes:
                    return _Response(TOO_LARGE, f"too large: page of {_bytes(n)}, over the limit of "
                                     f"{_bytes(self.http.max_page_bytes)}", **meta)
                return _Response(_PAGE, body=tmp.read_bytes(), size=n, **meta)
            if not _has_eof(tmp):
                return _Response(TRUNCATED, f"truncated: the PDF has no %%EOF at its end ({_bytes(n)} received, "
                                 f"as the server announced); the server's copy is incomplete; nothing stored",
                                 size=n, **meta)
            keep = True
            return _Response("pdf", tmp=tmp, size=n, **meta)
        finally:
            if not keep:
                tmp.unlink(missing_ok=True)

    def _not_pdf_or_page(self, expect: str, head: bytes, meta: dict) -> _Response | None:
        """None when a non-PDF body may be read as a page; else the not_pdf answer."""
        ctype = (meta["content_type"] or "").lower()
        looks_html = "html" in ctype or "xml" in ctype or head.lstrip()[:1] == b"<"
        if expect == "any" and looks_html:
            return None
        what = "a web page" if looks_html else f"{meta['content_type'] or 'no content type'}"
        return _Response(NOT_PDF, f"not a PDF: the server sent {what} (starts with {_snippet(head)!r}); "
                         "nothing stored", **meta)

    @staticmethod
    def _same_validators(known: dict, meta: dict) -> bool:
        if known.get("etag") and meta["etag"]:
            return known["etag"] == meta["etag"]
        if known.get("last_modified") and meta["last_modified"] and not meta["etag"]:
            return (known["last_modified"] == meta["last_modified"]
                    and known.get("content_length") == meta["content_length"] and meta["content_length"] is not None)
        return False

    # ------------------------------------------------------------------ one URL: a PDF or a page

    def _stored(self, url: str) -> tuple[dict | None, SourceDocument | None]:
        """The log's last stored PDF for url, when its original is still in the raw store."""
        known = self.log.known(url)
        if known and known.get("sha256"):
            raw = self.raw_dir / known["sha256"][:2] / f"{known['sha256']}.pdf"
            if raw.exists():
                return known, SourceDocument(known["sha256"], url, raw, raw.stat().st_size)
        return None, None

    def visit(self, url: str, role: Literal["pdf", "listing", "article"], ctx: _Context,
              found_on: str | None = None) -> tuple[FetchResult | None, list[Link] | None]:
        """Fetch one URL. Returns (result, links): a result for a PDF or a fault, links for a page."""

        def result(outcome: str, message: str, resp: _Response | None = None, *, kind: str | None = None,
                   document: SourceDocument | None = None) -> FetchResult:
            return FetchResult(
                url=url, outcome=outcome, message=message, kind=kind or role, found_on=found_on,
                sha256=document.sha256 if document else None, document=document,
                status=resp.status if resp else None, final_url=resp.final_url if resp else None,
                source=ctx.source, unit=ctx.unit, year=ctx.year)

        try:
            return self._visit(url, role, ctx, found_on, result)
        except Exception as exc:  # noqa: BLE001 - one bad URL never stops a run
            log.exception("unexpected error fetching %s", url)
            return result(ERROR, f"unexpected error: {type(exc).__name__}: {exc}"), None

    def _visit(self, url, role, ctx, found_on, result):
        http = self.http
        known_pdf, stored = self._stored(url)
        known = known_pdf or self.log.known(url)
        when = known["time"][:10] if known and known.get("time") else None  # last time the log saw it
        has_validators = bool(known and (known.get("etag") or known.get("last_modified")))

        # Not asked again: a stored PDF (or a read article page) the policy says not to re-check.
        if known and (http.recheck == "never" or (http.recheck == "conditional" and not has_validators)):
            if stored:
                why = "recheck: never" if http.recheck == "never" else "the server gave no ETag or Last-Modified"
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
        resp = self._get(url, ctx, "pdf" if role == "pdf" else "any", headers, known if stored else None)
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

        if resp.outcome == _PAGE:
            body = resp.body or b""
            links = extract_links(decode_html(body, resp.content_type), resp.final_url or url)
            keep_links = role == "article" or resp.etag or resp.last_modified
            self.log.append({**entry, "outcome": _PAGE, "message": f"page read, {len(links)} links",
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

    def _put(self, path: Path, uri: str) -> tuple[str, SourceDocument, str]:
        """store_raw_as, telling whether the content is new (downloaded), already there under this
        source (unchanged) or already there under another one (duplicate)."""
        digest = sha256_file(path)
        target = stored_path(self.raw_dir, digest)
        sources_file = target.with_suffix(".sources")
        existed = target.exists()
        earlier = sources_file.read_text(encoding="utf-8").splitlines() if sources_file.exists() else []
        doc = store_raw_as(path, self.raw_dir, uri, digest)
        if not existed or doc.sha256 != digest:  # (not the bytes hashed: the file changed meanwhile)
            return DOWNLOADED, doc, ""
        if uri in earlier:
            return UNCHANGED, doc, ""
        return DUPLICATE, doc, earlier[0] if earlier else "an earlier source"

    def _store(self, url, resp: _Response, entry: dict, known_pdf: dict | None, result) -> FetchResult:
        outcome, doc, first = self._put(resp.tmp, url)
        digest = doc.sha256
        where = f"raw/{digest[:2]}/{digest[:12]}….pdf"
        if outcome == DOWNLOADED:
            message = f"downloaded {_bytes(resp.size)} → {where}"
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
        ctx = _Context(tuple(source.hosts), source.label, source.unit, source.year)
        results: list[FetchResult] = []
        articles = 0
        pagination = source.pagination or Pagination(next_page=None, max_pages=1)
        for listing in source.listing_urls:
            page_urls: set[str] = {listing}
            if pagination.url_template:
                templated = [pagination.url_template.format(page=n) for n in
                             range(pagination.template_start, pagination.template_start + pagination.max_pages - 1)]
                page_urls.update(templated)
            else:
                templated = []
            page, count = listing, 0
            while page and count < pagination.max_pages:
                count += 1
                if page in self._done and page != listing:
                    break
                self._done.add(page)
                res, links = self.visit(page, "listing", ctx)
                if res:
                    results.append(res)
                if links is None:  # a fault (or a PDF): the listing ends here
                    if res and res.status == 404 and page != listing and templated:
                        results.pop()  # a templated page that does not exist: the normal end of the listing
                    break
                next_url = None
                for link in links:
                    if link.url in page_urls or link.url == page:
                        continue
                    if not pagination.url_template and pagination.next_page and _matches(pagination.next_page, link):
                        next_url = next_url or link.url
                        continue
                    if _matches(source.pdf_link, link):
                        results.extend(self._follow(link.url, "pdf", ctx, page))
                    elif (_matches(source.article_link, link) if source.article_link
                          else _default_article(link, listing)):
                        if articles >= source.max_articles:
                            continue
                        if link.url not in self._done:
                            articles += 1
                        results.extend(self._follow(link.url, "article", ctx, page, source))
                if pagination.url_template:
                    page = templated[count - 1] if count - 1 < len(templated) else None
                else:
                    if next_url and not host_allowed(next_url, ctx.allowed):
                        results.append(self._refused(next_url, "listing", ctx, page))
                        next_url = None
                    page = next_url
                    if page:
                        page_urls.add(page)
        return results

    def _refused(self, url: str, kind: str, ctx: _Context, found_on: str | None) -> FetchResult:
        host = urlsplit(url).hostname or url
        return FetchResult(url, REFUSED_HOST, f"refused: link to host {host}, which is not allowed "
                           f"(allowed: {', '.join(ctx.allowed)}); not requested", kind=kind, found_on=found_on,
                           source=ctx.source, unit=ctx.unit, year=ctx.year)

    def _follow(self, url: str, role: Literal["pdf", "article"], ctx: _Context, found_on: str,
                source: WebSource | None = None) -> list[FetchResult]:
        if url in self._done:
            return []
        self._done.add(url)
        if not host_allowed(url, ctx.allowed):
            return [self._refused(url, role, ctx, found_on)]
        res, links = self.visit(url, role, ctx, found_on)
        out = [res] if res else []
        if role == "article" and links and source is not None:
            for link in links:
                if _matches(source.pdf_link, link):
                    out.extend(self._follow(link.url, "pdf", ctx, url))
        return out

    def fetch_pdf(self, url: str, allowed_hosts: Sequence[str] | None = None) -> FetchResult:
        """One URL expected to be a PDF (an HTML answer is not_pdf)."""
        allowed = tuple(allowed_hosts) if allowed_hosts else (normalise_host(urlsplit(url).hostname or ""),)
        ctx = _Context(allowed)
        if not host_allowed(url, allowed):
            return self._refused(url, "pdf", ctx, None)
        self._done.add(url)
        res, _ = self.visit(url, "pdf", ctx)
        return res  # type: ignore[return-value]  # always a result for role "pdf"

    def store_folder(self, source: FolderSource) -> list[FetchResult]:
        """A local folder: every PDF in it, checked like a download, into the raw store."""
        kw = dict(source=source.label, unit=source.unit, year=source.year)
        try:
            pdfs = find_pdfs([source.path], exclude=[self.data_dir])  # never our own copies
        except FileNotFoundError as exc:
            return [FetchResult(str(source.path), ERROR, f"{exc}", **kw)]
        results = []
        for pdf in pdfs:
            uri = str(pdf.resolve())
            try:
                with open(pdf, "rb") as f:
                    head = f.read(_HEAD_BYTES)
                if not _looks_like_pdf(head):
                    results.append(FetchResult(uri, NOT_PDF, f"not a PDF (starts with {_snippet(head)!r}); "
                                               "not stored", **kw))
                    continue
                if not _has_eof(pdf):
                    results.append(FetchResult(uri, TRUNCATED, "truncated: no %%EOF at the end of the file; "
                                               "not stored", **kw))
                    continue
                outcome, doc, first = self._put(pdf, uri)
                msg = {DOWNLOADED: f"stored {_bytes(doc.size)} from the local folder",
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
    with Fetcher(data_dir, http, transport=transport) as fetcher:
        if source is None and re.search(DEFAULT_PDF_LINK, url):  # a PDF link: an HTML answer is not_pdf
            return _emit([fetcher.fetch_pdf(url, src.hosts)], on_result)
        return _emit(fetcher.crawl(src), on_result)


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
    with Fetcher(data_dir, config.http, transport=transport) as fetcher:
        for source in config.sources:
            try:
                found = fetcher.store_folder(source) if isinstance(source, FolderSource) else fetcher.crawl(source)
            except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
                log.exception("source %s failed", source.label)
                found = [FetchResult(source.label, ERROR, f"source failed: {type(exc).__name__}: {exc}",
                                     source=source.label)]
            results.extend(_emit(found, on_result))
    return results
