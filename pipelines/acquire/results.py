"""What happened to one URL (or one local file): a FetchResult and its outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipelines.store import SourceDocument

# Outcomes of a FetchResult.
DOWNLOADED = "downloaded"  # new content, now in the raw store
UNCHANGED = "unchanged"  # this URL's content is already stored (304, same validators, or not asked again)
DUPLICATE = "duplicate"  # content already stored from another source; this URL was added as a source
REFUSED_HOST = "refused_host"  # a link or redirect to a host that is not allowed: never requested
REFUSED_LINK = "refused_link"  # a symbolic link leading out of an input folder: not followed
NOT_PDF = "not_pdf"  # the body is not a PDF (e.g. an HTML error page served as .pdf)
TRUNCATED = "truncated"  # the body is shorter than announced, or the PDF has no %%EOF at its end
TOO_LARGE = "too_large"  # larger than the configured limit: not downloaded / download aborted
HTTP_ERROR = "http_error"  # the server answered 4xx/5xx (5xx after retries), or the network failed
TIMEOUT = "timeout"  # no answer within the timeout, after retries
LIMIT_REACHED = "limit_reached"  # a page lists more PDF links, or a crawl meets more pages, than its cap allows
ERROR = "error"  # anything else (a missing folder, a disk error): the message says what
Outcome = Literal[
    "downloaded", "unchanged", "duplicate", "refused_host", "refused_link", "not_pdf", "truncated", "too_large",
    "http_error", "timeout", "limit_reached", "error",
]
STORED_OUTCOMES = frozenset({DOWNLOADED, UNCHANGED, DUPLICATE})

PAGE_READ = "page"  # fetch-log outcome of a listing or article page that was read (not a FetchResult's)


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


def size_text(n: int | None) -> str:
    """A byte count as the messages print it."""
    return "?" if n is None else f"{n:,} bytes"
