"""The build's shortcuts change nothing but its speed: the no-break-space rules
skip texts they cannot match, the feeds' full texts are made only for the
articles a feed shows, the foreign-resource check skips pages without a
loading element, compiled templates come from .cache/templates/ (and a changed
template is compiled again), the search index of unchanged pages comes from
.cache/search/, the navigation of the pages outside it is rendered once per
build, and a build forked from the tests' preloaded Python
(tools/buildserver.py) is the same as one in a new process."""

from __future__ import annotations

import dataclasses
import datetime
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Project
from kn import registry
from kn.derive.reader import FEED_SIZE, in_feeds
from kn.markdown import embeds
from kn.markdown.typography import _ABBREVIATIONS, NBSP_RULES, nbsp
from kn.publish import search
from kn.registry import Article, Tag
from tools import localsite

# -----------------------------------------------------------------------------
# Unit: the shortcuts against the long way
# -----------------------------------------------------------------------------

PIECES = ["§", "§§", "Art.", "Abs.", "Nr.", "Satz", "S.", "lit.", "f", "ff.", "SGB", "VI", "10", "5", "13.",
          "November", "%", "Euro", "km", "z.", "B.", "d.", "h.", "i.", "R.", "e.", "Kfr.", "Wort", "ein", "Text", "2026"]


def nbsp_every_rule(text: str) -> str:
    """`nbsp` without its shortcut: every rule on every text."""
    if " " not in text:
        return text
    for _needs, pattern, repl in NBSP_RULES:
        text = pattern.sub(repl, text)
    return text


@pytest.mark.unit
def test_nbsp_shortcut_gives_what_every_rule_gives():
    rng = random.Random(7)
    texts = [" ".join(rng.choices(PIECES, k=rng.randint(1, 9))) for _ in range(3000)]
    texts += ["z. B. am 13. November", "§ 5 Abs. 2 Satz 1", "lit. f", "SGB VI", "10 % und 5 km", "ohne alles"]
    for text in texts:
        assert nbsp(text) == nbsp_every_rule(text), text


@pytest.mark.unit
def test_abbreviation_rule_matches_where_the_plain_pattern_matches():
    # The rule checks "no letter before" after the first letter (so the regex
    # engine can skip other characters); the plain pattern checks it first.
    plain = re.compile("|".join(r"(?<![^\W\d_])" + re.escape(a) for a in _ABBREVIATIONS))
    rule = NBSP_RULES[-1][1]
    rng = random.Random(11)
    pieces = [*_ABBREVIATIONS, "xz. B.", "_d. h.", "3u. a.", "Ä", "ö", " ", "Wort", ".", "-", "(", "„"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 12))) for _ in range(5000)]
    for text in texts:
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.unit
@pytest.mark.parametrize("html", [
    *(f'<{tag} {attributes[0]}="https://fremd.example/x">' for tag, attributes in embeds.SOURCE_ATTRIBUTES.items()
      if tag != "link"),
    '<LINK REL="stylesheet" HREF="https://fremd.example/x.css">',
    '<IMG SRC="https://fremd.example/x.png">',
    '<p STYLE="background: url(https://fremd.example/x.png)">Text</p>',
    "<style>@import 'https://fremd.example/x.css';</style>",
    # An <input> with a source is parsed.
    '<input type="image" SRC="https://fremd.example/x.png">',
    '<input/src="https://fremd.example/x.png">',
    """<input title='a > b' src="https://fremd.example/x.png">""",
])
def test_foreign_resource_shortcut_still_finds_every_kind(html):
    assert embeds.may_load(html)
    assert embeds.foreign_resources(html), html


@pytest.mark.unit
def test_an_input_tag_with_a_stray_quote_is_left_to_the_parser():
    assert embeds.may_load('<input type="checkbox" title="x src=https://fremd.example/x.png>')


@pytest.mark.unit
def test_foreign_resource_shortcut_skips_plain_text_and_checklist_pages():
    assert not embeds.may_load('<h2 id="a">Titel</h2><p>Text mit <a href="https://x.example/">Link</a>.</p>')
    assert not embeds.may_load('<ul class="task-list"><li><label><input type="checkbox" disabled> Punkt</label></li></ul>')


def _article(number: int, tags: tuple[str, ...], draft: bool = False) -> Article:
    return Article(src_uri=f"s/a{number}.md", url=f"s/a{number}/", series="s", title=f"A{number}", description="",
                   date=datetime.date(2026, 1, 1) - datetime.timedelta(days=number), body="", tags=tags, draft=draft)


@pytest.mark.unit
def test_full_texts_only_for_the_articles_a_feed_shows():
    articles = [_article(n, ("Alle",) + (("Selten",) if n >= 40 else ()), draft=(n == 0)) for n in range(50)]
    site = registry.Site()
    site.articles = articles
    site.tags = {
        "Alle": Tag("Alle", "alle", "", "tags/alle.md", "tags/alle/", tuple(articles)),
        "Selten": Tag("Selten", "selten", "", "tags/selten.md", "tags/selten/", tuple(articles[40:])),
    }
    shown = in_feeds(site)
    newest = {a.src_uri for a in articles[1:FEED_SIZE + 1]}  # the draft is in no feed
    assert shown == newest | {a.src_uri for a in articles[40:]}
    assert articles[0].src_uri not in shown and articles[30].src_uri not in shown


# -----------------------------------------------------------------------------
# Build: compiled templates, the preloaded build
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(tmp_path):
    project = Project(tmp_path / "project")
    result, site = project.build(shared_cache=False)
    assert result.returncode == 0, site.output
    cache = project.root / ".cache" / "templates"
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) > 20  # the theme's and ours
    project.replace("overrides/main.html", "{% block content %}", "{% block content %}<!-- kn-probe-geaendert -->")
    result, site = project.build(shared_cache=False)
    assert result.returncode == 0, site.output
    assert "kn-probe-geaendert" in site.path("").read_text(encoding="utf-8")
    assert sorted(p.name for p in cache.iterdir()) == kept  # the same entries, one of them compiled again


@pytest.mark.build
def test_a_build_from_the_preloaded_python_is_the_same_as_a_new_process(tmp_path):
    project = Project(tmp_path / "project")
    project.write("docs/kooperation-netzwerke/kaputt.md", "---\ntitle: Kaputt\n---\n\nText.\n")
    server = localsite.BuildServer()
    try:
        forked = server.run(["build", "--strict", "-d", str(tmp_path / "a")], cwd=project.root,
                            env=localsite.build_env(project.root), timeout=120)
    finally:
        server.close()
    fresh = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "b")],
                           cwd=project.root, env=localsite.build_env(project.root), capture_output=True, text=True,
                           timeout=120)
    assert forked.returncode == fresh.returncode == 1
    assert "kaputt.md" in forked.stdout + forked.stderr

    def lines(output: str) -> list[str]:  # without the timing line
        return [line for line in output.splitlines() if "seconds" not in line and str(tmp_path) not in line]

    assert lines(forked.stdout + forked.stderr) == lines(fresh.stdout + fresh.stderr)


THEME_FILES = """
import sys
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from tools import buildserver

def theme_files():
    config = load_config(sys.argv[1])
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(f.src_uri, f.abs_src_path) for f in files]

before = theme_files()
buildserver.list_installed_templates_once()
after = theme_files()
open(sys.argv[2], "w").write("c {}")  # the project's folder changes between two builds
later = theme_files()
print(len(before), before == after, "kn-eigen.css" in dict(after), "kn-neu.css" in dict(later))
"""


@pytest.mark.build
def test_the_theme_files_listed_once_are_the_ones_mkdocs_lists_in_every_build(tmp_path):
    # Material's folder from the server's one listing, a project's own folder (with a
    # file of its own and a dot folder) from a new one in every build: what MkDocs
    # copies stays the same.
    (tmp_path / "overrides" / ".versteckt").mkdir(parents=True)
    (tmp_path / "overrides" / ".versteckt" / "a.css").write_text("a {}", encoding="utf-8")
    (tmp_path / "overrides" / "kn-eigen.css").write_text("b {}", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Probe\ntheme:\n  name: material\n  custom_dir: overrides\n",
                                         encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", THEME_FILES, str(tmp_path / "mkdocs.yml"),
                             str(tmp_path / "overrides" / "kn-neu.css")], cwd=localsite.ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count, same, own, new = result.stdout.split()
    assert int(count) > 20 and same == own == new == "True"


# -----------------------------------------------------------------------------
# The search index: fed page by page to Pagefind's service, the same as its
# command line makes of the written pages
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_index_fed_page_by_page_is_the_one_pagefind_makes_of_the_written_site(site, tmp_path):
    from kn.publish.search import EXCLUDE, LANGUAGE, executable, for_index, index_pages

    staged = tmp_path / "seiten"
    for path in site.root.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "pagefind" not in path.relative_to(site.root).parts[:1] and "data-pagefind-body" in html:
            copy = staged / path.relative_to(site.root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(for_index(html), encoding="utf-8")
    result = subprocess.run([executable(), "--site", str(staged), "--output-path", str(tmp_path / "index"),
                             "--force-language", LANGUAGE, "--exclude-selectors", ", ".join(EXCLUDE)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    fed, written = index_pages(site.root / "pagefind"), index_pages(tmp_path / "index")
    assert len(fed) > 10
    assert fed == written


@pytest.mark.unit
def test_failing_pagefind_stops_the_build_with_a_german_message(monkeypatch):
    from mkdocs.exceptions import PluginError

    from kn.publish import search

    monkeypatch.setattr(search, "executable", lambda: "/bin/false")
    with pytest.raises(PluginError, match=r"Suchindex: Pagefind ist fehlgeschlagen \(Rückgabewert 1\)"):
        search.Service()


@pytest.mark.unit
def test_an_error_of_pagefind_is_reported_in_german(tmp_path):
    from mkdocs.exceptions import PluginError

    from kn.publish import search

    indexer = search.Indexer(tmp_path / "cache")
    indexer.add("a/index.html", '<html lang="de"><body><main data-pagefind-body><h1>A</h1><p>Text</p></main></body></html>')
    service = indexer._service
    assert service is not None  # no last build: indexed from the first page
    service._index_id = 999  # an index the service does not know
    indexer.add("b/index.html", "<html><body><main data-pagefind-body>B</main></body></html>")
    with pytest.raises(PluginError, match=r"Suchindex: Pagefind ist fehlgeschlagen"):
        indexer.write(tmp_path / "pagefind")
    assert service._process.poll() is not None  # the service has ended
    assert not (tmp_path / "cache").exists()  # nothing kept of a failed index


PAGE = '<html lang="de"><body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>'
PAGES = [(f"reihe/teil-{n}/index.html", PAGE.format(title=f"Teil {n}", text=f"Vertrag und Absprache {n}"))
         for n in range(5)]


def _index(cache: Path, bundle: Path, pages: list[tuple[str, str]], sources: str = "gleich") -> search.Indexer:
    indexer = search.Indexer(cache, sources)
    for path, html in pages:
        indexer.add(path, html)
    assert indexer.write(bundle) == len(pages)
    return indexer


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.mark.unit
def test_search_index_of_unchanged_pages_comes_from_the_last_build(tmp_path):
    cache = tmp_path / "cache"
    first = _index(cache, tmp_path / "a", PAGES)
    assert not first.from_cache
    assert sorted(p.name for p in cache.iterdir()) == sorted([search._key(first._digests), search.LAST_BUILD])
    second = search.Indexer(cache, "gleich")
    for path, html in PAGES:
        second.add(path, html)
        assert second._service is None  # nothing indexed: every page so far as in the last build
    assert second.write(tmp_path / "b") == len(PAGES) and second.from_cache
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    assert search.ENTRY_FILE in _files(tmp_path / "b") and "pagefind.js" in _files(tmp_path / "b")


@pytest.mark.unit
def test_with_changed_sources_pagefind_reads_from_the_first_page(tmp_path):
    cache = tmp_path / "cache"
    _index(cache, tmp_path / "a", PAGES)
    changed = search.Indexer(cache, "anders")  # e.g. an article edited: its pages will differ
    changed.add(*PAGES[0])
    assert changed._service is not None  # reading on a second core while MkDocs renders the rest
    for page in PAGES[1:]:
        changed.add(*page)
    assert changed.write(tmp_path / "b") == len(PAGES) and not changed.from_cache
    assert search.index_pages(tmp_path / "b") == search.index_pages(tmp_path / "a")
    assert _index(cache, tmp_path / "c", PAGES, sources="anders").from_cache  # kept with the new sources


@pytest.mark.build
def test_sources_digest_follows_content_templates_and_code(tmp_path):
    from mkdocs.config import load_config

    project = Project(tmp_path / "project")

    def digest() -> str:
        return search.sources_digest(load_config(str(project.root / "mkdocs.yml"), hooks=[]))

    first = digest()
    assert digest() == first
    for relpath in ("docs/index.md", "data/tags.yml", "overrides/main.html", "hooks/kn/text.py", "mkdocs.yml"):
        project.write(relpath, project.read(relpath) + "\n")
        assert digest() != first, relpath
        first = digest()


@pytest.mark.unit
@pytest.mark.parametrize("change", ["text", "order", "one_more", "one_less", "address"])
def test_search_index_is_made_anew_when_a_page_changed(tmp_path, change):
    cache = tmp_path / "cache"
    _index(cache, tmp_path / "a", PAGES)
    pages = {
        "text": [*PAGES[:2], (PAGES[2][0], PAGE.format(title="Teil 2", text="Kündigungsfrist")), *PAGES[3:]],
        "order": [PAGES[1], PAGES[0], *PAGES[2:]],
        "one_more": [*PAGES, ("reihe/teil-9/index.html", PAGE.format(title="Teil 9", text="Kündigungsfrist"))],
        "one_less": PAGES[:-1],
        "address": [*PAGES[:-1], ("reihe/umbenannt/index.html", PAGES[-1][1])],
    }[change]
    again = _index(cache, tmp_path / "b", pages)
    assert not again.from_cache
    indexed = search.index_pages(tmp_path / "b")
    assert sorted(page["url"] for page in indexed) == sorted("/" + path.removesuffix("index.html") for path, _ in pages)
    if change in ("text", "one_more"):
        assert any("Kündigungsfrist" in page["content"] for page in indexed)
    # The cache now holds this index, and only this one.
    assert sorted(p.name for p in cache.iterdir()) == sorted([search._key(again._digests), search.LAST_BUILD])
    assert _index(cache, tmp_path / "c", pages).from_cache


@pytest.mark.unit
@pytest.mark.parametrize("damage", ["entry_file", "last_build", "no_cache_folder"])
def test_a_damaged_search_cache_means_indexing_anew(tmp_path, damage):
    cache = tmp_path / "cache"
    first = _index(cache, tmp_path / "a", PAGES)
    if damage == "entry_file":
        (cache / search._key(first._digests) / search.ENTRY_FILE).unlink()
    elif damage == "last_build":
        (cache / search.LAST_BUILD).write_text("{kaputt", encoding="utf-8")
    else:
        import shutil

        shutil.rmtree(cache)
        cache.write_text("eine Datei, kein Ordner", encoding="utf-8")  # the cache cannot be written
    again = _index(cache, tmp_path / "b", PAGES)
    assert not again.from_cache
    assert len(search.index_pages(tmp_path / "b")) == len(PAGES)


@pytest.mark.build
def test_a_second_build_takes_the_search_index_from_the_cache_and_a_changed_article_is_indexed(tmp_path):
    project = Project(tmp_path / "project")
    result, site = project.build(shared_cache=False)
    assert result.returncode == 0, site.output
    assert re.search(r"Suchindex \(Pagefind\): \d+ Seiten, geschrieben", site.output)
    first = search.index_pages(site.root / "pagefind")
    result, site = project.build(shared_cache=False)
    assert result.returncode == 0, site.output
    assert re.search(r"Suchindex \(Pagefind\): \d+ Seiten, aus dem Zwischenspeicher", site.output)
    assert search.index_pages(site.root / "pagefind") == first
    article = next(p for p in sorted((project.root / "docs").rglob("*.md")) if "\ndate:" in p.read_text(encoding="utf-8"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Absatz über Zwischenspeicherprobe.\n", encoding="utf-8")
    result, site = project.build(shared_cache=False)
    assert result.returncode == 0, site.output
    assert re.search(r"Suchindex \(Pagefind\): \d+ Seiten, geschrieben", site.output)
    indexed = search.index_pages(site.root / "pagefind")
    assert len(indexed) == len(first)
    assert any("Zwischenspeicherprobe" in page["content"] for page in indexed)


# -----------------------------------------------------------------------------
# The navigation of the pages outside it, rendered once per build
# -----------------------------------------------------------------------------


@pytest.mark.unit
def test_material_navigation_copy_is_materials_template():
    import material

    theirs = Path(material.__file__).parent / "templates" / "partials" / "nav.html"
    ours = localsite.ROOT / "overrides" / "partials" / "material-nav.html"
    header, _, copy = ours.read_text(encoding="utf-8").partition("\n")
    assert header.startswith("{#- Copied from Material for MkDocs ") and header.endswith("-#}")
    assert copy == theirs.read_text(encoding="utf-8"), (
        "overrides/partials/material-nav.html: Material hat partials/nav.html geändert; bitte neu kopieren")


@pytest.mark.build
def test_navigation_rendered_once_gives_every_page_what_material_gives(site, tmp_path):
    # The same site, built without hooks/kn/render/navigation.py: Material
    # renders the navigation of every page itself.
    project = Project(tmp_path / "project")
    config = project.root / "mkdocs.yml"
    entry = localsite.entry_without(project.root, "ohne_navigation", "kn.render.navigation", ("on_env",))
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/main.py\n", entry), encoding="utf-8")
    result, plain = project.build()
    assert result.returncode == 0, plain.output
    pages = sorted(p.relative_to(site.root) for p in site.root.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 20
    assert pages == sorted(p.relative_to(plain.root) for p in plain.root.rglob("*.html") if "pagefind" not in p.parts)
    outside = 0
    for page in pages:
        ours, theirs = (site.root / page).read_text(encoding="utf-8"), (plain.root / page).read_text(encoding="utf-8")
        assert ours == theirs, page
        outside += 'md-nav__link--active' not in ours and "md-nav--primary" in ours
    assert outside > 10  # most pages are outside the navigation: rendered once


@pytest.mark.unit
def test_series_position_is_looked_up_once_per_build_not_searched_per_article():
    from kn.derive.reader import series_position
    from kn.registry import Series

    parts = [_article(n, ()) for n in range(1000)]
    site = registry.Site()
    site.series = {"s": Series("s", "S", "s/index.md", "s/", tuple(parts)),
                   "b": Series("b", "B", "b/index.md", "b/", (), kind="blog")}
    position = series_position(site, parts[499])
    assert (position.number, position.total) == (500, 1000)
    assert position.previous is parts[498] and position.next is parts[500]
    assert series_position(site, parts[0]).previous is None and series_position(site, parts[-1]).next is None
    assert series_position(site, _article(2000, ())) is None  # not one of the parts
    assert series_position(site, dataclasses.replace(parts[0], series="b")) is None  # a blog has no numbered parts
