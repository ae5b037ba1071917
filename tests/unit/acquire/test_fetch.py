"""Acquire from the web, against a real HTTP server on 127.0.0.1 run by these tests.

Only 127.0.0.1 is ever contacted: every request goes through GuardTransport, which refuses (and
records) anything else, and the server records every request it receives (Host header and path).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from conftest import REFERENCE_PDF, REPO, real_pdf

from pipelines.acquire.crawl import acquire_sources, acquire_url
from pipelines.acquire.fetchlog import FetchLog
from pipelines.acquire.links import extract_links
from pipelines.acquire.results import (
    DOWNLOADED,
    DUPLICATE,
    ERROR,
    HTTP_ERROR,
    LIMIT_REACHED,
    NOT_PDF,
    REFUSED_HOST,
    TIMEOUT,
    TOO_LARGE,
    TRUNCATED,
    UNCHANGED,
)
from pipelines.acquire.sources import HttpSettings, SourcesConfig, WebSource, host_allowed, load_config

# ------------------------------------------------------------------------------------------ server


class Site:
    """A tiny web site: routes by path (with query), and a log of every request it received."""

    def __init__(self):
        self.routes: dict[str, callable] = {}
        self.requests: list[dict] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def record(self, handler) -> dict:
        entry = {"path": handler.path, "host": handler.headers.get("Host"), "headers": dict(handler.headers),
                 "at": time.monotonic(), "status": None}
        with self._lock:
            self.requests.append(entry)
        return entry

    def paths(self, since: int = 0) -> list[str]:
        return [r["path"] for r in self.requests[since:]]

    def count(self, path: str, since: int = 0) -> int:
        return self.paths(since).count(path)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        site: Site = self.server.site
        self.entry = site.record(self)
        route = site.routes.get(self.path)
        try:
            if route is None:
                self.reply(404, b"<html>not found</html>", "text/html")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size limit): expected
        self.close_connection = True

    def reply(self, status: int, body: bytes, ctype: str | None = "text/html; charset=utf-8",
              headers: dict | None = None, length: int | None = None, send_body: bool = True) -> None:
        self.entry["status"] = status
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)
            self.wfile.flush()

    def log_message(self, *args):  # keep test output quiet
        pass


def html(*body: str, charset: str = "utf-8") -> bytes:
    page = (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>预算公开</title></head>'
            f'<body>{"".join(body)}</body></html>')
    return page.encode(charset)


def page(content: bytes, ctype: str = "text/html; charset=utf-8"):
    return lambda h: h.reply(200, content, ctype)


def pdf_file(data: bytes, *, etag: str | None = None, last_modified: str | None = None,
             honour_conditional: bool = True):
    """Serve a PDF; answer 304 to a matching If-None-Match / If-Modified-Since."""

    def route(h):
        headers = {}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        if honour_conditional and (
            (etag and h.headers.get("If-None-Match") == etag)
            or (last_modified and not etag and h.headers.get("If-Modified-Since") == last_modified)
        ):
            return h.reply(304, b"", None, headers, length=0)
        h.reply(200, data, "application/pdf", headers)

    return route


def redirect(location: str, status: int = 302):
    return lambda h: h.reply(status, b"", None, {"Location": location}, length=0)


class GuardTransport(httpx.HTTPTransport):
    """The client's transport: records every request it is asked to send, and sends only to 127.0.0.1."""

    def __init__(self):
        super().__init__()
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        if request.url.host != "127.0.0.1":
            raise httpx.ConnectError(f"test guard: refused to contact {request.url.host}", request=request)
        return super().handle_request(request)


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


@pytest.fixture
def guard():
    return GuardTransport()


@pytest.fixture
def http() -> HttpSettings:
    return HttpSettings(timeout_seconds=0.3, attempts=3, backoff_initial_seconds=0.01, backoff_max_seconds=0.02,
                        min_interval_seconds=0, trust_env=False, contact_url="https://example.org/budgetdw-contact")


@pytest.fixture(scope="module")
def police() -> bytes:
    if not REFERENCE_PDF.exists():
        pytest.skip(f"reference PDF missing: {REFERENCE_PDF}")
    return REFERENCE_PDF.read_bytes()


@pytest.fixture(scope="module")
def welfare() -> bytes:
    return real_pdf("sh-putuo-welfare-home_2024_unit-budget.pdf").read_bytes()


@pytest.fixture(scope="module")
def justice() -> bytes:
    return real_pdf("sh-putuo-justice_2026_unit-budget.pdf").read_bytes()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_files(data_dir: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in (data_dir / "raw").rglob("*.pdf")}


def no_partial_files(data_dir: Path) -> bool:
    return not [p for p in data_dir.rglob("*") if p.suffix == ".part"]


def only_localhost(site: Site, guard: GuardTransport) -> None:
    assert all(httpx.URL(u).host == "127.0.0.1" for u in guard.sent), guard.sent
    assert {r["host"] for r in site.requests} <= {f"127.0.0.1:{site.port}"}


def by_url(results) -> dict[str, object]:
    urls = [r.url for r in results]
    assert len(urls) == len(set(urls)), f"a URL reported twice: {urls}"
    return {r.url: r for r in results}


# ------------------------------------------------------------------ listing → article → attachment


LAST_MODIFIED = "Wed, 01 Jan 2025 08:00:00 GMT"


def build_listing_site(site: Site, welfare: bytes, justice: bytes, police: bytes) -> None:
    r = site.routes
    r["/budget/index.html"] = page(html(
        '<a href="/about.html">关于我们</a>',
        '<a href="/files/welfare.pdf">上海市普陀区社会福利院2024年单位预算</a>',  # direct PDF (ETag)
        '<a href="art1.html">上海市普陀区司法局2026年单位预算公开</a>',  # article, relative link
        '<a href="/budget/art2.html" title="附件下载">预算公开附件</a>',  # article (GBK page)
        '<a href="http://example.invalid/other.pdf">外站文件</a>',  # another host: reported, never fetched
        '<a href="index_2.html">2</a> <a href="index_2.html">下一页</a>',
    ))
    r["/budget/index_2.html"] = page(html(
        '<a href="index.html">上一页</a>',
        '<a href="/files/police.pdf#page=2">阳泉市公安局城区分局2025年单位预算</a>',  # direct PDF (Last-Modified)
        '<a href="art3.html">又一篇</a>',
    ))
    r["/budget/art1.html"] = page(html('<p>正文</p><a href="/attach/justice.pdf">附件1</a>'))  # no validators
    r["/budget/art2.html"] = page(
        html('<iframe src="/attach/justice.pdf"></iframe>', '<a href="/download?id=7">附件：预算.pdf</a>',
             charset="gbk"), ctype="text/html")
    r["/budget/art3.html"] = page(html('<a href="/files/police.pdf">同一文件</a>'))
    r["/about.html"] = page(html('<a href="/secret.pdf">x</a>'))
    r["/files/welfare.pdf"] = pdf_file(welfare, etag='"w-1"')
    r["/files/police.pdf"] = pdf_file(police, last_modified=LAST_MODIFIED)
    r["/attach/justice.pdf"] = pdf_file(justice)  # no ETag, no Last-Modified
    r["/download?id=7"] = pdf_file(welfare, etag='"w-7"')  # same bytes as welfare.pdf: a duplicate


PDF_PATHS = ["/files/welfare.pdf", "/files/police.pdf", "/attach/justice.pdf", "/download?id=7"]


def test_listing_articles_and_direct_links_load_every_pdf_once_and_a_second_run_downloads_nothing(
        site, guard, http, tmp_path, welfare, justice, police):
    build_listing_site(site, welfare, justice, police)
    data = tmp_path / "data"
    config_file = tmp_path / "sources.yaml"
    config_file.write_text(f"""
http:
  timeout_seconds: 2
  attempts: 2
  backoff_initial_seconds: 0.01
  min_interval_seconds: 0
  trust_env: false
sources:
  - kind: web
    name: putuo
    listing_urls: ["{site.url('/budget/index.html')}"]
    pagination: {{next_page: "下一页", max_pages: 5}}
    article_link: '/budget/art\\d+\\.html$'
    unit: 上海市普陀区
    year: 2025
""", encoding="utf-8")

    first = by_url(acquire_sources(config_file, data, transport=guard))

    u = site.url
    assert {k: r.outcome for k, r in first.items()} == {
        u("/files/welfare.pdf"): DOWNLOADED,
        u("/attach/justice.pdf"): DOWNLOADED,
        u("/download?id=7"): DUPLICATE,
        u("/files/police.pdf"): DOWNLOADED,
        "http://example.invalid/other.pdf": REFUSED_HOST,
    }
    assert "example.invalid" in first["http://example.invalid/other.pdf"].message
    assert first[u("/download?id=7")].found_on == u("/budget/art2.html")  # found via its text "….pdf" on a GBK page
    assert all(r.source == "putuo" and r.unit == "上海市普陀区" and r.year == 2025 for r in first.values())
    # Every page and every PDF requested exactly once; nothing else (not /about.html, not other hosts).
    assert Counter(site.paths()) == Counter(["/budget/index.html", "/budget/index_2.html", "/budget/art1.html",
                                             "/budget/art2.html", "/budget/art3.html", *PDF_PATHS])
    only_localhost(site, guard)
    assert all("budgetdw/" in r["headers"]["User-Agent"] and "+https://" in r["headers"]["User-Agent"]
               for r in site.requests)
    # The raw store: three complete originals, named by content; the duplicate is one file, two sources.
    raw = raw_files(data)
    assert raw == {sha(welfare): welfare, sha(justice): justice, sha(police): police}
    welfare_sources = (data / "raw" / sha(welfare)[:2] / f"{sha(welfare)}.sources").read_text().splitlines()
    assert welfare_sources == [u("/files/welfare.pdf"), u("/download?id=7")]
    assert first[u("/download?id=7")].document.raw_path == first[u("/files/welfare.pdf")].document.raw_path
    assert no_partial_files(data)
    # The fetch log: one line per request made, with the validators the next run uses.
    entries = [json.loads(x) for x in (data / "fetch_log.jsonl").read_text(encoding="utf-8").splitlines()]
    pdf_entries = {e["url"]: e for e in entries if e["kind"] == "pdf"}
    assert set(pdf_entries) == {u(p) for p in PDF_PATHS}
    for e in pdf_entries.values():
        assert {"url", "time", "status", "sha256", "etag", "last_modified", "content_length", "content_type",
                "outcome"} <= set(e)
        assert e["status"] == 200 and e["content_type"] == "application/pdf"
    assert pdf_entries[u("/files/welfare.pdf")]["etag"] == '"w-1"'
    assert pdf_entries[u("/files/police.pdf")]["last_modified"] == LAST_MODIFIED
    assert pdf_entries[u("/attach/justice.pdf")]["content_length"] == len(justice)

    # Second run, a new PDF has appeared on page 2: only it is downloaded.
    new_pdf = welfare + b"\n% revised\n%%EOF\n"
    site.routes["/budget/index_2.html"] = page(html(
        '<a href="/files/police.pdf">阳泉</a>', '<a href="art3.html">x</a>', '<a href="/files/new.pdf">新</a>'))
    site.routes["/files/new.pdf"] = pdf_file(new_pdf, etag='"n-1"')
    mark = len(site.requests)
    second = by_url(acquire_sources(config_file, data, transport=guard))

    assert {k: r.outcome for k, r in second.items()} == {
        u("/files/welfare.pdf"): UNCHANGED,
        u("/attach/justice.pdf"): UNCHANGED,
        u("/download?id=7"): UNCHANGED,
        u("/files/police.pdf"): UNCHANGED,
        "http://example.invalid/other.pdf": REFUSED_HOST,
        u("/files/new.pdf"): DOWNLOADED,
    }
    again = site.requests[mark:]
    pdf_requests = {r["path"]: r for r in again if r["path"] in PDF_PATHS}
    # Validators from the log → conditional requests → 304; no validators → not asked again at all.
    assert set(pdf_requests) == {"/files/welfare.pdf", "/files/police.pdf", "/download?id=7"}
    assert all(r["status"] == 304 for r in pdf_requests.values())
    assert pdf_requests["/files/welfare.pdf"]["headers"]["If-None-Match"] == '"w-1"'
    assert pdf_requests["/download?id=7"]["headers"]["If-None-Match"] == '"w-7"'
    assert pdf_requests["/files/police.pdf"]["headers"]["If-Modified-Since"] == LAST_MODIFIED
    assert "not requested again" in second[u("/attach/justice.pdf")].message
    assert "304" in second[u("/files/welfare.pdf")].message
    # Listing pages are read again (that is how new entries are found); known article pages are not.
    assert sorted(r["path"] for r in again if r["path"] not in PDF_PATHS) == [
        "/budget/index.html", "/budget/index_2.html", "/files/new.pdf"]
    assert raw_files(data) == {**raw, sha(new_pdf): new_pdf}
    assert second[u("/files/welfare.pdf")].document.sha256 == sha(welfare)  # unchanged still names its original
    only_localhost(site, guard)
    assert no_partial_files(data)


def test_acquire_url_crawls_a_listing_page_with_default_rules(site, guard, http, tmp_path, welfare, justice, police):
    """No config: next-page links, articles under the listing's folder, links ending .pdf (or saying so)."""
    build_listing_site(site, welfare, justice, police)
    results = by_url(acquire_url(site.url("/budget/index.html"), tmp_path, http=http, transport=guard))
    assert {k: r.outcome for k, r in results.items() if r.outcome != REFUSED_HOST} == {
        site.url(p): (DUPLICATE if p == "/download?id=7" else DOWNLOADED) for p in PDF_PATHS}
    assert "/about.html" not in site.paths() and "/secret.pdf" not in site.paths()
    assert len(raw_files(tmp_path)) == 3
    only_localhost(site, guard)


def test_url_template_pagination_stops_at_the_first_missing_page(site, guard, http, tmp_path, police):
    site.routes["/t/list.html"] = page(html('<a href="/d/a.pdf">a</a>'))
    site.routes["/t/list_2.html"] = page(html('<a href="/d/b.pdf">b</a>'))
    site.routes["/d/a.pdf"] = pdf_file(police)
    site.routes["/d/b.pdf"] = pdf_file(police)
    source = WebSource(listing_urls=[site.url("/t/list.html")],
                       pagination={"url_template": site.url("/t/list_{page}.html"), "max_pages": 4})
    results = acquire_url(site.url("/t/list.html"), tmp_path, http=http, source=source, transport=guard)
    assert [(r.url, r.outcome) for r in results] == [(site.url("/d/a.pdf"), DOWNLOADED),
                                                      (site.url("/d/b.pdf"), DUPLICATE)]
    assert site.paths() == ["/t/list.html", "/d/a.pdf", "/t/list_2.html", "/d/b.pdf", "/t/list_3.html"]


# -------------------------------------------------------------------------------------------- faults


def test_500_then_success_is_retried_and_downloaded_once(site, guard, http, tmp_path, police):
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            return h.reply(500, b"<html>busy</html>")
        return h.reply(200, police, "application/pdf")

    site.routes["/flaky.pdf"] = flaky
    [r] = acquire_url(site.url("/flaky.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == DOWNLOADED and r.sha256 == sha(police)
    assert site.paths() == ["/flaky.pdf", "/flaky.pdf"]
    assert raw_files(tmp_path) == {sha(police): police}


def test_persistent_500_and_404_are_http_errors(site, guard, http, tmp_path):
    site.routes["/down.pdf"] = lambda h: h.reply(503, b"<html>maintenance</html>")
    [r] = acquire_url(site.url("/down.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == HTTP_ERROR and r.status == 503
    assert "HTTP 503" in r.message and "3 attempts" in r.message
    assert site.count("/down.pdf") == 3  # http.attempts

    [r] = acquire_url(site.url("/missing.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == HTTP_ERROR and r.message == "HTTP 404 Not Found"
    assert site.count("/missing.pdf") == 1  # a 4xx is not retried
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_faults_on_pages_and_odd_answers_are_results(site, guard, http, tmp_path):
    site.routes["/broken/index.html"] = lambda h: h.reply(502, b"<html>bad gateway</html>")
    [r] = acquire_url(site.url("/broken/index.html"), tmp_path, http=http, transport=guard)
    assert (r.outcome, r.kind, r.status) == (HTTP_ERROR, "listing", 502) and "3 attempts" in r.message
    site.routes["/odd.pdf"] = lambda h: h.reply(304, b"", None, length=0)  # 304 to a request that was not conditional
    [r] = acquire_url(site.url("/odd.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == HTTP_ERROR and "not conditional" in r.message
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_timeout_is_retried_then_reported(site, guard, http, tmp_path, police):
    def slow(h):
        site.stopping.wait(1.0)  # far longer than the client's 0.3 s timeout
        h.reply(200, police, "application/pdf")

    site.routes["/slow.pdf"] = slow
    started = time.monotonic()
    [r] = acquire_url(site.url("/slow.pdf"), tmp_path, http=http.model_copy(update={"attempts": 2}), transport=guard)
    assert r.outcome == TIMEOUT
    assert r.message.startswith("timed out: no answer from 127.0.0.1 within 0.3 s") and "2 attempts" in r.message
    assert site.count("/slow.pdf") == 2
    assert time.monotonic() - started < 3
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_body_shorter_than_content_length_is_truncated(site, guard, http, tmp_path, police):
    site.routes["/short.pdf"] = lambda h: h.reply(200, police[: len(police) // 2], "application/pdf",
                                                  length=len(police))
    [r] = acquire_url(site.url("/short.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == TRUNCATED
    assert r.message.startswith(f"truncated: the connection closed after {len(police) // 2:,} bytes "
                                f"of {len(police):,} bytes")
    assert site.count("/short.pdf") == 3  # a dropped connection may be transient: retried
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_pdf_cut_in_half_is_truncated(site, guard, http, tmp_path, police):
    site.routes["/half.pdf"] = lambda h: h.reply(200, police[: len(police) // 2], "application/pdf")
    [r] = acquire_url(site.url("/half.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == TRUNCATED and "no %%EOF" in r.message
    assert site.count("/half.pdf") == 1  # the server's copy itself is incomplete: not retried
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_html_served_as_pdf_is_not_pdf(site, guard, http, tmp_path):
    site.routes["/report.pdf"] = page(html("<h1>404 文件不存在</h1>", "<p>" + "x" * 3000 + "</p>"))
    [r] = acquire_url(site.url("/report.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == NOT_PDF
    assert r.message.startswith("not a PDF: the server sent a web page (starts with '<!DOCTYPE html>")
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_redirect_to_another_host_is_refused_and_never_requested(site, guard, http, tmp_path, police):
    site.routes["/away.pdf"] = redirect("http://localhost.invalid/x.pdf")
    [r] = acquire_url(site.url("/away.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == REFUSED_HOST
    assert r.message == ("refused: redirected to http://localhost.invalid/x.pdf; host localhost.invalid is not "
                         f"allowed (allowed: http://127.0.0.1:{site.port}); not requested")
    assert guard.sent == [site.url("/away.pdf")]

    # Same address, other port: with only 127.0.0.1:<port> allowed, the canary server sees nothing.
    canary = Site().start()
    try:
        site.routes["/elsewhere.pdf"] = redirect(canary.url("/x.pdf"), status=301)
        canary.routes["/x.pdf"] = pdf_file(police)
        [r] = acquire_url(site.url("/elsewhere.pdf"), tmp_path, http=http, transport=guard,
                          allowed_hosts=[f"127.0.0.1:{site.port}"])
        assert r.outcome == REFUSED_HOST and r.final_url == canary.url("/x.pdf")
        assert canary.requests == []
    finally:
        canary.stop()

    # A redirect within the allowed host is followed.
    site.routes["/moved.pdf"] = redirect("/files/p.pdf", status=301)
    site.routes["/files/p.pdf"] = pdf_file(police)
    [r] = acquire_url(site.url("/moved.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == DOWNLOADED and r.final_url == site.url("/files/p.pdf")
    assert site.paths() == ["/away.pdf", "/elsewhere.pdf", "/moved.pdf", "/files/p.pdf"]
    only_localhost(site, guard)
    assert raw_files(tmp_path) == {sha(police): police}


def test_oversized_files_are_too_large(site, guard, http, tmp_path, police):
    small = http.model_copy(update={"max_bytes": 50_000})
    site.routes["/big.pdf"] = pdf_file(police)  # announces its Content-Length

    def chunked(h):  # no Content-Length: the limit must be enforced while streaming
        h.entry["status"] = 200
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Connection", "close")
        h.end_headers()
        for i in range(0, len(police), 16_384):
            part = police[i:i + 16_384]
            h.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")

    site.routes["/stream.pdf"] = chunked
    [r] = acquire_url(site.url("/big.pdf"), tmp_path, http=small, transport=guard)
    assert r.outcome == TOO_LARGE
    assert r.message == (f"too large: Content-Length is {len(police):,} bytes, over the limit of 50,000 bytes; "
                         "not downloaded")
    [r] = acquire_url(site.url("/stream.pdf"), tmp_path, http=small, transport=guard)
    assert r.outcome == TOO_LARGE and r.message.startswith("too large: download aborted after")
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_same_content_under_two_urls_is_one_document_with_two_sources(site, guard, http, tmp_path, police):
    site.routes["/a/report.pdf"] = pdf_file(police)
    site.routes["/b/copy.pdf"] = pdf_file(police)
    [a] = acquire_url(site.url("/a/report.pdf"), tmp_path, http=http, transport=guard)
    [b] = acquire_url(site.url("/b/copy.pdf"), tmp_path, http=http, transport=guard)
    assert (a.outcome, b.outcome) == (DOWNLOADED, DUPLICATE)
    assert a.document.raw_path == b.document.raw_path
    assert b.message.startswith(f"same content as {site.url('/a/report.pdf')}")
    assert list(raw_files(tmp_path)) == [sha(police)]
    sources = a.document.raw_path.with_suffix(".sources").read_text().splitlines()
    assert sources == [site.url("/a/report.pdf"), site.url("/b/copy.pdf")]


def test_server_ignoring_conditional_requests_is_not_downloaded_again(site, guard, http, tmp_path, police):
    site.routes["/etag.pdf"] = pdf_file(police, etag='"v1"', honour_conditional=False)
    [first] = acquire_url(site.url("/etag.pdf"), tmp_path, http=http, transport=guard)
    [second] = acquire_url(site.url("/etag.pdf"), tmp_path, http=http, transport=guard)
    assert (first.outcome, second.outcome) == (DOWNLOADED, UNCHANGED)
    assert "same ETag" in second.message
    assert site.requests[1]["headers"]["If-None-Match"] == '"v1"'
    log = FetchLog(tmp_path / "fetch_log.jsonl")
    assert log.known(site.url("/etag.pdf"))["outcome"] == UNCHANGED

    # The content behind a URL changes (new ETag): the new version is downloaded, the old one kept.
    revised = police + b"\n% revised\n%%EOF\n"
    site.routes["/etag.pdf"] = pdf_file(revised, etag='"v2"')
    [third] = acquire_url(site.url("/etag.pdf"), tmp_path, http=http, transport=guard)
    assert third.outcome == DOWNLOADED and "new version" in third.message
    assert raw_files(tmp_path) == {sha(police): police, sha(revised): revised}


def test_per_host_rate_limit(site, guard, http, tmp_path, police):
    # Through a real crawl: the fetcher waits between requests to one host (it asks to sleep).
    for name in "abc":
        site.routes[f"/r/{name}.pdf"] = pdf_file(police)
    site.routes["/r/index.html"] = page(html(*(f'<a href="{n}.pdf">{n}</a>' for n in "abc")))
    slow = http.model_copy(update={"min_interval_seconds": 0.2})
    slept = []
    from pipelines.acquire.crawl import Fetcher
    from pipelines.acquire.sources import Pagination

    listing = WebSource(listing_urls=[site.url("/r/index.html")], pagination=Pagination())
    with Fetcher(tmp_path, slow, transport=guard, sleep=lambda s: (slept.append(s), time.sleep(s))) as fetcher:
        results = fetcher.crawl(listing)
    assert [r.outcome for r in results] == [DOWNLOADED, DUPLICATE, DUPLICATE]
    assert len(site.requests) == 4 and slept and all(0 < s <= 0.2 for s in slept)


def test_host_clock_spaces_the_starts_of_requests_to_one_host():
    # The property on a clock of its own, not the machine's: whatever else runs meanwhile, two
    # requests to one host start at least the interval apart; other hosts do not wait.
    from pipelines.acquire.http import _HostClock

    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    clock = _HostClock(0.5, sleep=sleep, now=lambda: now[0])
    clock.wait("a.example")
    now[0] += 0.2  # the first request took 0.2 s
    clock.wait("a.example")
    clock.wait("b.example")
    now[0] += 0.7  # longer than the interval: no wait
    clock.wait("a.example")
    assert slept == [pytest.approx(0.3)]


def test_refused_links_and_bad_urls_become_results(guard, http, tmp_path):
    [r] = acquire_url("http://localhost.invalid/x.pdf", tmp_path, http=http, transport=guard,
                      allowed_hosts=["127.0.0.1"])
    assert r.outcome == REFUSED_HOST and "not requested" in r.message
    [r] = acquire_url("ftp://127.0.0.1/x.pdf", tmp_path, http=http, transport=guard)
    assert r.outcome == ERROR and "not an http(s) URL" in r.message
    assert guard.sent == []


# ----------------------------------------------------------------------------- config and folders


def test_folder_source_and_example_config(tmp_path, police):
    example = load_config(REPO / "sources.example.yaml")
    kinds = [s.kind for s in example.sources]
    assert "folder" in kinds and "web" in kinds
    assert all(s.path.is_absolute() for s in example.sources if s.kind == "folder")

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "a.pdf").write_bytes(police)
    (incoming / "sub").mkdir()
    (incoming / "sub" / "copy.pdf").write_bytes(police)
    (incoming / "error-page.pdf").write_bytes(b"<html>not found</html>")
    (incoming / "cut.pdf").write_bytes(police[:1000 * 10])
    config = SourcesConfig.model_validate({"sources": [{"path": str(incoming), "year": 2025},
                                                       {"path": str(tmp_path / "nowhere")}]})
    results = {Path(r.url).name: r.outcome for r in acquire_sources(config, tmp_path / "data")}
    assert results == {"a.pdf": DOWNLOADED, "copy.pdf": DUPLICATE, "error-page.pdf": NOT_PDF,
                       "cut.pdf": TRUNCATED, "nowhere": ERROR}
    again = {Path(r.url).name: r.outcome for r in acquire_sources(config, tmp_path / "data")}
    assert again["a.pdf"] == UNCHANGED and again["copy.pdf"] == UNCHANGED
    assert list(raw_files(tmp_path / "data")) == [sha(police)]


def test_config_validation_and_host_matching(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - listing_urls: ['http://a.gov.cn/x']\n    article_link: '(['\n"
                   "  - listing_urls: ['http://a.gov.cn/x']\n    allowed_hosts: [b.gov.cn]\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_config(bad)
    assert "not a valid regular expression" in str(err.value) and "outside allowed_hosts" in str(err.value)
    assert WebSource(listing_urls=["https://www.x.gov.cn/a/"]).hosts == ["https://www.x.gov.cn:443"]
    assert host_allowed("https://files.x.gov.cn/1.pdf", ["*.x.gov.cn"])
    assert not host_allowed("https://x.gov.cn.evil.example/1.pdf", ["*.x.gov.cn", "x.gov.cn"])
    assert not host_allowed("http://127.0.0.1:81/", ["127.0.0.1:80"])
    links = extract_links('<base href="http://h/a/"><a href="b.html#top"> 第 <b>1</b> 篇 </a>'
                          '<embed src="/f.pdf"><a href="javascript:void(0)">x</a>', "http://h/")
    assert [(lk.url, lk.text) for lk in links] == [("http://h/a/b.html", "第 1 篇"), ("http://h/f.pdf", "")]


def test_budgetdw_ingest_a_listing_url_end_to_end(site, tmp_path, police):
    """`budgetdw ingest URL`: listing → PDF → warehouse; the second run downloads and reads nothing."""
    from click.testing import CliRunner
    from sqlalchemy import create_engine, text

    from pipelines.cli import main

    site.routes["/list.html"] = page(html('<a href="/files/police.pdf">阳泉市公安局城区分局2025年单位预算</a>'))
    site.routes["/files/police.pdf"] = pdf_file(police, etag='"p-1"')
    args = ["ingest", site.url("/list.html"), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
            "--data-dir", str(tmp_path / "data"), "--workers", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    downloaded, read = first.output.splitlines()[:2]
    assert downloaded.startswith(f"downloaded  {site.url('/files/police.pdf')}  (downloaded ")
    assert read.startswith("published")
    engine = create_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT unit_name, source_uri FROM v_document")).one() == (
            "阳泉市公安局城区分局", site.url("/files/police.pdf"))
    engine.dispose()
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0 and second.output.startswith("unchanged")
    assert site.count("/files/police.pdf") == 2  # the second request was conditional and got a 304
    assert site.requests[-1]["status"] == 304


def test_budgetdw_ingest_a_folder_source_says_what_it_stored(tmp_path):
    from click.testing import CliRunner
    from conftest import REFERENCE_PDF

    from pipelines.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "budget.pdf").write_bytes(REFERENCE_PDF.read_bytes())
    (tmp_path / "sources.yaml").write_text("sources:\n  - name: inbox\n    path: in\n", encoding="utf-8")
    args = ["ingest", "--no-dagster", "--sources", str(tmp_path / "sources.yaml"), "--warehouse",
            f"duckdb:///{tmp_path / 'w.duckdb'}", "--data-dir", str(tmp_path / "data"), "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    stored, read = result.output.splitlines()[:2]
    assert stored.startswith(f"stored      {tmp_path / 'in' / 'budget.pdf'}  (stored ")
    assert stored.endswith("from the local folder)")
    assert read.startswith("published   budget.pdf")


def test_storing_a_folder_reads_no_fetch_log(tmp_path, monkeypatch):
    # The Dagster sensor stores the watched folder every minute; the fetch log grows with every
    # night's crawl and a folder's files never need it. It was read whole at every evaluation.
    import builtins

    from conftest import REFERENCE_PDF

    from pipelines.acquire.sources import FolderSource, SourcesConfig

    data = tmp_path / "data"
    data.mkdir()
    (data / "fetch_log.jsonl").write_text('{"url": "https://x.gov.cn/1.pdf", "outcome": "downloaded"}\n',
                                          encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "budget.pdf").write_bytes(REFERENCE_PDF.read_bytes())
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *a, **kw: opened.append(str(file)) or real_open(file, *a, **kw))
    [result] = acquire_sources(SourcesConfig(sources=[FolderSource(path=tmp_path / "in")]), data)
    assert result.outcome == "downloaded" and result.document.raw_path.exists()
    assert str(data / "fetch_log.jsonl") not in opened


# ------------------------------------------------------------------ issue 25: limits that hold


def _drip(h, data: bytes, every: float) -> None:
    """Send `data` one byte at a time, each well within the client's per-read timeout."""
    site: Site = h.server.site
    for byte in data:
        if site.stopping.wait(every):
            return
        h.wfile.write(bytes([byte]))
        h.wfile.flush()


def test_a_server_sending_its_headers_one_byte_at_a_time_cannot_hold_a_request(site, guard, http, tmp_path):
    def slow_headers(h):
        h.entry["status"] = 200
        _drip(h, b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n" + b"X-Pad: " + b"x" * 10_000, every=0.05)

    site.routes["/slow-headers.pdf"] = slow_headers
    settings = http.model_copy(update={"attempts": 2, "request_timeout_seconds": 0.8})
    started = time.monotonic()
    [r] = acquire_url(site.url("/slow-headers.pdf"), tmp_path, http=settings, transport=guard)
    assert time.monotonic() - started < 4  # 2 attempts of 0.8 s, not 10,000 bytes × 0.05 s
    assert r.outcome == TIMEOUT
    assert r.message.startswith("timed out: no complete answer (status and headers) from 127.0.0.1 within 0.8 s")
    assert "2 attempts" in r.message and raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_a_body_sent_one_byte_at_a_time_is_stopped_at_the_download_deadline(site, guard, http, tmp_path, police):
    def slow_body(h):
        h.entry["status"] = 200
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(len(police)))
        h.end_headers()
        _drip(h, police, every=0.05)

    site.routes["/slow-body.pdf"] = slow_body
    settings = http.model_copy(update={"attempts": 1, "download_timeout_seconds": 1.0})
    started = time.monotonic()
    [r] = acquire_url(site.url("/slow-body.pdf"), tmp_path, http=settings, transport=guard)
    assert time.monotonic() - started < 2.5
    assert r.outcome == TIMEOUT and r.message.startswith("timed out: download not finished after 1 s")
    assert raw_files(tmp_path) == {} and no_partial_files(tmp_path)


def test_retry_after_is_honoured_up_to_its_cap(site, guard, http, tmp_path, police):
    calls = []

    def busy_then_ok(h):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return h.reply(503, b"busy", "text/plain", {"Retry-After": "1"})
        pdf_file(police)(h)

    site.routes["/busy.pdf"] = busy_then_ok
    [r] = acquire_url(site.url("/busy.pdf"), tmp_path, http=http, transport=guard)
    assert r.outcome == DOWNLOADED and len(calls) == 2
    assert calls[1] - calls[0] >= 0.95  # not the 0.01 s backoff: what the server asked for

    site.routes["/tomorrow.pdf"] = lambda h: h.reply(429, b"slow down", "text/plain", {"Retry-After": "86400"})
    started = time.monotonic()
    [r] = acquire_url(site.url("/tomorrow.pdf"), tmp_path, http=http, transport=guard)
    assert time.monotonic() - started < 1 and site.count("/tomorrow.pdf") == 1  # asked once, not hammered
    assert r.outcome == HTTP_ERROR and "HTTP 429" in r.message
    assert "after 86400 s (Retry-After), longer than retry_after_max_seconds (300 s): left for a later run" in r.message


def test_allowed_origins_are_scheme_host_and_port(site, guard, http, tmp_path, police):
    canary = Site().start()  # the same host, another port (as 127.0.0.1:5432 would be)
    try:
        canary.routes["/x.pdf"] = pdf_file(police)
        site.routes["/elsewhere.pdf"] = redirect(canary.url("/x.pdf"))
        [r] = acquire_url(site.url("/elsewhere.pdf"), tmp_path, http=http, transport=guard)  # no allowed_hosts
        assert r.outcome == REFUSED_HOST and r.final_url == canary.url("/x.pdf")
        assert f"allowed: http://127.0.0.1:{site.port}" in r.message
        site.routes["/list.html"] = page(html(f'<a href="{canary.url("/x.pdf")}">预算.pdf</a>'))
        [r] = acquire_url(site.url("/list.html"), tmp_path, http=http, transport=guard)
        assert r.outcome == REFUSED_HOST and r.url == canary.url("/x.pdf")
        assert canary.requests == []
    finally:
        canary.stop()
    assert WebSource(listing_urls=["http://www.x.gov.cn/a/"]).hosts == ["http://www.x.gov.cn:80",
                                                                       "https://www.x.gov.cn:443"]
    assert not host_allowed("http://www.x.gov.cn:8080/", ["www.x.gov.cn"])  # a port is never allowed by omission
    assert not host_allowed("http://www.x.gov.cn/", ["https://www.x.gov.cn"])
    assert host_allowed("http://127.0.0.1:8000/a.pdf", ["http://127.0.0.1:8000"])


def test_pdf_links_per_page_and_pages_per_crawl_are_capped_and_reported(site, guard, http, tmp_path, police):
    links = "".join(f'<a href="/files/{i}.pdf">{i}.pdf</a>' for i in range(30))
    site.routes["/list.html"] = page(html(links))
    for i in range(30):
        site.routes[f"/files/{i}.pdf"] = pdf_file(police)
    source = WebSource(listing_urls=[site.url("/list.html")], max_pdf_links_per_page=5)
    results = acquire_url(site.url("/list.html"), tmp_path, http=http, transport=guard, source=source)
    assert sum(p.startswith("/files/") for p in site.paths()) == 5
    [capped] = [r for r in results if r.outcome == LIMIT_REACHED]
    assert capped.url == site.url("/list.html") and not capped.ok
    assert capped.message == ("the page links 30 PDFs; the first 5 were followed (max_pdf_links_per_page), "
                              "the other 25 were not")

    articles = "".join(f'<a href="/a/{i}.html">公告{i}</a>' for i in range(10))
    site.routes["/a/index.html"] = page(html(articles))
    for i in range(10):
        site.routes[f"/a/{i}.html"] = page(html("<p>正文</p>"))
    source = WebSource(listing_urls=[site.url("/a/index.html")], max_pages_per_crawl=4)
    since = len(site.requests)
    results = acquire_url(site.url("/a/index.html"), tmp_path, http=http, transport=guard, source=source)
    assert len(site.paths(since)) == 4  # the listing and three articles
    [capped] = [r for r in results if r.outcome == LIMIT_REACHED]
    assert "4 pages requested in this crawl (max_pages_per_crawl)" in capped.message
    only_localhost(site, guard)


def test_a_pdf_without_validators_is_asked_again_after_recheck_unvalidated_days(site, guard, http, tmp_path, police):
    site.routes["/plain.pdf"] = pdf_file(police)  # no ETag, no Last-Modified
    [first] = acquire_url(site.url("/plain.pdf"), tmp_path, http=http, transport=guard)
    [again] = acquire_url(site.url("/plain.pdf"), tmp_path, http=http, transport=guard)
    assert first.outcome == DOWNLOADED and again.outcome == UNCHANGED and site.count("/plain.pdf") == 1
    assert "asked again after 30 days (recheck_unvalidated_days)" in again.message
    changed = police + b"\n% a corrected version\n"
    site.routes["/plain.pdf"] = pdf_file(changed)
    later = http.model_copy(update={"recheck_unvalidated_days": 0})  # as when 30 days have passed
    [new] = acquire_url(site.url("/plain.pdf"), tmp_path, http=later, transport=guard)
    assert new.outcome == DOWNLOADED and "new version" in new.message and site.count("/plain.pdf") == 2
    assert raw_files(tmp_path) == {sha(police): police, sha(changed): changed}


def test_each_download_is_told_as_it_completes_not_when_the_listing_is_done(site, guard, http, tmp_path, police,
                                                                             justice):
    # The README promises a line per download as it arrives; a crawl told nothing until the whole
    # listing was crawled (minutes on a real listing).
    site.routes["/list.html"] = page(html('<a href="/a.pdf">一</a><a href="/b.pdf">二</a>'
                                          '<a href="http://elsewhere.invalid/c.pdf">三</a>'))
    site.routes["/a.pdf"] = pdf_file(police)
    site.routes["/b.pdf"] = pdf_file(justice)
    told = []
    results = acquire_url(site.url("/list.html"), tmp_path, http=http, transport=guard,
                          on_result=lambda r: told.append((r.url.rsplit("/", 1)[-1], r.outcome, site.paths())))
    assert [(name, outcome) for name, outcome, _ in told] == [
        ("a.pdf", DOWNLOADED), ("b.pdf", DOWNLOADED), ("c.pdf", REFUSED_HOST)]
    assert told[0][2] == ["/list.html", "/a.pdf"]  # told before b.pdf was asked for
    assert len(results) == 3 and len(told) == 3  # each told once


def test_a_listing_link_to_another_host_is_skipped_and_reported_without_failing_the_run(site, tmp_path, police):
    # Refused as it should be, the link made `budgetdw ingest` exit 1 like a failed document.
    import json

    from click.testing import CliRunner

    from pipelines.cli import main

    site.routes["/list.html"] = page(html('<a href="/files/police.pdf">阳泉市公安局城区分局2025年单位预算</a>'
                                          '<a href="http://elsewhere.invalid/other.pdf">另一个</a>'))
    site.routes["/files/police.pdf"] = pdf_file(police)
    result = CliRunner().invoke(main, [
        "ingest", "--no-dagster", site.url("/list.html"), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
        "--data-dir", str(tmp_path / "data"), "--workers", "1", "--report", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"downloaded  {site.url('/files/police.pdf')}  (downloaded ")
    assert lines[1] == ("skipped     http://elsewhere.invalid/other.pdf  (refused_host: refused: link to host "
                        f"elsewhere.invalid, which is not allowed (allowed: {site.base}); not requested)")
    assert lines[2].startswith("published   police.pdf")
    assert lines[-1].startswith("1 document: 1 published; 1 links to other hosts skipped → ")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["fetch_problems"] == [] and [s["url"] for s in report["skipped"]] == [
        "http://elsewhere.invalid/other.pdf"]
    assert all(r["host"] == f"127.0.0.1:{site.port}" for r in site.requests)  # never requested
