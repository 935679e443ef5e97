"""Rendering of one checklist PDF with WeasyPrint.

Not a hook module: `hooks/kn/publish/checklist_pdf.py` prepares the HTML of each
checklist's PDF and calls `render_job` for the ones not cached yet (in worker
processes when there are many, so everything here takes plain values).

The PDF is tagged (PDF/UA-1: structure tree, /Lang from <html lang>, title
and subject from <title> and <meta name="description">) and fillable: every
<input> and <textarea> becomes a form field (`pdf_forms`). WeasyPrint may
read only the files named in `allowed` (the fonts); any other address, on
this machine or elsewhere, is refused, so nothing in a PDF comes from or
points to another server.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True, "pdf_tags": True}


@dataclass(frozen=True)
class Job:
    html: str  # the whole document, styles inlined
    target: Path  # the cache file to write
    allowed: tuple[str, ...]  # absolute paths WeasyPrint may read (fonts)


def render_job(job: Job) -> int:
    """Write the PDF of `job` (atomically: a half-written file is never cached);
    return its number of pages."""
    data, pages = render_pdf_pages(job.html, job.allowed)
    temporary = job.target.with_name(f"{job.target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, job.target)
    return pages


def render_pdf(html: str, allowed: tuple[str, ...]) -> bytes:
    """The PDF of a complete HTML document."""
    return render_pdf_pages(html, allowed)[0]


def render_pdf_pages(html: str, allowed: tuple[str, ...]) -> tuple[bytes, int]:
    """The PDF of a complete HTML document, and its number of pages."""
    import weasyprint

    quiet()
    fetcher = local_fetcher(weasyprint, frozenset(allowed))
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render(**PDF_OPTIONS)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def local_fetcher(weasyprint, allowed: frozenset[str]):
    """A URL fetcher that serves the allowed local files and refuses the rest."""

    class LocalFetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):
            parts = urlsplit(url)
            path = os.path.realpath(unquote(parts.path)) if parts.scheme == "file" else ""
            if path not in allowed:
                raise ValueError(f"Adresse nicht erlaubt: {url[:80]}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file",), allow_redirects=False)


def quiet() -> None:
    """WeasyPrint warns about every CSS rule of the site's stylesheet it does not
    know (Material's variables, :has()); only its errors matter here."""
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
