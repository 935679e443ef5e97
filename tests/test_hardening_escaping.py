"""Issue #30, first part: every value a template prints is escaped for its
context, every page under docs/ goes through the schema of its kind, and the
CSP hashes only the inline scripts we ship (in `mkdocs build` and in
`mkdocs serve`). Pure checks as unit tests; one build proves the wiring."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import types
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kn.registry import Reading

pytestmark = pytest.mark.unit

SERIES = "kooperation-netzwerke"
HOSTILE = '"><script>window.__kn=1</script><img src=x onerror=alert(1)>'
MATERIAL_SCOPE = (
    '__md_scope=new URL("{base}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}catch(e){{}}}}'
)


def digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def script_src(policy_html: str) -> list[str]:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', policy_html).group(1)
    return next(part.split()[1:] for part in policy.split(";") if part.split()[0] == "script-src")


# -----------------------------------------------------------------------------
# CSP: only shipped scripts get a hash
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("base", [".", "..", "../..", "/kooperation-netzwerke/"])
def test_material_scope_script_is_shipped_for_every_base(base):
    from kn.csp import is_shipped

    assert is_shipped(MATERIAL_SCOPE.format(base=base))


@pytest.mark.parametrize("script", [
    "alert(1)",
    "",
    MATERIAL_SCOPE.format(base='",location),alert(1),("'),
    MATERIAL_SCOPE.format(base=".") + ";alert(1)",
    "var target=document.getElementById(location.hash.slice(1));alert(1)",
])
def test_scripts_not_in_our_templates_are_not_shipped(script):
    from kn.csp import is_shipped

    assert not is_shipped(script)


def test_injected_head_and_nav_scripts_get_no_hash():
    from kn.csp import add_policy

    shipped = MATERIAL_SCOPE.format(base="..")
    page = (
        f'<html><head><meta charset="utf-8"><script>{shipped}</script><script>window.__head=1</script></head>'
        '<body><nav class="md-nav"><script>window.__nav=1</script></nav><p>Text</p></body></html>'
    )
    sources = script_src(add_policy(page, "<p>Text</p>"))
    assert digest(shipped) in sources
    assert digest("window.__head=1") not in sources and digest("window.__nav=1") not in sources
    assert "'unsafe-inline'" not in sources


def test_preview_allows_only_the_live_reload_script_by_nonce():
    from mkdocs.livereload import LiveReloadServer

    from kn.csp import add_policy
    from kn.security import nonce_live_reload

    server = types.SimpleNamespace()
    server._inject_js_into_html = functools.partial(LiveReloadServer._inject_js_into_html, server)
    nonce_live_reload(server, "N0nce")
    nonce_live_reload(server, "N0nce")  # a rebuild under `mkdocs serve` wraps it once
    page = b'<html><head><meta charset="utf-8"></head><body><p>x</p><script>window.__content=1</script></body></html>'
    served = server._inject_js_into_html(page, 1).decode()
    assert served.count('<script nonce="N0nce">') == 1 and "livereload(" in served
    assert "<script>window.__content=1</script>" in served  # no nonce for what was there
    sources = script_src(add_policy(page.decode(), nonce="N0nce"))
    assert "'nonce-N0nce'" in sources and "'unsafe-inline'" not in sources


# -----------------------------------------------------------------------------
# Templates escape what they print, for its context
# -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env():
    import material
    from jinja2 import Environment, FileSystemLoader
    from mkdocs.utils.templates import url_filter

    from conftest import ROOT

    loader = FileSystemLoader([str(ROOT / "overrides"), str(Path(material.__file__).parent / "templates")])
    environment = Environment(loader=loader, autoescape=False)
    environment.filters["url"] = url_filter
    environment.filters["datum_de"] = str
    environment.filters["kn_moment"] = lambda value: value
    environment.filters["kn_reading"] = lambda _article: Reading(words=200, minutes=1)  # a number, never text
    return environment


def fake_page(**fields):
    """A page whose view (hooks/kn/view.py, page.meta["kn"]) has `fields`."""
    from kn.view import PageView

    return types.SimpleNamespace(meta={"kn": PageView(**fields)}, edit_url=HOSTILE, url="serie/artikel/", title="Titel", content="")


def assert_inert(html: str) -> None:
    """No element or attribute came out of HOSTILE (our own <script src> may stay)."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            assert "<" not in (script.string or ""), html  # cannot end the element
        else:
            assert script.get("src") and not script.string, html  # our own file, nothing inline
    assert not soup.find_all(attrs={"onerror": True}), html


def test_edit_link_escapes_the_edit_url(env):
    html = env.get_template("partials/actions.html").render(page=fake_page(article=True), features=[], base_url=".")
    assert_inert(html)
    assert BeautifulSoup(html, "html.parser").a["href"] == HOSTILE


def test_avatars_are_escaped_in_header_and_footer(env):
    import datetime

    author = types.SimpleNamespace(id="x", name=HOSTILE, bio=HOSTILE, avatar=f"bilder/{HOSTILE}.png")
    article_ = types.SimpleNamespace(
        draft=False, published=None, date=datetime.date(2026, 11, 20), updated=None,
        comment_count=0, teaser=False, description=HOSTILE, moment=lambda: 0,
    )
    page = fake_page(article=article_, authors=[author], position=None)
    for name in ("fragments/kn/article-header.html", "fragments/kn/article-footer.html"):
        html = env.get_template(name).render(page=page, base_url=".")
        assert_inert(html)
        assert all(HOSTILE in img["src"] for img in BeautifulSoup(html, "html.parser").find_all("img")), name


def test_imported_series_title_is_text_in_the_overview():
    from tools.importer.plan import series_index_text

    body = series_index_text(HOSTILE).split("---\n", 2)[2]
    assert "<script>" not in body and "&lt;script&gt;" in body


# -----------------------------------------------------------------------------
# One schema per kind of page
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("src", "kind"), [
    ("index.md", "start"), ("impressum.md", "page"), (f"{SERIES}/index.md", "series"),
    (f"{SERIES}/x.md", "article"), ("checklisten/index.md", "listing"), ("tags/index.md", "listing"),
    ("checklisten/partner.md", "checklist"), (f"{SERIES}/seiten/ueber-uns.md", "series-page"),
    (f"{SERIES}/seiten/alt/x.md", None), ("checklisten/seiten/x.md", None),
    (f"{SERIES}/2024/x.md", None), ("bilder/x.md", None), ("assets/x.md", None), ("tags/neu.md", "listing"),
    ("checklisten/alt/x.md", None), ("seite/2.md", "listing"), ("archiv/index.md", "listing"),
])
def test_page_kind(src, kind):
    from kn.schema import page_kind

    found, reason = page_kind(src)
    assert found == kind
    assert (reason is None) == (kind is not None)
    if reason:
        assert "docs/" in reason


def test_page_folders_are_the_reserved_folders():
    from kn.read.articles import RESERVED
    from kn.schema import FILE_FOLDERS, PAGE_FOLDERS

    assert set(RESERVED) == set(PAGE_FOLDERS) | set(FILE_FOLDERS)


@pytest.mark.parametrize("kind", ["start", "page", "series", "listing", "checklist", "series-page"])
@pytest.mark.parametrize("key", ["subtitle", "status", "author", "icon", "hide", "search", "robots", "location"])
def test_material_keys_are_refused_on_every_kind(kind, key):
    from kn.schema import validate_page

    problems = validate_page("x.md", kind, {key: HOSTILE})
    assert len(problems) == 1 and f"Feld '{key}'" in problems[0] and "Erlaubt sind" in problems[0]


@pytest.mark.parametrize(("kind", "value", "ok"), [
    ("start", "home.html", True), ("page", "impressum.html", True),
    ("start", "impressum.html", False), ("page", "redirect.html", False), ("series", "home.html", False),
    ("page", "../../etc/passwd", False), ("start", None, False), ("start", ["home.html"], False),
])
def test_template_is_limited_to_the_documented_list(kind, value, ok):
    from kn.schema import validate_page

    problems = validate_page("x.md", kind, {"template": value})
    assert (problems == []) == ok
    if not ok:
        assert "Feld 'template'" in problems[0] and "keine Vorlage dieser Website" in problems[0]


@pytest.mark.parametrize("key", [True, None, 3])
def test_keys_that_are_no_names_are_refused(key):
    from kn.schema import validate_page

    problems = validate_page("x.md", "page", {key: "x"})
    assert len(problems) == 1 and "kein Feldname" in problems[0]


def test_title_of_other_pages_must_be_text():
    from kn.schema import validate_page

    assert validate_page("x.md", "series", {"title": {"a": 1}})
    assert validate_page("x.md", "series", {"title": "Q&A <b>", "description": "Ein Satz."}) == []


# -----------------------------------------------------------------------------
# Every template of ours, with a hostile value in every field it reads
# -----------------------------------------------------------------------------


class Hostile:
    """A value that is HOSTILE as text and again HOSTILE in every field, item,
    call and one-element iteration: whatever a template reads from it."""

    def __init__(self, depth: int = 0) -> None:
        self.depth = depth

    def __str__(self) -> str:
        return HOSTILE

    def __getattr__(self, name: str) -> Hostile:
        if not isinstance(name, str):  # an index or a slice: value[0], value[:-3]
            return Hostile(self.depth + 1)
        if name.startswith("__"):
            raise AttributeError(name)
        if name in HTML_BY_DESIGN:
            return ""
        if name == "isoformat":  # dates are validated by the hooks, never text
            return lambda: "2026-11-20"
        if name in NUMBERS:
            return 3
        if name in COMPUTED:
            return COMPUTED[name]()
        return Hostile(self.depth + 1)

    __getitem__ = __getattr__

    def __call__(self, *args, **kwargs) -> Hostile:
        return Hostile(self.depth + 1)

    def __iter__(self):
        return iter([Hostile(self.depth + 1)] if self.depth < 4 else [])

    def __len__(self) -> int:
        return 1

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other) -> bool:
        return False

    __lt__ = __gt__ = __le__ = __ge__ = __eq__
    __hash__ = object.__hash__


# Values that are HTML by design, made safe where they are computed.
HTML_BY_DESIGN = {
    "content": "the page's own HTML (checked by the leash, sanitize.active_html)",
    "data": "JSON-LD from structured_data.py with < > & as \\u escapes",
    "mark": "a fixed <span> of impressum.html",
    "html": "HTML rendered by the hooks (comments through nh3)",
    "copyright": "mkdocs.yml: HTML by Material's design, written by the site's owner, not a pull request's author",
    "admonition": "the checklist's HTML, rendered from its Markdown (checked by the leash)",
    "css": "docs/assets/kn.css in the checklist PDF's <style>: the site's own stylesheet, CSS by design",
}
# Fields the hooks compute as whole numbers.
NUMBERS = {
    "number", "total", "reading_minutes", "comment_count", "width", "height", "words",
    "count", "offset",  # paging.Pager: pages of the list, articles before this page
    "minutes",  # registry.Reading: the reading time of a rendered article
}
# Fields the hooks compute from constants or escape themselves, as they do.
COMPUTED = {
    "icon": lambda: "fontawesome/solid/link",  # share.py: one of its fixed icons
    "jsonld": lambda:  # the page view's JSON-LD texts
        [__import__("kn.render.structured_data", fromlist=["script_json"]).script_json({"name": HOSTILE})],
    # view.after_content: templates the hooks choose, each with a hostile context
    "after_content": lambda: [types.SimpleNamespace(template=name, context=Hostile()) for name in (
        "fragments/kn/home.html", "fragments/kn/tag-page.html", "fragments/kn/checklist-used-by.html")],
}
# Context values of a given shape, as the hooks pass them: pairs are unpacked
# (`for a, b in ...`), which a one-element Hostile iteration cannot be.
SHAPED = {
    # listings.archive_years: (year as a whole number, its articles)
    "years": lambda: [(2026, [Hostile(1)])],
    # checklist_pdf.document: font weight -> font file (a file URI there)
    "fonts": lambda: {400: Hostile()},
}
FRAGMENTS = sorted(
    p.relative_to(Path(__file__).resolve().parent.parent / "overrides").as_posix()
    for p in (Path(__file__).resolve().parent.parent / "overrides" / "fragments" / "kn").glob("*.html")
) + ["partials/tags.html", "partials/comments.html", "partials/copyright.html", "partials/actions.html"]


def fields_read(env, name: str, seen: set[str] | None = None) -> set[str]:
    """The context variables `name` reads, and those of the fragments it includes
    (they see its context): every one of them gets a hostile value."""
    from jinja2 import meta

    seen = set() if seen is None else seen
    seen.add(name)
    ast = env.parse(env.loader.get_source(env, name)[0])
    names = set(meta.find_undeclared_variables(ast))
    for included in meta.find_referenced_templates(ast):
        if included and included.startswith("fragments/kn/") and included not in seen:
            names |= fields_read(env, included, seen)
    return names


@pytest.mark.parametrize("name", FRAGMENTS)
def test_fragment_escapes_every_field_it_reads(env, name):
    env = env.overlay()
    env.filters["url"] = str  # Material's `url` filter does not escape either
    env.filters["datum_de"] = lambda value: "20. November 2026"  # of validated dates only

    names = fields_read(env, name)
    context = {key: 3 if key in NUMBERS else SHAPED.get(key, Hostile)() for key in names if key not in HTML_BY_DESIGN}
    context.update({key: "" for key in names if key in HTML_BY_DESIGN})
    env.filters.setdefault("tojson", lambda value: "{}")
    html = env.get_template(name).render(**context)
    assert_inert(html)
    assert "<img src=x" not in html, name
