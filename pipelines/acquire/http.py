"""One polite HTTP GET: a user agent, at most one request per interval to a host, retries with
exponential backoff for transient faults, redirects checked hop by hop against the allowed hosts,
and a body read with limits (size, time) into a PDF file or a page."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import cached_property
from pathlib import Path
from typing import IO, Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipelines.acquire.deadline import bound_transport, deadline, set_deadline
from pipelines.acquire.pdfcheck import HEAD_BYTES, has_eof, looks_like_pdf, snippet
from pipelines.acquire.results import (
    ERROR,
    HTTP_ERROR,
    NOT_PDF,
    PAGE_READ,
    REFUSED_HOST,
    TIMEOUT,
    TOO_LARGE,
    TRUNCATED,
    size_text,
)
from pipelines.acquire.sources import HttpSettings, host_allowed, normalise_host

log = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_STALE_PART_SECONDS = 24 * 3600

Expect = Literal["pdf", "any"]  # "pdf": an HTML answer is not_pdf; "any": it is a page


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

    def __init__(self, outcome: str, message: str, status: int | None = None, final_url: str | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.outcome, self.message, self.status, self.final_url = outcome, message, status, final_url
        self.retry_after = retry_after  # seconds the server asked to wait (Retry-After), if it did


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: a number of seconds, or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass
class HttpAnswer:
    """What one GET came to, after redirects and retries."""

    outcome: str  # "pdf", PAGE_READ, "not_modified", or a fault outcome
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


@dataclass
class _Received:
    """A body being downloaded: its first bytes, whether they are a PDF (None: not known yet), its size."""

    head: bytes = b""
    is_pdf: bool | None = None
    size: int = 0


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class HttpClient:
    """The run's HTTP client: settings, per-host clock, retries; downloads go to `tmp_dir` as
    fetch-*.part files (parts older than a day, left by a crash, are removed on start)."""

    def __init__(self, settings: HttpSettings, tmp_dir: Path, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.tmp_dir = tmp_dir
        self._sleep = sleep
        self._clock = _HostClock(settings.min_interval_seconds, sleep)
        self._transport = transport
        self._clean_stale_parts()

    @cached_property
    def client(self) -> httpx.Client:
        """Built on first request (a folder's files need none)."""
        client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            follow_redirects=False,  # every hop is checked against the allowed hosts here
            headers={"User-Agent": user_agent(self.settings),
                     "Accept": "application/pdf,text/html;q=0.9,*/*;q=0.8"},
            trust_env=self.settings.trust_env,
            transport=self._transport,
        )
        # Every connection, proxied ones too, under the request's total deadline.
        for transport in [client._transport, *client._mounts.values()]:
            if transport is not None and not bound_transport(transport):
                log.debug("transport %r makes no connections of its own: no deadline to bind", transport)
        return client

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

    def get(self, url: str, allowed: tuple[str, ...], expect: Expect, headers: dict[str, str],
            known: dict | None) -> HttpAnswer:
        """GET url (only hosts in `allowed`), retrying transient faults; `known` is the fetch log's
        entry of the stored PDF, whose validators tell a server that ignored a conditional request."""
        attempts = 0

        def attempt() -> HttpAnswer:
            nonlocal attempts
            attempts += 1
            return self._attempt(url, allowed, expect, headers, known)

        cap = self.settings.retry_after_max_seconds
        backoff = wait_exponential(multiplier=self.settings.backoff_initial_seconds,
                                   max=self.settings.backoff_max_seconds)
        tries = stop_after_attempt(self.settings.attempts)

        def asked(rs) -> float | None:
            return getattr(rs.outcome.exception(), "retry_after", None)

        retrying = Retrying(
            # A server's Retry-After is honoured (no sooner than it asks), up to the cap; beyond it, no retry.
            stop=lambda rs: tries(rs) or (asked(rs) or 0) > cap,
            wait=lambda rs: max(backoff(rs), asked(rs) or 0),
            retry=retry_if_exception_type(_Retry),
            reraise=True,
            sleep=self._sleep,
            before_sleep=lambda rs: log.info("retrying %s after: %s", url, rs.outcome.exception()),
        )
        try:
            return retrying(attempt)
        except _Retry as exc:
            said = f"{attempts} attempt{'s' if attempts > 1 else ''}"
            if exc.retry_after is not None and exc.retry_after > cap:
                said += (f"; it asked to be asked again after {exc.retry_after:g} s (Retry-After), longer than "
                         f"retry_after_max_seconds ({cap:g} s): left for a later run")
            return HttpAnswer(exc.outcome, f"{exc.message} ({said})", status=exc.status, final_url=exc.final_url)

    def _attempt(self, url: str, allowed: tuple[str, ...], expect: Expect, headers: dict[str, str],
                 known: dict | None) -> HttpAnswer:
        current, redirects = url, []
        for _ in range(self.settings.max_redirects + 1):
            try:
                # Check the URL exactly as httpx will send it, so that no parser difference can slip by.
                target = httpx.URL(current)
                checked = str(target)
            except (httpx.InvalidURL, ValueError, TypeError):
                return HttpAnswer(ERROR, f"invalid URL {current!r}; not requested", final_url=current,
                                  redirects=redirects)
            if not (host_allowed(checked, allowed)
                    and normalise_host(target.host) == normalise_host(urlsplit(checked).hostname or "")):
                host = (f"{target.host}:{target.port}" if target.port else target.host) or current
                where = f"redirected to {current}; " if redirects else ""
                return HttpAnswer(REFUSED_HOST, f"refused: {where}host {host} is not allowed "
                                  f"(allowed: {', '.join(allowed)}); not requested",
                                  final_url=current, redirects=redirects)
            self._clock.wait(normalise_host(target.host))
            out = self._request(target, current, headers, expect, known)
            if isinstance(out, str):  # a redirect
                current = out
                redirects.append(current)
                continue
            out.redirects = redirects
            return out
        return HttpAnswer(HTTP_ERROR, f"more than {self.settings.max_redirects} redirects (last: {current})",
                          final_url=current, redirects=redirects)

    def _request(self, target: httpx.URL, url: str, headers: dict[str, str], expect: Expect,
                 known: dict | None) -> HttpAnswer | str:
        """One request, within its total deadlines (pipelines/acquire/deadline.py): the status line and
        headers within request_timeout_seconds of sending it, the whole download within
        download_timeout_seconds. The answer, or where a redirect leads."""
        s = self.settings
        sent = time.monotonic()
        headers_by, done_by = sent + s.request_timeout_seconds, sent + s.download_timeout_seconds
        received = False
        try:
            with deadline(min(headers_by, done_by)), self.client.stream("GET", target, headers=headers) as resp:
                received = True
                set_deadline(done_by)
                location = resp.headers.get("location")
                if resp.status_code in _REDIRECT_STATUSES and location:
                    return urldefrag(urljoin(url, location.strip()))[0]
                return self._read(resp, url, expect, known, done_by)
        except httpx.TimeoutException as exc:
            host, late = urlsplit(url).hostname, time.monotonic()
            if not received and late >= min(headers_by, done_by):
                why = f"no complete answer (status and headers) from {host} within {s.request_timeout_seconds:g} s"
            elif received and late >= done_by:
                why = f"download not finished after {s.download_timeout_seconds:g} s"
            else:
                why = f"no answer from {host} within {s.timeout_seconds:g} s"
            raise _Retry(TIMEOUT, f"timed out: {why} ({type(exc).__name__})", final_url=url) from exc
        except httpx.TransportError as exc:
            raise _Retry(HTTP_ERROR, f"network error talking to {urlsplit(url).hostname}: "
                         f"{exc or type(exc).__name__}", final_url=url) from exc

    # ------------------------------------------------------------------ one answer's body

    def _read(self, resp: httpx.Response, url: str, expect: Expect, known: dict | None,
              done_by: float) -> HttpAnswer:
        h = resp.headers
        meta = dict(status=resp.status_code, final_url=url, etag=h.get("etag"), last_modified=h.get("last-modified"),
                    content_length=_int(h.get("content-length")), content_type=h.get("content-type"))
        return self._answer_from_headers(resp, url, known, meta) or self._download(resp, url, expect, meta, done_by)

    def _answer_from_headers(self, resp: httpx.Response, url: str, known: dict | None,
                             meta: dict) -> HttpAnswer | None:
        """The answer when the status and headers already tell it (the body is not read), else None."""
        status = resp.status_code
        if status == 304:
            return HttpAnswer("not_modified", "server answered 304 Not Modified", **meta)
        if status in _RETRY_STATUSES:
            raise _Retry(HTTP_ERROR, f"HTTP {status} {resp.reason_phrase} from {urlsplit(url).hostname}",
                         status=status, final_url=url, retry_after=_retry_after(resp.headers.get("retry-after")))
        if not 200 <= status < 300:
            return HttpAnswer(HTTP_ERROR, f"HTTP {status} {resp.reason_phrase}", **meta)
        if known and known.get("sha256") and self._same_validators(known, meta):
            return HttpAnswer("not_modified", "server sent the same ETag/Last-Modified as last time "
                              "(it ignored the conditional request); body not downloaded", **meta)
        length = meta["content_length"]
        if length is not None and length > self.settings.max_bytes:
            return HttpAnswer(TOO_LARGE, f"too large: Content-Length is {size_text(length)}, over the limit of "
                              f"{size_text(self.settings.max_bytes)}; not downloaded", **meta)
        return None

    def _download(self, resp: httpx.Response, url: str, expect: Expect, meta: dict, done_by: float) -> HttpAnswer:
        """The body into a fetch-*.part file, kept only when it is a whole PDF (the answer's tmp)."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="fetch-", suffix=".part")
        tmp = Path(name)
        answer: HttpAnswer | None = None
        try:
            with os.fdopen(fd, "wb") as f:
                received = self._receive(resp, f, url, expect, meta, done_by)
            if isinstance(received, HttpAnswer):
                answer = received
            else:
                answer = self._received_answer(resp, tmp, received, url, expect, meta)
            return answer
        finally:
            if answer is None or answer.tmp != tmp:
                tmp.unlink(missing_ok=True)

    def _receive(self, resp: httpx.Response, f: IO[bytes], url: str, expect: Expect,
                 meta: dict, done_by: float) -> _Received | HttpAnswer:
        """Stream the body into f, within the size limit (a PDF's or, once the start shows it is not
        one, a page's) and the download time limit (`done_by`, from the request's start); an answer
        when the download is abandoned."""
        got, limit = _Received(), self.settings.max_bytes
        try:
            for chunk in resp.iter_bytes():
                f.write(chunk)
                got.size += len(chunk)
                if got.is_pdf is None:
                    got.head += chunk
                    if len(got.head) >= HEAD_BYTES:
                        got.is_pdf = looks_like_pdf(got.head)
                        if not got.is_pdf:
                            early = self._not_pdf_or_page(expect, got.head, meta)
                            if early:
                                return early
                            limit = self.settings.max_page_bytes
                if time.monotonic() > done_by:
                    raise _Retry(TIMEOUT, f"timed out: download not finished after "
                                 f"{self.settings.download_timeout_seconds:g} s ({size_text(got.size)} received)",
                                 status=resp.status_code, final_url=url)
                if got.size > limit:
                    what = "file" if got.is_pdf is not False else "page"
                    return HttpAnswer(TOO_LARGE, f"too large: download aborted after {size_text(got.size)}, over "
                                      f"the limit of {size_text(limit)} for a {what}; nothing stored", **meta)
        except httpx.TimeoutException:
            raise
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retry(TRUNCATED, f"truncated: the connection closed after {size_text(got.size)} of "
                         f"{size_text(meta['content_length'])} ({type(exc).__name__})",
                         status=resp.status_code, final_url=url) from exc
        return got

    def _received_answer(self, resp: httpx.Response, tmp: Path, got: _Received, url: str, expect: Expect,
                         meta: dict) -> HttpAnswer:
        """A whole body, downloaded into tmp: a PDF (checked for its %%EOF), a page, or a fault."""
        if got.is_pdf is None:
            got.is_pdf = looks_like_pdf(got.head)
            if not got.is_pdf:
                early = self._not_pdf_or_page(expect, got.head, meta)
                if early:
                    return early
        length = meta["content_length"]
        if length is not None and "content-encoding" not in resp.headers and resp.num_bytes_downloaded != length:
            raise _Retry(TRUNCATED, f"truncated: received {size_text(resp.num_bytes_downloaded)} but "
                         f"Content-Length said {size_text(length)}", status=resp.status_code, final_url=url)
        if not got.is_pdf:
            if got.size > self.settings.max_page_bytes:
                return HttpAnswer(TOO_LARGE, f"too large: page of {size_text(got.size)}, over the limit of "
                                  f"{size_text(self.settings.max_page_bytes)}", **meta)
            return HttpAnswer(PAGE_READ, body=tmp.read_bytes(), size=got.size, **meta)
        if not has_eof(tmp):
            return HttpAnswer(TRUNCATED, f"truncated: the PDF has no %%EOF at its end ({size_text(got.size)} "
                              f"received, as the server announced); the server's copy is incomplete; nothing stored",
                              size=got.size, **meta)
        return HttpAnswer("pdf", tmp=tmp, size=got.size, **meta)

    @staticmethod
    def _not_pdf_or_page(expect: Expect, head: bytes, meta: dict) -> HttpAnswer | None:
        """None when a non-PDF body may be read as a page; else the not_pdf answer."""
        ctype = (meta["content_type"] or "").lower()
        looks_html = "html" in ctype or "xml" in ctype or head.lstrip()[:1] == b"<"
        if expect == "any" and looks_html:
            return None
        what = "a web page" if looks_html else f"{meta['content_type'] or 'no content type'}"
        return HttpAnswer(NOT_PDF, f"not a PDF: the server sent {what} (starts with {snippet(head)!r}); "
                          "nothing stored", **meta)

    @staticmethod
    def _same_validators(known: dict, meta: dict) -> bool:
        if known.get("etag") and meta["etag"]:
            return known["etag"] == meta["etag"]
        if known.get("last_modified") and meta["last_modified"] and not meta["etag"]:
            return (known["last_modified"] == meta["last_modified"]
                    and known.get("content_length") == meta["content_length"] and meta["content_length"] is not None)
        return False
