"""Checklist PDFs in the browser: the printed checklist page shows the same
fields and lines as the PDF; the download button and Chromium's PDF viewer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_pdf_checklists import make_project, squeeze

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pdf-browser") / "project")
    result, site = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def checklist_page(browser, fixture_url):
    """The printed-page and on-screen tests of a checklist share one load of its
    page (one context for the module): page.pdf() prints without changing what
    the page shows on screen."""
    context = browser.new_context()
    pages = {}

    def page_of(name: str):
        if name not in pages:
            pages[name] = context.new_page()
            pages[name].goto(f"{fixture_url}checklisten/{name}/")
        return pages[name]

    yield page_of
    context.close()


@pytest.mark.parametrize(("name", "fields", "legal"), [("vertrag", True, True), ("treffen", False, False)])
def test_printed_page_shows_fields_legal_line_and_date(checklist_page, tmp_path, name, fields, legal):
    page = checklist_page(name)
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=False)
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    text = squeeze(reader.pages[0].extract_text())
    for label in ("Partner", "Datum", "Notizen"):
        assert (label in text) == fields, label
    assert ("KeinRechtsrat" in text) == legal
    assert "Alsherunterladen" not in text and "AlsPDFherunterladen" not in text
    if name == "vertrag":
        assert "Stand:5.Oktober2026" in text


def test_fields_are_hidden_on_screen_and_legal_line_shown(checklist_page):
    page = checklist_page("vertrag")
    assert not page.locator(".kn-checklist__fields").is_visible()
    assert page.locator(".kn-checklist__legal").is_visible()


def test_download_button_delivers_the_pdf(browser_page, fixture_url, fixture_site):
    page = browser_page  # Playwright's contexts accept downloads (accept_downloads defaults to true)
    page.goto(f"{fixture_url}kooperation-netzwerke/mit-checkliste/")
    with page.expect_download() as info:
        page.locator("a.kn-checklist__pdf").click()
    download = info.value
    assert download.suggested_filename == "vertrag.pdf"
    assert Path(download.path()).read_bytes() == (fixture_site.root / "checklisten/vertrag/vertrag.pdf").read_bytes()


def test_chromium_opens_the_pdf_in_its_viewer(browser_page, fixture_url):
    response = browser_page.goto(f"{fixture_url}checklisten/vertrag/vertrag.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # Chromium's viewer is an extension frame inside the page: wait for it (at most 10 s), not a fixed time.
    def viewer_open() -> bool:
        return any(frame.url.startswith("chrome-extension://") for frame in browser_page.frames)

    deadline = time.monotonic() + 10
    while not viewer_open() and time.monotonic() < deadline:
        browser_page.wait_for_timeout(20)
    assert viewer_open(), [frame.url for frame in browser_page.frames]
