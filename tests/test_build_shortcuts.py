"""The build's shortcuts change nothing but its speed: the no-break-space rules
skip texts they cannot match, the feeds' full texts are made only for the
articles a feed shows, the foreign-resource check skips pages without a
loading element, compiled templates come from .cache/templates/ (and a changed
template is compiled again), and a build forked from the tests' preloaded
Python (tools/buildserver.py) is the same as one in a new process."""

from __future__ import annotations

import dataclasses
import datetime
import random
import subprocess
import sys

import pytest

from conftest import Project
from kn import registry
from kn.derive.reader import FEED_SIZE, in_feeds
from kn.markdown import embeds
from kn.markdown.typography import NBSP_RULES, nbsp
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
@pytest.mark.parametrize("html", [
    *(f'<{tag} {attributes[0]}="https://fremd.example/x">' for tag, attributes in embeds.SOURCE_ATTRIBUTES.items()
      if tag != "link"),
    '<LINK REL="stylesheet" HREF="https://fremd.example/x.css">',
    '<IMG SRC="https://fremd.example/x.png">',
    '<p STYLE="background: url(https://fremd.example/x.png)">Text</p>',
    "<style>@import 'https://fremd.example/x.css';</style>",
])
def test_foreign_resource_shortcut_still_finds_every_kind(html):
    assert embeds.may_load(html)
    assert embeds.foreign_resources(html), html


@pytest.mark.unit
@pytest.mark.parametrize("html", [
    '<input type="image" SRC="https://fremd.example/x.png">',
    '<input/src="https://fremd.example/x.png">',
    """<input title='a > b' src="https://fremd.example/x.png">""",
])
def test_an_input_with_a_source_is_parsed(html):
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
        search.Indexer()


@pytest.mark.unit
def test_an_error_of_pagefind_is_reported_in_german(tmp_path):
    from mkdocs.exceptions import PluginError

    from kn.publish import search

    indexer = search.Indexer()
    indexer.add("a/index.html", '<html lang="de"><body><main data-pagefind-body><h1>A</h1><p>Text</p></main></body></html>')
    indexer._index_id = 999  # an index the service does not know
    indexer.add("b/index.html", "<html><body><main data-pagefind-body>B</main></body></html>")
    with pytest.raises(PluginError, match=r"Suchindex: Pagefind ist fehlgeschlagen"):
        indexer.write(tmp_path / "pagefind")
    assert indexer._process.poll() is not None  # the service has ended


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
