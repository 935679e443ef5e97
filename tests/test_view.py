"""One view for templates (#21): every field a template reads from the page's
view (`page.meta.kn.<name>`) is a field of kn.view.PageView, and no template
reads a loose `page.meta.kn_*` key any more."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kn.view import FRAGMENT_NAMES, Fragment, PageView, attach, of

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "overrides"
TEMPLATES = sorted(p for p in OVERRIDES.rglob("*") if p.suffix in {".html", ".xml"})
FIELDS = {f.name for f in dataclasses.fields(PageView)}
# `page.meta.kn.<name>`, also `file.page.meta.kn.<name>` (sitemap.xml) and the
# subscript form `page.meta["kn"].<name>`.
VIEW_READ = re.compile(r"""\bmeta(?:\.kn|\[\s*["']kn["']\s*\])\.(\w+)""")
LOOSE_KEY = re.compile(r"""\bmeta(?:\.|\[\s*["']|\.get\(\s*["'])kn_\w*""")


def reads(path: Path) -> set[str]:
    return set(VIEW_READ.findall(path.read_text(encoding="utf-8")))


def test_templates_are_found():
    assert OVERRIDES / "partials" / "content.html" in TEMPLATES and OVERRIDES / "sitemap.xml" in TEMPLATES
    # The scan sees what the templates read today (a broken pattern would pass everything).
    assert {"article", "authors", "share", "lastmod"} <= set().union(*map(reads, TEMPLATES))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(OVERRIDES).as_posix())
def test_every_field_a_template_reads_is_in_the_view(path):
    unknown = reads(path) - FIELDS
    assert not unknown, f"{path.relative_to(ROOT)} liest {sorted(unknown)}, die PageView nicht hat"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(OVERRIDES).as_posix())
def test_no_template_reads_a_loose_kn_key(path):
    loose = LOOSE_KEY.findall(path.read_text(encoding="utf-8"))
    assert not loose, f"{path.relative_to(ROOT)} liest {loose}: page.meta.kn.<feld> verwenden"


def test_the_build_code_sets_no_loose_kn_key():
    hooks = sorted((ROOT / "hooks").rglob("*.py"))
    found = [f"{p.relative_to(ROOT)}: {m}" for p in hooks for m in LOOSE_KEY.findall(p.read_text(encoding="utf-8"))]
    assert not found


def test_every_field_has_a_type_and_a_docstring():
    source = (ROOT / "hooks" / "kn" / "view.py").read_text(encoding="utf-8")
    body = source.split("class PageView", 1)[1].split("\ndef ", 1)[0]
    for item in dataclasses.fields(PageView):
        assert item.type and item.type != "Any", item.name
        assert re.search(rf"\n    {item.name}: [^\n]+\n    \"\"\"", body), f"{item.name}: no docstring"


def test_view_is_slotted_so_a_misspelt_field_fails():
    view = PageView()
    with pytest.raises(AttributeError):
        view.artikel = None  # type: ignore[attr-defined]


def test_attach_and_of():
    class Page:
        meta: dict = {}

    page = Page()
    page.meta = {"kn": "from the front matter", "title": "T"}
    assert of(page) is page.meta["kn"] and isinstance(page.meta["kn"], PageView)
    assert of(page) is of(page)
    old = of(page)
    assert attach(page) is not old and page.meta["title"] == "T"


def test_defaults_are_fresh_per_page():
    first, second = PageView(), PageView()
    first.tags.append("x")
    assert second.tags == []


def test_fragments_pass_only_known_names():
    Fragment("fragments/kn/home.html", {"articles": [], "total": 0})
    with pytest.raises(ValueError, match="FRAGMENT_NAMES"):
        Fragment("fragments/kn/home.html", {"artikel": []})



def test_after_content_template_passes_every_fragment_name():
    """fragments/kn/after-content.html hands exactly FRAGMENT_NAMES to each fragment."""
    text = (OVERRIDES / "fragments" / "kn" / "after-content.html").read_text(encoding="utf-8")
    passed = re.findall(r"""(\w+)\s*=\s*fragment\.context\[["'](\w+)["']\]""", text)
    assert all(name == key for name, key in passed)
    assert sorted(name for name, _ in passed) == sorted(FRAGMENT_NAMES)


def test_after_content_renders_each_fragment_as_rendering_it_alone():
    """The page template's include gives the same HTML as rendering each
    fragment on its own (as the build did before, gluing it onto page.content)."""
    import datetime
    import types

    import material
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader([str(OVERRIDES), str(Path(material.__file__).parent / "templates")]))
    env.filters["url"] = lambda value: f"../{value}"
    env.filters["datum_de"] = lambda value: value.strftime("%d.%m.%Y")
    env.filters["kn_reading"] = lambda article: types.SimpleNamespace(words=600, minutes=3)
    article = types.SimpleNamespace(url="reihe/a/", title="Ä & <b>", date=datetime.date(2026, 11, 20), draft=False,
                                    description="Ein „Satz“.", pinned=False)
    tag = types.SimpleNamespace(name="Netzwerk", url="tags/netzwerk/", description="", src_uri="tags/netzwerk.md",
                                articles=[article])
    fragments = [
        Fragment("fragments/kn/tag-index.html", {"tags": [tag]}),
        Fragment("fragments/kn/tag-page.html", {"tag": tag, "pager": None, "articles": [article]}),
        Fragment("fragments/kn/archive.html", {"years": [(2026, [article])], "total": 1}),
        Fragment("fragments/kn/checklist-used-by.html", {"articles": [article]}),
    ]
    page = types.SimpleNamespace(meta={"kn": PageView(after_content=fragments)}, url="x/")
    alone = "".join(env.get_template(f.template).render(page=page, base_url="..", **f.context) for f in fragments)
    assert "Netzwerk" in alone and "2026" in alone and "gehört zu" in alone
    assert env.get_template("fragments/kn/after-content.html").render(page=page, base_url="..") == alone


def test_every_site_global_and_filter_is_documented_in_the_view_module():
    """Per-site values stay Jinja globals and filters, listed in one place:
    the docstring of hooks/kn/view.py."""
    import kn.view

    doc = kn.view.__doc__ or ""
    set_here = re.compile(r"""env\.(?:globals|filters)\[["'](\w+)["']\]""")
    names = {name for p in (ROOT / "hooks").rglob("*.py") for name in set_here.findall(p.read_text(encoding="utf-8"))}
    assert {"kn_stand", "kn_checklist_pdfs", "kn_nbsp"} <= names
    assert not [name for name in names if f"`{name}`" not in doc]
