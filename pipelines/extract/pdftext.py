"""The PDF text layer, read once per document with pdfium (fast: no rendering)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw  # noqa: F401  (pdfium.raw)


class PdfError(Exception):
    """The file cannot be read as a PDF. `kind` names the failure for reports and tests."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Limits:
    """Guards against PDF bombs and runaway documents; a disclosure has 10-100 pages."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 1000
    # One stream (content, image, font) inflating beyond this is a decompression bomb: a disclosure's largest,
    # a scanned page's image, is some 30 MB. Checked before pdfium inflates anything (check_streams).
    max_inflated_bytes: int = 256 * 1024 * 1024


def check_file(path: Path, limits: Limits = Limits()) -> None:
    """Cheap checks before any parsing: empty, not a PDF at all, or too large."""
    size = path.stat().st_size
    if size == 0:
        raise PdfError("empty", "empty file (0 bytes)")
    if size > limits.max_bytes:
        raise PdfError("too_large", f"file is {size:,} bytes, over the limit of {limits.max_bytes:,}")
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        sniff = head.lstrip()[:15].lower()
        what = "an HTML page" if sniff.startswith((b"<!doctype", b"<html", b"<?xml", b"<head")) else "not a PDF"
        raise PdfError("not_pdf", f"{what}: the file does not start with %PDF-")


_DEFLATE_RATIO = 1032  # deflate inflates at most ≈1032:1: a smaller stream cannot reach the limit


def check_streams(path: Path, limits: Limits = Limits()) -> None:
    """A stream that inflates beyond `limits.max_inflated_bytes` (a decompression bomb) is too_large, told
    before pdfium inflates it; counted in 1 MB steps, nothing kept. Only streams big enough to get there are
    inflated (≥ 260 KB at the default limit): a real disclosure pays for opening the file's index alone.
    A file qpdf cannot open is left to pdfium, which says what is wrong with it."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Stream) or _first_filter(obj) != "/FlateDecode":
                    continue
                raw = obj.read_raw_bytes()
                if len(raw) * _DEFLATE_RATIO <= limits.max_inflated_bytes:
                    continue
                if _inflates_beyond(raw, limits.max_inflated_bytes):
                    raise PdfError("too_large", f"a decompression bomb: a stream (object {obj.objgen[0]}) of "
                                                f"{len(raw):,} bytes inflates to over {limits.max_inflated_bytes:,}")
    except (pikepdf.PdfError, pikepdf.PasswordError):  # damaged or encrypted: pdfium tells which
        return


def _first_filter(stream) -> str | None:
    import pikepdf

    found = stream.get("/Filter")
    if isinstance(found, pikepdf.Array):
        found = found[0] if len(found) else None
    return str(found) if found is not None else None


def _inflates_beyond(raw: bytes, limit: int) -> bool:
    inflater, size, data = zlib.decompressobj(), 0, raw
    try:
        while data and size <= limit:
            size += len(inflater.decompress(data, 1 << 20))
            data = inflater.unconsumed_tail
    except zlib.error:  # a broken stream: pdfium's to report
        return False
    return size > limit


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts pages
    text: str
    width: float  # as displayed (turned by /Rotate)
    height: float
    rotation: int = 0  # degrees the page is turned clockwise when displayed (its /Rotate)

    @property
    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.text.splitlines() if ln.strip()]


def squeeze(text: str) -> str:
    """Drop spaces that PDF producers put between CJK characters ('2017 年度' → '2017年度')."""
    return re.sub(r"(?<=[^\x00-\x7f\d])\s+|\s+(?=[^\x00-\x7f])|(?<=\d)\s+(?=年)", "", text)


class PdfText:
    """An open PDF: page texts, and text inside a box (for the lines above a table)."""

    def __init__(self, path: Path, limits: Limits = Limits()):
        self.path = Path(path)
        try:
            self._pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise PdfError("encrypted", "encrypted: a password is needed to open it") from exc
            raise PdfError("damaged", f"damaged PDF that cannot be opened ({exc})") from exc
        count = len(self._pdf)
        if count > limits.max_pages:
            self._pdf.close()
            raise PdfError("too_many_pages", f"{count} pages, over the limit of {limits.max_pages}")
        # Each page is loaded once here, and what is read of it later taken while it is: loading a page again
        # costs about as much as reading its text (bench/results.md).
        self.pages: list[Page] = []
        self._draws_paths: list[bool] = []
        self._text_layers: dict[int, tuple] = {}  # page number → (page, text layer), kept from its first box
        for i in range(len(self._pdf)):
            try:
                page = self._pdf[i]
            except pdfium.PdfiumError as exc:  # e.g. a page tree that loops, or nests too deep to follow
                self._pdf.close()
                raise PdfError("damaged", f"damaged PDF: page {i + 1} of {count} cannot be loaded ({exc}); "
                                          "its page tree may loop or nest too deep") from exc
            text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            width, height = page.get_size()
            self.pages.append(Page(i + 1, text, width, height, page.get_rotation() % 360))
            self._draws_paths.append(_any_path(page.raw, pdfium.raw.FPDFPage_CountObjects,
                                               pdfium.raw.FPDFPage_GetObject))

    def __len__(self) -> int:
        return len(self.pages)

    @property
    def encrypted(self) -> bool:
        """Opened, but encrypted with an owner password (restrictions only, no user password)."""
        return pdfium.raw.FPDF_GetSecurityHandlerRevision(self._pdf.raw) != -1

    @property
    def has_text(self) -> bool:
        """False for image-only scans: no page has a text layer to read."""
        return any(p.text.strip() for p in self.pages)

    def no_text_error(self) -> PdfError:
        """Why no page has a text layer: an image-only scan shows images (or drawings); a file whose pages
        show nothing at all is no scan but a damaged one (contents empty, or behind a chain of references
        nested too deep to follow: 50,000 deep in a hostile file)."""
        if any(self._shows_something(i) for i in range(len(self._pdf))):
            return PdfError("no_text_layer", "image-only scan: no page has a text layer (OCR is not supported)")
        return PdfError("damaged", "damaged PDF: no page shows anything, no text, image or drawing (its contents "
                                   "are empty, or referenced or nested too deep to follow): not a scan")

    def _shows_something(self, index: int) -> bool:
        page = self._pdf[index]  # held while pdfium counts: a temporary would be closed under it
        try:
            return pdfium.raw.FPDFPage_CountObjects(page.raw) > 0
        finally:
            page.close()

    def draws_paths(self, page_number: int) -> bool:
        """Whether the page draws any vector path (a line, rectangle or curve), directly or inside a form
        XObject. Ruling lines are paths: a page without one has no grid for camelot's vector engine."""
        return self._draws_paths[page_number - 1]

    def text_in(self, page_number: int, left: float, bottom: float, right: float, top: float) -> str:
        """Text inside a box given in PDF points from the bottom-left corner of the unrotated page. The page's
        text layer is loaded for its first box and kept: a table asks for every cell's."""
        if page_number not in self._text_layers:
            page = self._pdf[page_number - 1]
            self._text_layers[page_number] = (page, page.get_textpage())  # the text layer needs its page open
        return self._text_layers[page_number][1].get_text_bounded(left=left, bottom=bottom, right=right, top=top)

    def metadata(self) -> dict[str, str]:
        return {k: v for k, v in self._pdf.get_metadata_dict().items() if v}

    def close(self) -> None:
        self._text_layers.clear()
        self._pdf.close()

    def __enter__(self) -> "PdfText":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# Form XObjects nested deeper than this are not walked: the page is taken to draw paths (a hostile
# file's nesting costs no time, and a page wrongly taken to draw costs only camelot's reading of it).
MAX_FORM_DEPTH = 15


def _any_path(handle, count, get, depth: int = 0) -> bool:
    raw = pdfium.raw
    for i in range(count(handle)):
        obj = get(handle, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM and (
                depth >= MAX_FORM_DEPTH
                or _any_path(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, depth + 1)):
            return True
    return False


# Publication evidence: which of two versions of one budget is the newer, read from the files themselves
# (never from when budgetdw happened to load them). docs/failure-modes.md “Which version is current”.
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "Ｏ": 0}
_CN = "〇○零OＯ一二三四五六七八九十"
# A cover or title page line that is nothing but a date: “2018 年 2 月 24 日” (Jiangsu), “2026年1月”
# (Shanghai), “2026年2月14日” (Changchun), “二〇二六年一月”. A date inside a sentence (“截至2024年8月31日”
# of the asset tables) is no publication date.
_PRINTED_DATE = re.compile(rf"^(\d{{4}}|[{_CN}]{{4}})年(\d{{1,2}}|[{_CN}]{{1,2}})月(?:(\d{{1,2}}|[{_CN}]{{1,3}})日)?$")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def _number(text: str) -> int:
    """'2026', '二〇二六', '十二', '二十四' as a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十四
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def printed_date(pages: list[Page], fiscal_year: int | None) -> date | None:
    """The publication date a disclosure prints alone on a line of its first two pages (cover, title page),
    to the month or the day (a month alone is its first day). Only a date the fiscal year allows counts:
    from the year before it (a budget is made then) to two years after (final accounts)."""
    for page in pages[:2]:
        for line in page.lines:
            m = _PRINTED_DATE.match(re.sub(r"\s+", "", line))
            if not m:
                continue
            try:
                found = date(_number(m[1]), _number(m[2]), _number(m[3]) if m[3] else 1)
            except (KeyError, ValueError):
                continue
            if fiscal_year is None or fiscal_year - 1 <= found.year <= fiscal_year + 2:
                return found
    return None


def file_date(metadata: dict[str, str], fiscal_year: int | None) -> datetime | None:
    """When the producer last wrote the file: the PDF's ModDate, else its CreationDate, to the second as
    written (its time zone ignored: the versions of one budget come from one office). A date before the
    year preceding the fiscal year is a template's or a wrong clock's (2000-01-01 of the sample), not this
    document's, and does not count."""
    for key in ("ModDate", "CreationDate"):
        m = _PDF_DATE.search(metadata.get(key, ""))
        if not m:
            continue
        defaults = (0, 1, 1, 0, 0, 0)
        y, mo, d, h, mi, s = (int(g) if g else default for g, default in zip(m.groups(), defaults, strict=True))
        try:
            found = datetime(y, mo, d, h, mi, s)
        except ValueError:
            continue
        if fiscal_year is None or found.year >= fiscal_year - 1:
            return found
    return None
