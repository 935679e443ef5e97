"""Checklist PDFs (hooks/kn/publish/checklist_pdf.py): a small site of our own with three
checklists (one legal, one long and collapsible without fields, one with
hostile strings), built once; every PDF read back with pypdf."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import Project, article

pytestmark = pytest.mark.build

SITE_URL = "https://beispiel-verlag.github.io/kooperation-netzwerke/"
SERIES = "kooperation-netzwerke"
HOSTILE_TITLE = "Q&A: <Tipps> für „Profis“"
HOSTILE_ITEMS = [
    "Achten Sie auf <script>alert(1)</script> im Text.",
    'Prüfen Sie "><img src=x onerror=alert(1)> vor dem Gespräch.',
    "Fragen Sie nach „Q&A: <Tipps>“ für den Start.",
]
PLAIN_ITEMS = [
    "Fragen Sie, was die andere Seite konkret an Leistung einbringt.",
    "Vereinbaren Sie einen Termin für das zweite Gespräch.",
]
LEGAL_ITEMS = [f"Regeln Sie Punkt {n} der Vereinbarung schriftlich und nennen Sie Fristen." for n in range(1, 21)]
SHORT_ITEMS = ["Reservieren Sie den Raum.", "Drucken Sie Namensschilder."]

CHECKLISTS = {
    # name: (file text, title, items, fields, legal)
    "gespraech": (
        f'!!! checkliste "{HOSTILE_TITLE}"\n\n'
        + "".join(f"    - [ ] {item}\n" for item in PLAIN_ITEMS + HOSTILE_ITEMS)
        + "    - [ ] Lesen Sie [die Anleitung](https://evil.example/anleitung) und [unsere Übersicht](../index.md).\n",
        HOSTILE_TITLE, [*PLAIN_ITEMS, *HOSTILE_ITEMS, "Lesen Sie die Anleitung und unsere Übersicht."], True, False,
    ),
    "vertrag": (
        "---\nrechtlich: true\nupdated: 2026-10-05\n---\n\n"
        '!!! checkliste "Vertrag aufsetzen"\n\n' + "".join(f"    - [ ] {item}\n" for item in LEGAL_ITEMS),
        "Vertrag aufsetzen", LEGAL_ITEMS, True, True,
    ),
    "treffen": (
        "---\nfelder: false\n---\n"
        '??? checkliste "Treffen vorbereiten"\n\n' + "".join(f"    - [ ] {item}\n" for item in SHORT_ITEMS),
        "Treffen vorbereiten", SHORT_ITEMS, False, False,
    ),
}


def make_project(root: Path) -> Project:
    """The site's code with our own content: three checklists, one article."""
    project = Project(root)
    project.clear_series(checklists=True)
    project.write(f"docs/{SERIES}/index.md", "---\ntitle: Testreihe\n---\n\nArtikel mit Checklisten.\n")
    for name, (text, *_rest) in CHECKLISTS.items():
        project.write(f"docs/checklisten/{name}.md", text)
    project.write(f"docs/{SERIES}/mit-checkliste.md", article("Mit Checkliste") + '\n--8<-- "checklisten/vertrag.md"\n')
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pdf") / "project")
    result, site = project.build(shared_cache=False)  # test_unchanged_checklists_come_from_the_cache
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site, result


def pdf_path(site, name: str) -> Path:
    return site.root / "checklisten" / name / f"{name}.pdf"


def squeeze(text: str) -> str:
    """Text without whitespace and hyphens (line breaks and hyphenation differ),
    with straight double quotes (smarty makes German ones of them)."""
    return re.sub(r"[„“”]", '"', re.sub(r"[\s\-\u00ad\u2010]", "", text))


def all_objects(reader: PdfReader):
    """Every indirect object of the PDF, resolved."""
    for number in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry
            continue
        if obj is not None:
            yield obj


def strings_in(obj, seen=None):
    """Every string and name inside a PDF object, recursively (not into streams' data)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = set() if seen is None else seen
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield str(key)
            yield from strings_in(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from strings_in(value, seen)
    elif isinstance(obj, str):
        yield str(obj)


# -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHECKLISTS)
def test_pdf_is_one_a4_page_with_title_items_and_metadata(built, name):
    _project, site, _result = built
    _text, title, items, _fields, _legal = CHECKLISTS[name]
    reader = PdfReader(pdf_path(site, name))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert squeeze(title) in squeeze(text)
    for item in items:
        assert squeeze(item) in squeeze(text), item
    assert reader.metadata.title == title
    assert reader.metadata.subject and title in reader.metadata.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de-DE"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (BooleanObject)
    assert "/StructTreeRoot" in root


@pytest.mark.parametrize("name", CHECKLISTS)
def test_every_box_and_note_field_is_a_form_field(built, name):
    _project, site, _result = built
    _text, _title, items, fields, _legal = CHECKLISTS[name]
    found = PdfReader(pdf_path(site, name)).get_fields()
    boxes = [key for key, field in found.items() if field.get("/FT") == "/Btn"]
    texts = [key for key, field in found.items() if field.get("/FT") == "/Tx"]
    assert boxes == [f"punkt-{n}" for n in range(1, len(items) + 1)]
    assert texts == (["partner", "datum", "notizen"] if fields else [])
    assert all(found[key].get("/V") == "/Off" for key in boxes)
    # Each field is named by its label (what a screen reader announces).
    names = [found[key].get("/TU") for key in boxes + texts]
    assert [squeeze(n) for n in names] == [squeeze(i) for i in items] + (["Partner", "Datum", "Notizen"] if fields else [])


@pytest.mark.parametrize("name", CHECKLISTS)
def test_fonts_are_embedded_and_nothing_points_elsewhere(built, name):
    _project, site, _result = built
    reader = PdfReader(pdf_path(site, name))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        # Open Sans from data/fonts/, and the same cut down for the form fields.
        assert "KN-Open-Sans" in font["/BaseFont"] or "KN-Formular" in font["/BaseFont"], font["/BaseFont"]
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    addresses = []
    seen: set[int] = set()  # one for all objects: each reachable object is read once, not once per referrer
    for obj in all_objects(reader):
        for value in strings_in(obj, seen):
            if "://" in value or value.startswith(("www.", "//")):
                addresses.append(value)
    assert addresses, "the source line links the checklist's own page"
    assert all(value.startswith(SITE_URL) for value in addresses), addresses
    assert b"evil.example" not in pdf_path(site, name).read_bytes()
    assert pdf_path(site, name).stat().st_size < 60_000  # the form font is small


def test_hostile_strings_are_plain_text(built):
    _project, site, _result = built
    text = PdfReader(pdf_path(site, "gespraech")).pages[0].extract_text()
    for needle in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "„Q&A: <Tipps>“", "Q&A: <Tipps>"):
        assert squeeze(needle) in squeeze(text), needle


def test_legal_checklist_says_kein_rechtsrat_and_its_date(built):
    _project, site, _result = built
    legal = PdfReader(pdf_path(site, "vertrag")).pages[0].extract_text()
    assert "Kein Rechtsrat" in legal
    assert "Stand: 5. Oktober 2026" in legal
    assert squeeze(f"{SITE_URL}checklisten/vertrag/") in squeeze(legal)
    assert "Kooperation & Netzwerke" in legal
    for name in ("gespraech", "treffen"):
        assert "Kein Rechtsrat" not in PdfReader(pdf_path(site, name)).pages[0].extract_text()
    page = site.page("checklisten/vertrag/")
    assert "Kein Rechtsrat" in page.select_one(".kn-checklist__legal").get_text()
    assert "Stand: 5. Oktober 2026" in page.select_one(".kn-print-source").get_text()
    assert page.select(".kn-checklist__fields .kn-checklist__field-label")
    assert not site.page("checklisten/treffen/").select(".kn-checklist__fields")
    assert not site.page("checklisten/gespraech/").select(".kn-checklist__legal")


@pytest.mark.parametrize(("url", "name"), [("checklisten/vertrag/", "vertrag"), (f"{SERIES}/mit-checkliste/", "vertrag"),
                                           ("checklisten/treffen/", "treffen")])
def test_download_link_with_size_beside_print_button(built, url, name):
    _project, site, _result = built
    actions = site.page(url).select_one(".kn-checklist__actions")
    link = actions.select_one("a.kn-checklist__pdf")
    assert link.find_previous_sibling("a").get_text() == "Checkliste drucken"
    size = pdf_path(site, name).stat().st_size
    assert link.get_text(" ", strip=True) == f"Als PDF herunterladen (PDF, {round(size / 1024)} KB)"
    assert link["type"] == "application/pdf" and link.has_attr("download")
    target = (site.path(url).parent / link["href"]).resolve()
    assert target == pdf_path(site, name).resolve()


def test_pdfs_are_in_the_sitemap_not_in_the_search_index(built):
    _project, site, _result = built
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    for name in CHECKLISTS:
        assert f"<loc>{SITE_URL}checklisten/{name}/{name}.pdf</loc>" in sitemap
    assert "<lastmod>2026-10-05</lastmod>" in sitemap
    for index in site.root.rglob("search_index.json"):
        assert ".pdf" not in index.read_text(encoding="utf-8")


def test_a_ticked_box_and_a_note_survive_saving(built, tmp_path):
    _project, site, _result = built
    reader = PdfReader(pdf_path(site, "vertrag"))
    writer = PdfWriter(clone_from=reader)
    writer.set_need_appearances_writer(True)
    writer.update_page_form_field_values(writer.pages[0], {"punkt-2": "/on", "notizen": "Rückruf am Montag"},
                                         auto_regenerate=False)
    saved = tmp_path / "ausgefuellt.pdf"
    with saved.open("wb") as handle:
        writer.write(handle)
    fields = PdfReader(saved).get_fields()
    assert fields["punkt-2"]["/V"] == NameObject("/on")
    assert fields["punkt-1"]["/V"] == "/Off"
    assert fields["notizen"]["/V"] == "Rückruf am Montag"


def test_unchanged_checklists_come_from_the_cache(built):
    project, site, result = built
    assert "Checklisten-PDFs: 3 neu erzeugt, 0 aus dem Zwischenspeicher." in result.stdout + result.stderr
    before = {name: pdf_path(site, name).read_bytes() for name in CHECKLISTS}
    again, site2 = project.build()
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Checklisten-PDFs:" not in again.stdout + again.stderr  # nothing rendered
    assert {name: pdf_path(site2, name).read_bytes() for name in CHECKLISTS} == before
    project.replace("docs/checklisten/treffen.md", "Drucken Sie Namensschilder.", "Drucken Sie Namensschilder aus.")
    changed, _site3 = project.build()
    assert "Checklisten-PDFs: 1 neu erzeugt, 2 aus dem Zwischenspeicher." in changed.stdout + changed.stderr
    cached = sorted(p.stem for p in (project.root / ".cache" / "checklist-pdfs").glob("*.pdf"))
    assert len(cached) == 3  # the old PDF of `treffen` was removed


def test_pdfs_render_as_images(built, tmp_path):
    from conftest import require_tool

    pdftoppm = require_tool("pdftoppm")
    import subprocess

    _project, site, _result = built
    for name in ("gespraech", "vertrag"):
        subprocess.run([pdftoppm, "-png", "-r", "50", str(pdf_path(site, name)), str(tmp_path / name)], check=True)
        assert (tmp_path / f"{name}-1.png").stat().st_size > 5000
    shutil.rmtree(tmp_path)


BAD_FRONT_MATTER = [
    ("rechtlich: vielleicht", "rechtlich", "kein Wahrheitswert"),
    ("felder: 3", "felder", "kein Wahrheitswert"),
    ("updated: 2026-13-45", "updated", "kein gültiges Datum"),
    ("rechtllich: true", "rechtllich", "unbekanntes Feld im Kopfbereich einer Checkliste"),
]


def bad_checklist(field: str) -> str:
    return f"checklisten/kaputt-{field}.md"


@pytest.fixture(scope="module")
def bad_front_matter(tmp_path_factory):
    """One failing build with each bad front matter in a checklist of its own
    (the body of `treffen`): the checklists' front matter is checked file by
    file and every problem reported at once."""
    project = make_project(tmp_path_factory.mktemp("pdf-bad") / "project")
    body = CHECKLISTS["treffen"][0].split("---\n", 2)[2]
    for front, field, _needle in BAD_FRONT_MATTER:
        project.write(f"docs/{bad_checklist(field)}", f"---\n{front}\n---\n" + body)
    result, _site = project.build()
    return result


@pytest.mark.parametrize(("front", "field", "needle"), BAD_FRONT_MATTER)
def test_bad_checklist_front_matter_is_named(bad_front_matter, front, field, needle):
    from conftest import assert_fails

    src = bad_checklist(field)
    output = assert_fails(bad_front_matter, f"Fehler in '{src}'")
    lines = "\n".join(line for line in output.splitlines() if f"Fehler in '{src}'" in line)
    for expected in (f"Feld '{field}'", needle):
        assert expected in lines, f"{expected!r} not in the lines about {src}:\n{output}"
    assert "Traceback" not in output


def test_a_checklist_longer_than_a_page_is_reported_also_from_the_cache(built, tmp_path):
    from conftest import assert_fails

    project = make_project(tmp_path / "project")
    # The PDFs of the two unchanged checklists come from the module's fresh
    # build (its own cache, not the shared one): only the long one is drawn anew.
    module_project, _site, _result = built
    shutil.copytree(module_project.root / ".cache" / "checklist-pdfs", project.root / ".cache" / "checklist-pdfs")
    items = "".join(f"    - [ ] Punkt {n}: ein langer Satz, der fast die ganze Zeile füllt, damit es eng wird.\n"
                    for n in range(1, 46))
    project.write("docs/checklisten/treffen.md", f'!!! checkliste "Zu lang"\n\n{items}')
    for number in range(2):  # the second build finds the PDF in the cache
        result, _site = project.build(shared_cache=False)
        output = assert_fails(result, "Fehler in 'checklisten/treffen.md'", "passt nicht auf eine Seite DIN A4")
        assert "Traceback" not in output
        assert ("Checklisten-PDFs: 1 neu erzeugt" in output) == (number == 0), output
