"""Comments per article: open, closed, off; archived comments; giscus only
after consent. HTML tests on the real site and on a fixture site built with a
fixed "today" (KN_HEUTE), negative fixtures, pure helpers, a real browser."""

from __future__ import annotations

import datetime

import pytest
import yaml

from conftest import ROOT, Project, article, assert_fails, copy_example_comments
from kn.comment_providers import giscus as giscus_provider
from kn.markdown import typography
from kn.read import comments

# The site's smarty settings (German quotation marks, set by hooks/kn/markdown/typography.py),
# which comments.on_files passes on.
SITE_SMARTY = typography.SMARTY_DE["smarty"]
CLOSED_NOTICE = "Kommentarfunktion für diesen Artikel geschlossen."
TODAY = "2026-12-01"
SERIES = "kooperation-netzwerke"
EVIL_TEXT = """\
Vorsicht <script>alert(1)</script> und <img src=x onerror=alert(1)>.

[Klick mich](javascript:alert(1)) und [auch das](&#106;avascript:alert(1)), aber [gut](https://example.org/).

![Bild](https://tracker.example/pixel.png)
"""

# -----------------------------------------------------------------------------
# A fixture site with one article per state, built with KN_HEUTE
# -----------------------------------------------------------------------------

STATES = {
    # name: (front-matter comments value, date, expected state)
    "test-offen": ("open", "2026-11-20", "open"),
    "test-geschlossen": ("closed", "2026-11-20", "closed"),
    "test-aus": ("off", "2026-11-20", "off"),
    "test-standard": (None, "2026-11-20", "open"),  # extra.comments.default: open
    "test-ja": ("true", "2026-11-20", "open"),
    "test-nein": ("false", "2026-11-20", "off"),
    "test-alt": ("open", "2025-11-30", "closed"),  # 366 days before TODAY
    "test-grenze": ("open", "2025-12-01", "open"),  # exactly 365 days: still open
}
COMMENTS = {
    "test-offen": f"""\
- author: Anna
  date: 2026-11-21
  text: Danke für den **Artikel**!
- author: <b>Mallory</b>
  date: 2026-11-22
  text: |
{''.join('    ' + line + chr(10) for line in EVIL_TEXT.splitlines())}
- author: Bernd
  date: 2026-11-23
  reply_to: 1
  text: Dem schließe ich mich an.
- author: Anna
  date: 2026-11-24
  reply_to: 3
  text: Danke, Bernd.
""",
    "test-geschlossen": "- author: Clara\n  date: 2026-11-21\n  text: Ein einziger Kommentar.\n",
    "test-aus": "- author: Dora\n  date: 2026-11-21\n  text: Nicht zu sehen.\n",
}


def use_giscus(project: Project) -> None:
    project.replace("mkdocs.yml", "provider: isso", "provider: giscus")


def write_state_articles(project: Project) -> None:
    for name, (value, date, _state) in STATES.items():
        project.write(f"docs/{SERIES}/{name}.md", article(f"Artikel {name}", comments=value, date=date))
    for name, text in COMMENTS.items():
        project.write(f"data/comments/{SERIES}/{name}.yml", text)


# Side by side in the fixture site (each read by its own test below): an open
# article of 2026-01-10, still open on TODAY and closed in `closed_site` (a later
# KN_HEUTE), and a draft with an archived comments file.
DATUM = f"{SERIES}/datum"
ENTWURF = f"{SERIES}/entwurf"
ENTRY = "- author: Eva\n  date: 2026-11-20\n  text: Hallo.\n"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("comments") / "project")
    use_giscus(project)  # this module tests the giscus provider; Isso: test_comments_isso*.py
    copy_example_comments(project.root)
    write_state_articles(project)
    project.write(f"docs/{DATUM}.md", article("Datum", comments="open", date="2026-01-10"))
    project.write(f"docs/{ENTWURF}.md", article("Entwurf", draft="true"))
    project.write(f"data/comments/{ENTWURF}.yml", ENTRY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KN_HEUTE", TODAY)
        result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


@pytest.fixture(scope="module")
def closed_site(tmp_path_factory):
    """One build of a giscus site without giscus settings, `default: closed` and
    every article of the test site closed; beside them an article without a
    `comments` field and DATUM (open, 2026-01-10), built on KN_HEUTE=2027-02-01.
    Returns (result, built): each test asserts the build itself."""
    project = Project(tmp_path_factory.mktemp("closed") / "project")
    use_giscus(project)
    text = project.read("mkdocs.yml")
    project.write("mkdocs.yml", text.split("    # giscus settings", 1)[0].replace("default: open", "default: closed"))
    for path in (project.root / "docs").glob("*/*.md"):  # every series
        path.write_text(path.read_text(encoding="utf-8").replace("comments: open", "comments: closed"), encoding="utf-8")
    project.write(f"docs/{SERIES}/ohne-feld.md", article("Ohne Feld", comments=None))
    project.write(f"docs/{DATUM}.md", article("Datum", comments="open", date="2026-01-10"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KN_HEUTE", "2027-02-01")
        return project.build()


def section(built, name):
    return built.page(f"{SERIES}/{name}/").select_one("article.md-content__inner section.kn-comments")


def has_third_party(node) -> bool:
    """A script, frame or image from another origin, or the giscus client."""
    for element in node.find_all(["script", "iframe", "img"]):
        url = element.get("src") or ""
        if url.startswith(("http:", "https:", "//")):
            return True
    return "giscus.app/client.js" in str(node)


# -----------------------------------------------------------------------------
# States
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(STATES))
def test_each_article_shows_its_effective_state(fixture_site, name):
    expected = STATES[name][2]
    comments_section = section(fixture_site, name)
    if expected == "off":
        assert comments_section is None
        assert not fixture_site.page(f"{SERIES}/{name}/").select("#kommentare, [data-kn-giscus]")
    elif expected == "closed":
        assert comments_section.select_one(".kn-comments__closed").get_text(strip=True) == CLOSED_NOTICE
        assert not comments_section.select("[data-kn-giscus], button, form, input")
    else:
        assert comments_section.select_one("[data-kn-giscus]") is not None
        assert CLOSED_NOTICE not in comments_section.get_text()


def test_closed_article_shows_closed_notice_and_nothing_from_a_third_party(site):
    # A closed article of the test site without archived comments.
    page = site.page("gemeinsam-wachsen/sonderzeichen/")
    comments_section = page.select_one("section.kn-comments")
    assert comments_section.select_one(".kn-comments__closed").get_text() == CLOSED_NOTICE
    # No archived comments: the section shows only the closed sentence.
    assert comments_section.get_text(" ", strip=True) == f"Kommentare {CLOSED_NOTICE}"
    assert not comments_section.select("form, button, input, iframe, [data-kn-giscus], [data-kn-isso]")
    assert not has_third_party(page)
    assert not page.select('script[src$="kn-comments-giscus.js"]')


def test_open_article_shows_consent_placeholder_without_giscus_script(fixture_site):
    giscus = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["comments"]["giscus"]
    page = fixture_site.page(f"{SERIES}/test-offen/")
    box = page.select_one("section.kn-comments [data-kn-giscus]")
    text = box.get_text(" ", strip=True)
    assert "giscus" in text and "GitHub" in text and "IP-Adresse" in text
    assert box.find("a", string="Datenschutzerklärung")["href"] == "../../datenschutz/"
    assert box.find("button", string="Kommentare laden")
    assert box.find("button", string="Zustimmung widerrufen")
    assert box.select_one("input[type=checkbox][data-kn-giscus-remember]")
    for key, attr in (("repo", "data-repo"), ("repo_id", "data-repo-id"), ("category", "data-category"),
                      ("category_id", "data-category-id"), ("mapping", "data-mapping")):
        assert box[attr] == giscus[key]
    assert not has_third_party(page)
    assert [s["src"] for s in page.select('script[src$="kn-comments-giscus.js"]')] == ["../../assets/kn-comments-giscus.js"]


def test_comments_heading_has_anchor_kommentare(fixture_site):
    heading = section(fixture_site, "test-offen").select_one("h2#kommentare")
    assert heading.get_text(strip=True) == "Kommentare"


def test_default_state_comes_from_config(closed_site):
    # `default: closed` (closed_site) for an article without a `comments` field.
    result, built = closed_site
    assert result.returncode == 0, result.stdout + result.stderr
    notice = built.page(f"{SERIES}/ohne-feld/").select_one(".kn-comments__closed")
    assert notice.get_text() == CLOSED_NOTICE


def test_auto_close_follows_injected_today(fixture_site, closed_site):
    # The same open article of 2026-01-10: open on KN_HEUTE=2026-12-01 (fixture_site),
    # closed on KN_HEUTE=2027-02-01 (closed_site).
    assert fixture_site.page(f"{DATUM}/").select_one("[data-kn-giscus], [data-kn-isso]")
    result, built = closed_site
    assert result.returncode == 0, result.stdout + result.stderr
    assert built.page(f"{DATUM}/").select_one(".kn-comments__closed").get_text() == CLOSED_NOTICE


def test_invalid_kn_heute_fails_the_build(broken_site):
    assert_problem(broken_site, "KN_HEUTE", "'2026-02-30'")


# -----------------------------------------------------------------------------
# Archived comments
# -----------------------------------------------------------------------------


def test_comments_appear_only_on_articles_with_an_archive_file(site):
    # The test site archives comments for two articles (tests/fixtures/comments/).
    archived = {f"{p.parent.name}/{p.stem}/index.html" for p in (ROOT / "tests" / "fixtures" / "comments").rglob("*.yml")}
    shown = {str(path.relative_to(site.root)) for path in site.html_pages()
             if site.page(str(path.relative_to(site.root))).select("li.kn-comment, .kn-article-meta__comments")}
    assert shown == archived


def test_archived_comments_show_author_german_date_and_text(fixture_site):
    comments_section = fixture_site.page(f"{SERIES}/vorsicht-bei-kooperationsangeboten/").select_one("section.kn-comments")
    first = comments_section.select_one("li.kn-comment")
    assert first.select_one(".kn-comment__author").get_text(strip=True) == "Beispielleserin S."
    assert first.time.get_text(strip=True) == "14. November 2026" and first.time["datetime"] == "2026-11-14"
    assert "Kundenliste" in first.select_one(".kn-comment__text").get_text()
    # Archived comments come before the closed notice.
    items = comments_section.find_all(["li", "p"], class_=["kn-comment", "kn-comments__closed"])
    assert "kn-comments__closed" in items[-1]["class"]


def test_replies_are_nested_under_the_answered_comment(fixture_site):
    top = section(fixture_site, "test-offen").select(".kn-comments__list:not(.kn-comments__list--replies) > li.kn-comment")
    assert [li["id"] for li in top] == ["kommentar-1", "kommentar-2"]
    reply = top[0].select_one(":scope > ol.kn-comments__list--replies > li#kommentar-3")
    assert reply and "Antwort an Anna" in reply.select_one(".kn-comment__reply").get_text(" ", strip=True)
    assert reply.select_one(":scope > ol.kn-comments__list--replies > li#kommentar-4")


def test_replies_are_indented(site):
    css = (site.root / "assets" / "kn.css").read_text(encoding="utf-8")
    block = css.split(".md-typeset .kn-comments__list--replies {", 1)[1].split("}", 1)[0]
    assert "margin: 0.8em 0 0 1.2em" in block and "border-left" in block


def test_comment_markup_is_escaped_and_links_neutralised(fixture_site):
    page = fixture_site.page(f"{SERIES}/test-offen/")
    evil = page.select_one("#kommentar-2")
    assert evil.select_one(".kn-comment__author").get_text() == "<b>Mallory</b>"
    assert not evil.select("b, script, img, iframe")
    text = evil.select_one(".kn-comment__text")
    assert "<script>alert(1)</script>" in text.get_text()
    assert "<img src=x onerror=alert(1)>" in text.get_text()
    assert not page.select("[onerror]")
    hrefs = [a.get("href") for a in text.find_all("a")]
    assert hrefs == [None, None, "https://example.org/"]
    assert not page.find("img", src=lambda s: s and "tracker" in s)
    assert page.select_one("#kommentar-1 .kn-comment__text strong").get_text() == "Artikel"


def test_comment_count_next_to_the_date_links_to_comments(fixture_site):
    meta = fixture_site.page(f"{SERIES}/vorsicht-bei-kooperationsangeboten/").select_one(".kn-article-meta")
    link = meta.select_one("a.kn-article-meta__comments")
    assert link.get_text(strip=True) == "3 Kommentare" and link["href"] == "#kommentare"
    single = fixture_site.page(f"{SERIES}/test-geschlossen/").select_one(".kn-article-meta__comments")
    assert single.get_text(strip=True) == "1 Kommentar"
    assert len(section(fixture_site, "test-offen").select("li.kn-comment")) == 4
    assert fixture_site.page(f"{SERIES}/test-offen/").select_one(".kn-article-meta__comments").get_text(strip=True) == "4 Kommentare"


def test_off_article_shows_neither_comments_nor_count(fixture_site):
    page = fixture_site.page(f"{SERIES}/test-aus/")
    assert "Nicht zu sehen" not in page.get_text()
    assert not page.select(".kn-article-meta__comments, .kn-comments")


def test_no_comments_yaml_is_published(site, fixture_site):
    for built in (site, fixture_site):
        assert not [p for p in built.root.rglob("*") if p.suffix in (".yml", ".yaml")]
        assert not (built.root / "data").exists()


def test_only_open_articles_load_the_comments_script(site):
    for path in site.html_pages():
        page = site.page(str(path.relative_to(site.root)))
        if page.select('script[src*="assets/kn-comments-"]'):
            assert page.select_one("[data-kn-giscus], [data-kn-isso]"), path


# -----------------------------------------------------------------------------
# Bad input: the build fails naming file, field and value
# -----------------------------------------------------------------------------

VORSICHT = f"data/comments/{SERIES}/vorsicht-bei-kooperationsangeboten.yml"


def assert_nothing_published(built) -> None:
    assert not built.exists(f"{SERIES}/vorsicht-bei-kooperationsangeboten/")


def assert_problem(broken, *needles: str) -> None:
    """The build stopped for its problems, and one of them (one line of the
    build's list of problems) names every needle."""
    output = broken.output
    _head, listed, rest = output.partition("die Website wurde nicht gebaut:\n")
    assert listed, f"the build did not stop for problems:\n{output}"
    problems = [line.strip() for line in rest.splitlines() if line.startswith("  Fehler in ")]
    assert any(all(needle in line for needle in needles) for line in problems), (
        f"no problem names all of {needles!r}:\n{output}")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    """ONE build of the test site with every bad input of the tests below, each
    in its own file or field (the build collects every problem before it stops;
    each test asserts that its own problem is listed): a bad `comments` value,
    close_after_days, default, giscus.repo missing, giscus.mapping unknown,
    KN_HEUTE impossible, a malformed comments file, comments files for a
    missing page and for a page that is no article."""
    project = Project(tmp_path_factory.mktemp("broken") / "project")
    use_giscus(project)
    project.replace(f"docs/{SERIES}/kooperation-beenden.md", "comments: open", "comments: zu")
    project.replace("mkdocs.yml", "close_after_days: 365", f"close_after_days: {BAD_DAYS[1][0]}")
    project.replace("mkdocs.yml", "default: open", "default: vielleicht")
    text = project.read("mkdocs.yml")
    lines = [line for line in text.splitlines() if not line.strip().startswith("repo:")]
    project.write("mkdocs.yml", "\n".join(lines) + "\n")
    project.replace("mkdocs.yml", "mapping: pathname", "mapping: pfad")
    project.write(VORSICHT, BAD_FILES["missing_author"][0])
    project.write(f"data/comments/{SERIES}/gibt-es-nicht.yml", ENTRY)
    project.write("data/comments/datenschutz.yml", ENTRY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KN_HEUTE", "2026-02-30")
        result, built = project.build()
    output = assert_fails(result)
    assert "Traceback" not in output
    return built


def test_unknown_comments_value_fails(broken_site):
    assert_problem(broken_site, f"{SERIES}/kooperation-beenden.md", "Feld 'comments'", "'zu'", "open, closed, off")
    assert not broken_site.exists(f"{SERIES}/kooperation-beenden/")


BAD_DAYS = [("-3", "-3"), ("viel", "'viel'"), ("1.5", "1.5"), ("true", "true")]


@pytest.mark.unit
@pytest.mark.parametrize("value, shown", BAD_DAYS)
def test_check_settings_names_a_bad_close_after_days(value, shown):
    _settings, problems = comments.check_settings({"default": "open", "close_after_days": yaml.safe_load(value)})
    output = "\n".join(str(p) for p in problems)
    for needle in ("mkdocs.yml", "Feld 'extra.comments.close_after_days'", shown, "ganze Zahl ab 0"):
        assert needle in output, f"{needle!r} not in {output!r}"


@pytest.mark.build
@pytest.mark.parametrize("value, shown", BAD_DAYS[1:2])  # wiring (broken_site); all values: the unit test above
def test_bad_close_after_days_fails(broken_site, value, shown):
    assert_problem(broken_site, "mkdocs.yml", "Feld 'extra.comments.close_after_days'", shown, "ganze Zahl ab 0")
    assert_nothing_published(broken_site)


def test_bad_default_fails(broken_site):
    assert_problem(broken_site, "mkdocs.yml", "Feld 'extra.comments.default'", "'vielleicht'")


BAD_FILES = {
    "not_a_list": ("author: Eva\ntext: Hallo.\n", None, "{author: Eva, text: Hallo.}", "keine Liste"),
    "entry_not_a_mapping": ("- nur Text\n", "Eintrag 1", "'nur Text'", "kein Kommentar"),
    "missing_author": (ENTRY + "- date: 2026-11-21\n  text: Ohne Namen.\n", "Eintrag 2, Feld 'author'", "fehlt", "fehlt"),
    "missing_text": (ENTRY + "- author: Fritz\n  date: 2026-11-21\n", "Eintrag 2, Feld 'text'", "fehlt", "fehlt"),
    "empty_text": (ENTRY + "- author: Fritz\n  date: 2026-11-21\n  text: ''\n", "Eintrag 2, Feld 'text'", "''", "kein Text"),
    "impossible_date": ("- author: Eva\n  date: 2026-02-30\n  text: Hallo.\n",
                        "Eintrag 1, Feld 'date'", "'2026-02-30'", "diesen Tag gibt es nicht"),
    "reply_to_out_of_range": (ENTRY + "- author: Fritz\n  date: 2026-11-21\n  reply_to: 5\n  text: Hm.\n",
                              "Eintrag 2, Feld 'reply_to'", "5", "von 1 bis 1"),
    "reply_to_self": (ENTRY + "- author: Fritz\n  date: 2026-11-21\n  reply_to: 2\n  text: Hm.\n",
                      "Eintrag 2, Feld 'reply_to'", "2", "früheren Eintrag"),
    "reply_to_forward": ("- author: Fritz\n  date: 2026-11-21\n  reply_to: 2\n  text: Hm.\n" + ENTRY,
                         "Eintrag 1, Feld 'reply_to'", "2", "der erste Eintrag"),
    "reply_to_not_a_number": (ENTRY + "- author: Fritz\n  date: 2026-11-21\n  reply_to: Eva\n  text: Hm.\n",
                              "Eintrag 2, Feld 'reply_to'", "'Eva'", "früheren Eintrag"),
    "email_field": ("- author: Eva\n  email: eva@example.org\n  date: 2026-11-20\n  text: Hallo.\n",
                    "Eintrag 1, Feld 'email'", "unbekanntes Feld", "E-Mail-Adressen"),
}


@pytest.mark.unit
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_load_comments_names_file_entry_field_and_value(case):
    text, field, value, problem = BAD_FILES[case]
    _entries, problems = comments.load_comments(VORSICHT, text)
    output = "\n".join(str(p) for p in problems)
    for needle in [f"Fehler in '{VORSICHT}'", value, problem] + ([field] if field else []):
        assert needle in output, f"{needle!r} not in {output!r}"


@pytest.mark.build
@pytest.mark.parametrize("case", ["missing_author"])  # the wiring (broken_site); every case: test_load_comments_names_…
def test_malformed_comments_file_fails(broken_site, case):
    _text, field, value, problem = BAD_FILES[case]
    needles = [f"Fehler in '{VORSICHT}'", value, problem] + ([field] if field else [])
    assert_problem(broken_site, *needles)
    assert_nothing_published(broken_site)
    assert "Traceback" not in broken_site.output


def test_comments_file_for_missing_page_fails(broken_site):
    assert_problem(broken_site, f"data/comments/{SERIES}/gibt-es-nicht.yml", f"docs/{SERIES}/gibt-es-nicht.md", "keine Seite")
    assert_nothing_published(broken_site)


def test_comments_file_for_a_page_that_is_no_article_fails(broken_site):
    assert_problem(broken_site, "data/comments/datenschutz.yml", "docs/datenschutz.md", "kein Artikel")


def test_comments_file_for_a_draft_is_kept_for_later(fixture_site):
    # ENTWURF: a draft with an archived comments file; the fixture site builds.
    assert fixture_site.root.joinpath("..", "data", "comments", f"{ENTWURF}.yml").is_file()
    assert not fixture_site.exists(f"{ENTWURF}/")


GISCUS_KEYS = ["repo", "repo_id", "category", "category_id", "mapping"]


@pytest.mark.unit
@pytest.mark.parametrize("key", GISCUS_KEYS)
def test_check_giscus_names_each_missing_or_empty_setting(key):
    settings = dict.fromkeys(GISCUS_KEYS, "x") | {"mapping": "pathname"}
    for value in (None, "", "  "):
        giscus = {k: v for k, v in settings.items() if k != key} if value is None else settings | {key: value}
        _settings, problems = giscus_provider.check(giscus, [f"{SERIES}/a/", f"{SERIES}/b/"])
        assert len(problems) == 1, problems
        assert "mkdocs.yml" in problems[0] and f"Feld 'extra.comments.giscus.{key}'" in problems[0]
        assert "leer" in problems[0] and f"{SERIES}/a/" in problems[0]
    assert giscus_provider.check(settings, [f"{SERIES}/a/"])[1] == []


@pytest.mark.build
@pytest.mark.parametrize("key", ["repo"])  # the wiring (broken_site); every key: test_check_giscus_names_each_missing_or_empty_setting
def test_open_article_without_giscus_setting_fails(broken_site, key):
    assert_problem(broken_site, "mkdocs.yml", f"Feld 'extra.comments.giscus.{key}'", "leer", f"{SERIES}/")
    assert not broken_site.exists(f"{SERIES}/kooperation-beenden/")


def test_site_without_open_articles_needs_no_giscus(closed_site):
    # closed_site: giscus without any of its settings, every article closed.
    result, _built = closed_site
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_giscus_mapping_fails(broken_site):
    assert_problem(broken_site, "mkdocs.yml", "Feld 'extra.comments.giscus.mapping'", "'pfad'", "pathname")


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------

D = datetime.date


@pytest.mark.parametrize("written, default, days, date, today, expected", [
    ("open", "closed", None, D(2020, 1, 1), D(2026, 1, 1), "open"),
    (None, "closed", None, D(2026, 1, 1), D(2026, 1, 1), "closed"),
    (None, None, None, D(2026, 1, 1), D(2026, 1, 1), "off"),
    ("open", None, 10, D(2026, 1, 1), D(2026, 1, 11), "open"),
    ("open", None, 10, D(2026, 1, 1), D(2026, 1, 12), "closed"),
    ("open", None, 0, D(2026, 1, 1), D(2026, 1, 1), "open"),
    ("open", None, 0, D(2026, 1, 1), D(2026, 1, 2), "closed"),
    ("off", None, 0, D(2020, 1, 1), D(2026, 1, 1), "off"),
    ("closed", "open", 1000, D(2026, 1, 1), D(2026, 1, 1), "closed"),
])
def test_effective_state(written, default, days, date, today, expected):
    assert comments.effective_state(written, date, default=default, close_after_days=days, today=today) == expected


@pytest.mark.parametrize("value, ok", [(0, True), (365, True), (-3, False), ("viel", False), (True, False), (1.5, False)])
def test_check_days(value, ok):
    days, problem = comments.check_days(value)
    assert (problem is None) == ok and (days == value if ok else days is None)


@pytest.mark.parametrize("text, absent, present", [
    ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
    ("<img src=x onerror=alert(1)>", "<img", "&lt;img"),
    ("[x](javascript:alert(1))", "javascript", "<a rel=\"nofollow ugc noopener\">x</a>"),
    ("[x](JaVaScRiPt:alert(1))", "avascript", "<a rel=\"nofollow ugc noopener\">x</a>"),
    ("[x](&#106;avascript:alert(1))", "avascript", "<a rel=\"nofollow ugc noopener\">x</a>"),
    ("[x](java&#x09;script:alert(1))", "script", "<a rel=\"nofollow ugc noopener\">x</a>"),
    ("[x](data:text/html,hi)", "data:", "<a rel=\"nofollow ugc noopener\">x</a>"),
    ("<eva@example.org>", "mailto", "&lt;eva@example.org&gt;"),
    ("![Bild](https://tracker.example/p.png)", "<img", "!"),
    ("# Überschrift", "<h1", "<p>Überschrift</p>"),
    ('Er sagte "ja".', '"ja"', "„ja“"),
    ("[gut](https://example.org/)", "javascript", 'href="https://example.org/"'),
])
def test_render_text_is_safe(text, absent, present):
    html = comments.render_text(text, smarty=SITE_SMARTY)
    assert absent not in html and present in html


def test_thread_nests_replies():
    entries = [{"number": 1, "author": "A"}, {"number": 2, "author": "B", "reply_to": 1},
               {"number": 3, "author": "C"}, {"number": 4, "author": "D", "reply_to": 2}]
    roots = comments.thread(entries)
    assert [r.number for r in roots] == [1, 3]
    assert roots[0].replies[0].replies[0].parent_author == "B"
    assert roots[0].replies[0].reply_to == 1 and roots[1].replies == () and roots[1].parent_author is None


def test_kn_heute_parses_and_defaults():
    assert comments.today_from_env("2026-05-04") == D(2026, 5, 4)
    assert comments.today_from_env(None) == D.today()


# -----------------------------------------------------------------------------
# Real browser: nothing from giscus before the click
# -----------------------------------------------------------------------------

STUB = "window.__knGiscusStub = true;"


def record(page, url):
    """Record every request; answer giscus.app with a stub (there is no internet)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("https://giscus.app/**", lambda route: route.fulfill(status=200, content_type="text/javascript", body=STUB))
    return requests


def foreign(requests, base):
    return [r for r in requests if not r.startswith(base) and not r.startswith("data:")]


# The pages below are checked once loaded (`load`: every script of the page has
# run, and kn-comments-giscus.js requests giscus from there, if at all); what
# follows is from the same origin only (the favicon, Material's sitemap.xml), so
# "networkidle" would wait for nothing the checks need.


def test_browser_loads_giscus_only_after_click(browser_page, fixture_url):
    page = browser_page
    requests = record(page, fixture_url)
    page.goto(fixture_url + f"{SERIES}/test-offen/")
    assert foreign(requests, fixture_url) == []
    assert page.locator("script[src*='giscus.app']").count() == 0
    with page.expect_request(lambda r: r.url == "https://giscus.app/client.js"):
        page.get_by_role("button", name="Kommentare laden").click()
    script = page.locator("script[src='https://giscus.app/client.js']")
    assert script.get_attribute("data-lang") == "de"
    assert script.get_attribute("data-repo") == "beispiel-verlag/kooperation-netzwerke"
    assert script.get_attribute("data-mapping") == "pathname"
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert script.get_attribute("data-theme") == ("dark" if scheme == "slate" else "light")
    assert foreign(requests, fixture_url) == ["https://giscus.app/client.js"]
    assert page.evaluate("localStorage.getItem('kn-comments-consent')") is None


def test_browser_blocked_giscus_shows_the_email_box(browser_page, fixture_url):
    page = browser_page
    page.route("https://giscus.app/**", lambda route: route.abort("blockedbyclient"))
    page.goto(fixture_url + f"{SERIES}/test-offen/")
    page.get_by_role("button", name="Kommentare laden").click()
    fallback = page.locator("[data-kn-giscus-fallback]")
    fallback.get_by_text("Die Kommentare konnten nicht geladen werden.").wait_for()
    assert fallback.get_by_role("link", name="redaktion@kooperation-netzwerke.example").get_attribute("href").startswith("mailto:")


def test_browser_giscus_theme_follows_dark_palette(tabs, fixture_url):
    page = tabs.page(color_scheme="dark")
    record(page, fixture_url)
    page.goto(fixture_url + f"{SERIES}/test-offen/")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.get_by_role("button", name="Kommentare laden").click()
    assert page.locator("script[src='https://giscus.app/client.js']").get_attribute("data-theme") == "dark"


FRAME_STUB = """
var frame = document.createElement("iframe");
frame.className = "giscus-frame";
frame.src = "https://giscus.app/widget";
document.querySelector(".giscus").appendChild(frame);
"""
WIDGET_STUB = "<script>window.got = []; addEventListener('message', e => window.got.push(e.data));</script>"


def test_browser_palette_toggle_updates_giscus_theme(browser_page, fixture_url):
    page = browser_page
    page.route("https://giscus.app/client.js", lambda r: r.fulfill(status=200, content_type="text/javascript", body=FRAME_STUB))
    page.route("https://giscus.app/widget", lambda r: r.fulfill(status=200, content_type="text/html", body=WIDGET_STUB))
    page.goto(fixture_url + f"{SERIES}/test-offen/")
    page.get_by_role("button", name="Kommentare laden").click()
    frame = page.frame_locator("iframe.giscus-frame")
    frame.locator("script").wait_for(state="attached")
    page.locator("form[data-md-component=palette] label:visible").click()
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    expected = "dark" if scheme == "slate" else "light"
    widget = next(f for f in page.frames if f.url == "https://giscus.app/widget")
    widget.wait_for_function("window.got && window.got.length > 0")
    assert widget.evaluate("window.got") == [{"giscus": {"setConfig": {"theme": expected}}}]


def test_browser_remembers_consent_and_revokes_it(browser_page, fixture_url):
    page = browser_page
    requests = record(page, fixture_url)
    article_url = fixture_url + f"{SERIES}/test-offen/"
    page.goto(article_url)
    assert page.get_by_role("button", name="Zustimmung widerrufen").is_hidden()
    page.get_by_label("Entscheidung merken").check()
    page.get_by_role("button", name="Kommentare laden").click()
    assert page.evaluate("localStorage.getItem('kn-comments-consent')") == "ja"

    # A later visit loads giscus without a click, and shows how to revoke.
    requests.clear()
    with page.expect_request(lambda r: r.url == "https://giscus.app/client.js"):
        page.goto(article_url)
    assert page.get_by_role("button", name="Zustimmung widerrufen").is_visible()
    assert page.get_by_text("Ihre Zustimmung ist in diesem Browser gespeichert.").is_visible()

    # Revoking forgets the choice and reloads without giscus.
    with page.expect_navigation():
        page.get_by_role("button", name="Zustimmung widerrufen").click()
    requests.clear()
    page.reload()
    assert page.evaluate("localStorage.getItem('kn-comments-consent')") is None
    assert foreign(requests, fixture_url) == []
    assert page.get_by_role("button", name="Kommentare laden").is_visible()


def test_browser_closed_article_requests_nothing_foreign(browser_page, site_url):
    requests = record(browser_page, site_url)
    browser_page.goto(site_url + f"{SERIES}/vorsicht-bei-kooperationsangeboten/")
    assert requests and foreign(requests, site_url) == []
    assert browser_page.get_by_text(CLOSED_NOTICE).is_visible()


# -----------------------------------------------------------------------------
# The Datenschutz page: what is stored, and the revoke button
# -----------------------------------------------------------------------------


def test_datenschutz_names_every_storage_and_legal_basis(site):
    text = site.page("datenschutz/").select_one("article").get_text(" ", strip=True).replace("\u00a0", " ")
    for needle in ("kn-checkliste:", "kn-comments-consent", "__palette", "kn-isso-consent", "isso-author", "§ 25 Abs. 2 Nr. 2 TDDDG",
                   "§ 25 Abs. 1 TDDDG", "Art. 6 Abs. 1 lit. a DSGVO", "Data Privacy Framework",
                   "10. Juli 2023", "www.youtube-nocookie.com", "Google Ireland Limited", "Vimeo.com, Inc.", "Video laden",
                   "Beispiel"):
        assert needle in text, needle
    assert "Gespeichert wird nur Folgendes" not in text


def test_datenschutz_of_a_giscus_site_describes_giscus(fixture_site):
    text = fixture_site.page("datenschutz/").select_one("article").get_text(" ", strip=True).replace("\u00a0", " ")
    for needle in ("Kommentare über giscus", "giscus-session", "Art. 26 DSGVO", "Kommentare per E-Mail"):
        assert needle in text, needle
    assert "isso-author" not in text


def test_datenschutz_offers_the_revoke_button(site):
    page = site.page("datenschutz/")
    button = page.select_one("article button[type=button][data-kn-consent-revoke]")
    assert button.get_text(strip=True) == "Einwilligung widerrufen"
    assert page.select_one("article [data-kn-consent-status][role=status]") is not None
    # The shared consent memory (loaded on every page) handles the button.
    assert [s["src"] for s in page.select('script[src$="kn-consent.js"]')] == ["../assets/kn-consent.js"]


def test_browser_datenschutz_button_revokes_consent_and_giscus_login(browser_page, site_url):
    page = browser_page
    requests = record(page, site_url)
    page.goto(site_url + "datenschutz/")
    page.evaluate("localStorage.setItem('kn-comments-consent', 'ja'); localStorage.setItem('giscus-session', 'x')")
    page.get_by_role("button", name="Einwilligung widerrufen").click()
    assert page.evaluate("localStorage.getItem('kn-comments-consent')") is None
    assert page.evaluate("localStorage.getItem('giscus-session')") is None
    assert page.get_by_text("Ihre Einwilligung ist widerrufen.").is_visible()
    assert foreign(requests, site_url) == []
