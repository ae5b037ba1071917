"""The links of a web page: parsed from its HTML (decoded by its charset), and told apart
(a PDF, an article page, the next listing page) by a source's patterns or the defaults."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from pipelines.acquire.sources import normalise_host

log = logging.getLogger(__name__)

_HTML_EXT = re.compile(r"(?i)(?:/|\.s?html?|\.jhtml|\.jsp|\.php|\.aspx?|/[^/.]*)$")
# Link texts that are navigation, not articles (page numbers, previous/next/first/last).
_NOT_ARTICLE_TEXT = re.compile(
    r"^\s*(?:\d+|上一页|上页|前页|首页|尾页|末页|下一页|下页|后页|prev.*|next.*|first|last|[‹«<›»>])\s*$", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


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


def link_matches(pattern: str | None, link: Link) -> bool:
    """The pattern is found in the link's URL or in its text."""
    return bool(pattern) and bool(re.search(pattern, link.url) or (link.text and re.search(pattern, link.text)))


def is_article(link: Link, article_pattern: str | None, listing_url: str) -> bool:
    """An article page of a listing: one the source's article_link matches, or, with none configured,
    an HTML page on the listing's host, under the listing's folder."""
    if article_pattern:
        return link_matches(article_pattern, link)
    u, lst = urlsplit(link.url), urlsplit(listing_url)
    return (
        normalise_host(u.hostname or "") == normalise_host(lst.hostname or "")
        and u.path.startswith(_folder(listing_url))
        and bool(_HTML_EXT.search(u.path or "/"))
        and not _NOT_ARTICLE_TEXT.match(link.text or "")
        and link.url.rstrip("/") != listing_url.rstrip("/")
    )


def _folder(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path[: path.rfind("/") + 1]
