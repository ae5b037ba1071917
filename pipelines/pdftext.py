"""The PDF text layer, read once per document with pdfium (fast: no rendering)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium


class PdfError(Exception):
    """The file cannot be read as a PDF (not a PDF, damaged, encrypted)."""


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts pages
    text: str
    width: float
    height: float

    @property
    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.text.splitlines() if ln.strip()]


def squeeze(text: str) -> str:
    """Drop spaces that PDF producers put between CJK characters ('2017 年度' → '2017年度')."""
    return re.sub(r"(?<=[^\x00-\x7f\d])\s+|\s+(?=[^\x00-\x7f])|(?<=\d)\s+(?=年)", "", text)


class PdfText:
    """An open PDF: page texts, and text inside a box (for the lines above a table)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self._pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            raise PdfError(f"{self.path.name}: cannot open as PDF ({exc})") from exc
        self.pages: list[Page] = []
        for i in range(len(self._pdf)):
            page = self._pdf[i]
            text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            width, height = page.get_size()
            self.pages.append(Page(i + 1, text, width, height))

    def __len__(self) -> int:
        return len(self.pages)

    def text_in(self, page_number: int, left: float, bottom: float, right: float, top: float) -> str:
        """Text inside a box given in PDF points from the bottom-left corner."""
        textpage = self._pdf[page_number - 1].get_textpage()
        return textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)

    def metadata(self) -> dict[str, str]:
        return {k: v for k, v in self._pdf.get_metadata_dict().items() if v}

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> "PdfText":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
