"""Where documents come from: the sources config file (sources.yaml), parsed and validated.

Two kinds of source (see sources.example.yaml and docs/acquisition.md):

- ``folder`` (the default): a local folder of PDFs, searched recursively.
- ``web``: listing pages on a government site, optionally paginated, whose entries are PDF links or
  article pages with the PDF attached. Only ``allowed_hosts`` are ever contacted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

# Contact for site operators, sent in the User-Agent of every request (http.contact_url overrides it).
DEFAULT_CONTACT_URL = "https://github.com/budgetdw/budgetdw"

# A link is a PDF when its URL (path or query) ends in .pdf, or its text does (e.g. "附件：xx预算.pdf").
DEFAULT_PDF_LINK = r"(?i)\.pdf(?:$|[?#&])"

# The usual "next page" link texts on Chinese government sites (matched against link text or title).
DEFAULT_NEXT_PAGE = r"(?i)^\s*(?:下一页|下页|后页|next(?:\s*page)?|›|»|>)\s*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc}): {value!r}") from exc
    return value


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {value!r}")
    return value


def normalise_host(host: str) -> str:
    """Lower-case, no trailing dot; keeps an optional ':port' and a leading '*.' wildcard."""
    return host.strip().lower().rstrip(".")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_allowed(url: str, allowed_hosts: list[str] | tuple[str, ...]) -> bool:
    """True when url is http(s) and its origin — scheme, host and port — matches one of allowed_hosts.

    An entry is an origin ("https://www.example.gov.cn", "http://127.0.0.1:8000": that scheme, host
    and port only), a host name or IP ("www.example.gov.cn": http on port 80 or https on 443 only),
    "host:port" (that port only, either scheme), or a "*." wildcard in place of the host ("*.example.gov.cn":
    any sub-domain of example.gov.cn, not example.gov.cn itself). A port is never allowed by omission: a
    redirect to another port of an allowed host (127.0.0.1:5432) is refused.
    """
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return False
    host = normalise_host(parts.hostname)
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return False
    for entry in allowed_hosts:
        entry = normalise_host(entry)
        scheme, _, rest = entry.rpartition("://")
        want = urlsplit("//" + rest)  # parses "host", "host:port", "[::1]:8000", "*.domain"
        try:
            want_host, want_port = (want.hostname or ""), want.port
        except ValueError:
            continue
        if scheme and scheme != parts.scheme:
            continue
        if want_port is None:
            want_port = _DEFAULT_PORTS.get(scheme or parts.scheme)
        if want_port != port:
            continue
        if want_host.startswith("*."):
            if host.endswith(want_host[1:]):
                return True
        elif host == want_host:
            return True
    return False


def origin(url: str) -> str:
    """scheme://host:port of an http(s) URL, the port always written."""
    parts = urlsplit(url)
    host = normalise_host(parts.hostname or "")
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}:{parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)}"


class HttpSettings(_Model):
    """How web sources are fetched. Every field has a sensible default for nightly runs."""

    contact_url: str = DEFAULT_CONTACT_URL  # put in the User-Agent so site operators can reach us
    user_agent: str | None = None  # full override; default "budgetdw/<version> (+<contact_url>)"
    timeout_seconds: float = Field(30.0, gt=0)  # connect / read / write / pool timeout of one request
    # Totals, from the moment a request is sent, whatever the server does (a server sending its headers or
    # its body one byte at a time): its status line and headers must have arrived within
    # request_timeout_seconds, the whole download (headers and body) within download_timeout_seconds.
    request_timeout_seconds: float = Field(60.0, gt=0)
    download_timeout_seconds: float = Field(900.0, gt=0)
    attempts: int = Field(4, ge=1)  # tries per URL on 5xx, 429, timeouts and dropped connections
    backoff_initial_seconds: float = Field(2.0, ge=0)  # wait before the 2nd try; doubles each time
    backoff_max_seconds: float = Field(60.0, ge=0)
    # A 429 or 503 with Retry-After is tried again no sooner than it asks, when it asks for at most this;
    # when it asks for longer (a day), the URL is reported at once and left for a later run.
    retry_after_max_seconds: float = Field(300.0, ge=0)
    min_interval_seconds: float = Field(1.0, ge=0)  # at least this long between two requests to one host
    max_bytes: int = Field(200 * 1024 * 1024, gt=0)  # a PDF larger than this is aborted (too_large)
    max_page_bytes: int = Field(5 * 1024 * 1024, gt=0)  # same for listing and article pages
    max_redirects: int = Field(5, ge=0)
    # What to do with a URL the fetch log already holds a stored copy of:
    #   conditional: ask again with If-None-Match / If-Modified-Since when the server gave validators,
    #                and do not ask again at all when it gave none (published disclosures do not change);
    #   always:      always ask (conditionally when possible), re-downloading when the server gives no validators;
    #   never:       never ask again.
    recheck: Literal["conditional", "always", "never"] = "conditional"
    # With recheck: conditional, a stored PDF whose server gave no validators is not asked again for this
    # many days after it was last requested, then asked again (a changed file is then downloaded).
    recheck_unvalidated_days: float = Field(30.0, ge=0)
    trust_env: bool = True  # honour HTTP(S)_PROXY / NO_PROXY from the environment


class Pagination(_Model):
    """How to reach the listing's other pages: follow a "next page" link, or fill in a URL template."""

    next_page: str | None = DEFAULT_NEXT_PAGE  # regex on a link's text or title (or its URL)
    url_template: str | None = None  # e.g. "https://x.gov.cn/yjs/index_{page}.html"; wins over next_page
    template_start: int = 2  # page number of the first templated page (the listing URL is page 1)
    max_pages: int = Field(10, ge=1)  # listing pages per listing URL, the listing URL itself included

    @field_validator("next_page")
    @classmethod
    def _next(cls, v: str | None) -> str | None:
        return _check_regex(v)

    @field_validator("url_template")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        if v is not None:
            if "{page}" not in v:
                raise ValueError(f"url_template must contain {{page}}: {v!r}")
            _check_http_url(v.replace("{page}", "1"))
        return v


class FolderSource(_Model):
    """A local folder (or one file) of PDFs."""

    kind: Literal["folder"] = "folder"
    name: str | None = None  # defaults to the path
    path: Path  # relative paths are relative to the config file's folder
    unit: str | None = None  # hints carried into every result of this source
    year: int | None = None

    @property
    def label(self) -> str:
        return self.name or str(self.path)


class WebSource(_Model):
    """Listing pages on a site: listing → (article page →) PDF, never leaving allowed_hosts."""

    kind: Literal["web"] = "web"
    name: str | None = None  # defaults to the first listing URL's host
    listing_urls: list[str] = Field(min_length=1)
    pagination: Pagination | None = None  # None: only the listing URLs themselves
    # Regexes, searched (re.search) in a link's absolute URL and in its text:
    article_link: str | None = None  # None: HTML pages on the listing's host under the listing's folder
    pdf_link: str = DEFAULT_PDF_LINK
    allowed_hosts: list[str] | None = None  # None: the hosts of listing_urls
    max_articles: int = Field(500, ge=0)  # article pages visited per run, at most
    max_pdf_links_per_page: int = Field(200, ge=1)  # PDF links followed from one page; more are reported
    max_pages_per_crawl: int = Field(1000, ge=1)  # listing and article pages requested per run, at most
    unit: str | None = None
    year: int | None = None

    @field_validator("listing_urls")
    @classmethod
    def _urls(cls, v: list[str]) -> list[str]:
        return [_check_http_url(u) for u in v]

    @field_validator("article_link", "pdf_link")
    @classmethod
    def _regexes(cls, v: str | None) -> str | None:
        return _check_regex(v)

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            v = [normalise_host(h) for h in v]
            bad = [h for h in v if not h or "/" in h.partition("://")[2 if "://" in h else 0]
                   or ("://" in h and h.partition("://")[0] not in _DEFAULT_PORTS)]
            if bad:
                raise ValueError(f"allowed_hosts are origins (https://host:port) or host names (optionally host:port "
                                 f"or *.domain), not {bad}")
        return v

    @property
    def hosts(self) -> list[str]:
        """The origins this source may contact: allowed_hosts, or else the listing URLs' own origins
        (scheme, host and port), and for a listing on http's port 80 the same host on https's 443 (sites
        move to https; never the other way)."""
        if self.allowed_hosts is not None:
            return list(self.allowed_hosts)
        seen: list[str] = []
        for u in self.listing_urls:
            own = origin(u)
            upgrade = [f"https://{own.removeprefix('http://').rpartition(':')[0]}:443"] if own.startswith(
                "http://") and own.endswith(":80") else []
            for o in [own, *upgrade]:
                if o not in seen:
                    seen.append(o)
        return seen

    @property
    def label(self) -> str:
        return self.name or (urlsplit(self.listing_urls[0]).hostname or self.listing_urls[0])

    @model_validator(mode="after")
    def _listing_allowed(self) -> WebSource:
        outside = [u for u in self.listing_urls if not host_allowed(u, self.hosts)]
        if outside:
            raise ValueError(f"listing URLs outside allowed_hosts {self.hosts}: {outside}")
        return self


def _source_kind(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("kind") or ("web" if "listing_urls" in value else "folder")
    return getattr(value, "kind", "folder")


Source = Annotated[
    Annotated[FolderSource, Tag("folder")] | Annotated[WebSource, Tag("web")],
    Discriminator(_source_kind),
]


class SourcesConfig(_Model):
    """The whole sources file."""

    http: HttpSettings = HttpSettings()
    sources: list[Source] = Field(default_factory=list)


class ConfigError(ValueError):
    """A sources file budgetdw cannot use, in one line: where (line, column or the setting's path) and why."""


def load_config(path: Path | str) -> SourcesConfig:
    """Read and validate a sources YAML file; relative folder paths are resolved against its folder.

    Raises ConfigError (a ValueError) naming every problem found, in one line, when the file cannot be
    read, is not UTF-8, is not YAML, or holds an unknown key or a value out of range.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                          "save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ConfigError(f"not valid YAML: {where}{what}") from None
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping with 'sources:' at the top")
    try:
        config = SourcesConfig.model_validate(data)
    except ValidationError as exc:
        problems = ["{}: {}".format(".".join(str(x) for x in e["loc"]) or "(top)",
                                    " ".join(e["msg"].removeprefix("Value error, ").split()))
                    for e in exc.errors()]
        raise ConfigError("; ".join(problems)) from None
    base = path.resolve().parent
    resolved = [
        s.model_copy(update={"path": base / s.path}) if isinstance(s, FolderSource) and not s.path.is_absolute() else s
        for s in config.sources
    ]
    return config.model_copy(update={"sources": resolved})
