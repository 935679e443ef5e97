"""Tags: vocabulary in data/tags.yml, generated tag pages, tag index, tag links."""

from __future__ import annotations

import datetime
import re

import pytest
import yaml

from conftest import ARTICLES, DEMO, Project, article, article_url, assert_fails, assert_problem_of
from kn.publish.search import index_pages
from kn.schema import (
    closest_tags,
    parse_vocabulary,
    split_front_matter,
    unknown_tags,
    validate_article,
    validate_vocabulary,
    vocabulary_note,
)
from kn.text import format_date_de, german_key, slugify

SERIES = "kooperation-netzwerke"  # where the negative fixtures put their articles
VOCABULARY = yaml.safe_load((DEMO / "data" / "tags.yml").read_text(encoding="utf-8"))
GERMAN_DATE = re.compile(r"^\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$")


def articles() -> list[dict]:
    """Front matter of every article of the real site (all series), with its URL."""
    found = []
    for path in ARTICLES:
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        found.append({**meta, "url": article_url(path)})
    return found


def used_tags() -> dict[str, list[dict]]:
    """tag name -> its articles, newest first."""
    tags: dict[str, list[dict]] = {}
    for meta in sorted(articles(), key=lambda m: (str(m["date"]), m["url"]), reverse=True):
        for name in meta["tags"]:
            tags.setdefault(name, []).append(meta)
    return tags


# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "slug"), [
    ("Größe & Wachstum", "groesse-und-wachstum"),
    ("Erstgespräch", "erstgespraech"),
    ("Verträge", "vertraege"),
    ("Öffentlichkeit", "oeffentlichkeit"),
    ("Übergabe", "uebergabe"),
    ("Straße", "strasse"),
    ("GRÖSSE", "groesse"),
    ("Kunden&Partner", "kunden-und-partner"),
    ("Recht & Steuern & Co.", "recht-und-steuern-und-co"),
    ("Kunden: Schutz!", "kunden-schutz"),
    ("  Netzwerken  ", "netzwerken"),
    ("B2B – Vertrieb", "b2b-vertrieb"),
    ("„Zitat“ / Frage?", "zitat-frage"),
    ("---a---b---", "a-b"),
    ("2026", "2026"),
])
def test_slugify_follows_the_url_contract(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize(("value", "shown"), [
    (datetime.date(2026, 3, 1), "1. März 2026"),
    (datetime.date(2026, 11, 27), "27. November 2026"),
    (datetime.date(2027, 1, 9), "9. Januar 2027"),
])
def test_dates_are_written_the_german_way(value, shown):
    assert format_date_de(value) == shown


def test_german_sort_puts_umlauts_with_their_vowel_and_ignores_case():
    words = ["Zoo", "Ärger", "apfel", "Bär", "Abend", "Öl", "ober", "Ubung", "Übung", "ärger"]
    assert sorted(words, key=german_key) == ["Abend", "apfel", "Ärger", "ärger", "Bär", "ober", "Öl", "Ubung", "Übung", "Zoo"]


@pytest.mark.parametrize(("first", "second"), [("Äpfel", "Apfelsaft"), ("Gross", "größe"), ("netzwerk", "Netzwerken")])
def test_german_key_orders_pairs(first, second):
    assert german_key(first) < german_key(second)


def test_real_vocabulary_is_valid():
    vocabulary, problems = parse_vocabulary((DEMO / "data" / "tags.yml").read_text(encoding="utf-8"))
    assert problems == []
    assert vocabulary == VOCABULARY


def test_vocabulary_slug_collision_names_both_entries():
    _vocabulary, problems = validate_vocabulary({"Größe & Wachstum": "Ein Satz.", "groesse und wachstum": "Noch einer."})
    assert len(problems) == 1
    assert "'groesse und wachstum'" in problems[0] and "'Größe & Wachstum'" in problems[0]
    assert "tags/groesse-und-wachstum/" in problems[0]


@pytest.mark.parametrize(("data", "needles"), [
    ({"Netzwerken": ["a", "b"]}, ["Feld 'Netzwerken'", "[a, b] ist kein Text"]),
    ({"Netzwerken": 42}, ["Feld 'Netzwerken'", "42 ist kein Text"]),
    ({2026: "Ein Satz."}, ["Feld '2026'", "Themenname 2026 ist kein Text"]),
    ({True: "Ein Satz."}, ["Feld 'True'", "kein Text"]),
    ({"?!": "Ein Satz."}, ["Feld '?!'", "keine Adresse"]),
    (["Netzwerken", "Vertrauen"], ["keine Zuordnung", "[Netzwerken, Vertrauen]"]),
    ("Netzwerken", ["keine Zuordnung", "'Netzwerken'"]),
    (None, ["keine Zuordnung", "leer"]),
    ({}, ["keine Zuordnung", "leer"]),
])
def test_vocabulary_validation_names_the_bad_entry(data, needles):
    _vocabulary, problems = validate_vocabulary(data)
    assert len(problems) == 1
    assert problems[0].startswith("Fehler in 'data/tags.yml'")
    for needle in needles:
        assert needle in problems[0]


def test_vocabulary_validation_reports_all_problems():
    _vocabulary, problems = validate_vocabulary({"A": 1, "a": "Satz.", 3: "Satz.", "Gut": "Ein Satz."})
    assert len(problems) == 3


@pytest.mark.parametrize("description", [None, "", "   "])
def test_vocabulary_allows_an_empty_description(description):
    vocabulary, problems = validate_vocabulary({"Netzwerken": description})
    assert problems == [] and vocabulary == {"Netzwerken": ""}


@pytest.mark.parametrize(("text", "needles"), [
    (None, ["data/tags.yml", "fehlt"]),
    ("Netzwerken: [kaputt\n", ["data/tags.yml", "Zeile 2", "ungültiges YAML"]),
    ("Netzwerken: Ein Satz.\nNetzwerken: Noch einer.\n", ["Feld 'Netzwerken'", "doppelt"]),
])
def test_parse_vocabulary_reports_missing_malformed_and_duplicate(text, needles):
    _vocabulary, problems = parse_vocabulary(text)
    assert len(problems) == 1
    for needle in needles:
        assert needle in problems[0]


@pytest.mark.parametrize(("tag", "hints"), [
    ("Netzwerkk", ["Netzwerken"]),
    ("netzwerken", ["Netzwerken"]),
    ("Vertraege", ["Verträge"]),
    ("Vertrag", ["Verträge", "Vertrauen"]),
])
def test_closest_tags_ignore_case_and_umlauts(tag, hints):
    assert set(hints) <= set(closest_tags(tag, VOCABULARY))


def test_unknown_tag_names_closest_and_the_note_only_once_at_the_end():
    note = vocabulary_note(VOCABULARY)
    problems = unknown_tags("a.md", ["Netzwerken", "Netzwerkk", "Xyz"], VOCABULARY, note=note)
    assert len(problems) == 2
    assert "Fehler in 'a.md', Feld 'tags': unbekanntes Thema 'Netzwerkk'. Meinten Sie 'Netzwerken'?" in problems[0]
    assert "Erlaubte Themen" not in problems[0]
    assert "'Xyz'" in problems[1] and "Meinten" not in problems[1]
    assert problems[1].endswith(note) and "Empfehlungen, Erstgespräch, Größe & Wachstum" in note


@pytest.mark.parametrize("tag", ["berge", "Xyz", "Netz"])
def test_unrelated_words_get_no_suggestion(tag):
    assert closest_tags(tag, VOCABULARY) == []


# -----------------------------------------------------------------------------
# The built site
# -----------------------------------------------------------------------------


def test_tag_index_lists_used_tags_alphabetically_with_description_and_count(site):
    items = site.page("tags/").select("ul.kn-tags .kn-list__item")
    expected = sorted(used_tags(), key=german_key)
    assert [item.select_one(".kn-list__title").get_text(strip=True) for item in items] == expected
    for item, name in zip(items, expected, strict=True):
        assert item.select_one(".kn-list__description").get_text(strip=True) == VOCABULARY[name]
        assert item.select_one(".kn-list__meta").get_text(strip=True) == f"{len(used_tags()[name])} Artikel"
        href = item.select_one("a")["href"]
        assert href == f"{slugify(name)}/" and site.exists(f"tags/{href}")


@pytest.mark.parametrize("name", sorted(used_tags()))
def test_tag_page_lists_its_articles_newest_first(site, name):
    page = site.page(f"tags/{slugify(name)}/")
    content = page.select_one("article.md-content__inner")
    assert content.h1.get_text(strip=True) == name
    assert content.select_one("p.kn-lead").get_text(strip=True) == VOCABULARY[name]
    assert page.find("meta", attrs={"name": "description"})["content"] == VOCABULARY[name]
    items = content.select(".kn-list__item")
    expected = used_tags()[name]
    assert [item.select_one("a.kn-list__title").get_text(strip=True) for item in items] == [m["title"] for m in expected]
    for item, meta in zip(items, expected, strict=True):
        assert item.select_one("a")["href"] == f"../../{meta['url']}"
        assert GERMAN_DATE.match(item.time.get_text(strip=True)) and item.time["datetime"] == str(meta["date"])
        assert item.select_one(".kn-list__description").get_text(strip=True) == meta["description"]


def test_unused_tags_get_no_page(site):
    for name in set(VOCABULARY) - set(used_tags()):
        assert not site.exists(f"tags/{slugify(name)}/")
    generated = {p.parent.name for p in (site.root / "tags").glob("*/index.html")}
    assert generated == {slugify(name) for name in used_tags()}


@pytest.mark.parametrize("meta", articles(), ids=lambda m: m["url"])
def test_article_links_its_tags(site, meta):
    links = site.page(meta["url"]).select("article nav.md-tags a.md-tag")
    assert [a.get_text(strip=True) for a in links] == meta["tags"]
    for link, name in zip(links, meta["tags"], strict=True):
        assert link["href"] == f"../../tags/{slugify(name)}/"


def test_navigation_has_one_entry_for_topics_and_none_per_tag(site):
    for url in ("", "tags/", f"tags/{slugify(next(iter(used_tags())))}/"):
        hrefs = [a["href"] for a in site.page(url).select("nav.md-nav--primary a.md-nav__link")]
        themen = [a for a in site.page(url).select("nav.md-nav--primary a.md-nav__link") if a.get_text(strip=True) == "Themen"]
        assert len(themen) == 1, url
        assert not any(re.search(r"tags/[a-z0-9-]+/$", h) for h in hrefs), url


def test_tag_pages_are_in_sitemap_and_search_index(site):
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    # Pagefind (hooks/kn/publish/search.py): a topic page is found by its name and
    # description; its list of articles is left out (the articles are found themselves).
    docs = {page["url"].strip("/") + "/": page for page in index_pages(site.root / "pagefind")}
    for name, metas in used_tags().items():
        url = f"tags/{slugify(name)}/"
        assert f"/{url}</loc>" in sitemap, url
        assert url in docs, url
        assert docs[url]["meta"]["title"] == name and docs[url]["meta"]["art"] == "Thema"
        assert VOCABULARY[name] in docs[url]["content"]
        assert all(meta["url"] in docs for meta in metas), url
        assert not any(meta["title"] in docs[url]["content"] for meta in metas), url
    assert "/tags/</loc>" in sitemap


MARKUP_NAME = "<em>Markup</em> & Co"
MARKUP_DESCRIPTION = 'Beschreibung mit <script>alert("x")</script> und <b>fett</b> & "Zitat".'


@pytest.fixture(scope="module")
def variants_site(tmp_path_factory):
    """One successful build with the vocabulary variants of the three tests
    below side by side: a tag with markup in name and description (and its
    article), an unused tag, two tags without description (and their article)."""
    project = Project(tmp_path_factory.mktemp("tag-variants") / "project")
    vocabulary = project.read("data/tags.yml") + yaml.safe_dump({MARKUP_NAME: MARKUP_DESCRIPTION}, allow_unicode=True)
    vocabulary += "Ungenutzt: Ein Thema, das kein Artikel verwendet.\n"
    vocabulary += "Ohne Worte:\nLeer: ''\n"
    project.write("data/tags.yml", vocabulary)
    project.write(f"docs/{SERIES}/markup.md",
                  article("Markup im Thema", tags=yaml.safe_dump([MARKUP_NAME], default_flow_style=True).strip()))
    project.write(f"docs/{SERIES}/ohne-worte.md", article("Ohne Beschreibung", tags="[Ohne Worte, Leer]"))
    return project.build()


def test_markup_in_tag_name_and_description_is_shown_as_text(variants_site):
    name, description = MARKUP_NAME, MARKUP_DESCRIPTION
    result, built = variants_site
    assert result.returncode == 0, result.stdout + result.stderr
    slug = slugify(name)
    assert slug == "em-markup-em-und-co"
    page = built.page(f"tags/{slug}/")
    content = page.select_one("article.md-content__inner")
    assert content.h1.get_text(strip=True) == name
    assert content.select_one("p.kn-lead").get_text(strip=True) == description
    assert not content.select("em, b, script")
    assert page.find("meta", attrs={"name": "description"})["content"] == description
    assert page.title.get_text().startswith(name)
    assert not page.select("script:-soup-contains('alert')")
    entry = [i for i in built.page("tags/").select(".kn-list__item") if slug in i.a["href"]][0]
    assert entry.a.get_text(strip=True) == name and not entry.select("em, b, script")
    assert entry.select_one(".kn-list__description").get_text(strip=True) == description
    link = built.page(f"{SERIES}/markup/").select_one("nav.md-tags a.md-tag")
    assert link.get_text(strip=True) == name and not link.select("em")


def test_unused_vocabulary_tag_is_mentioned_at_info_level(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert re.search(r"INFO .*Themen ohne Artikel.*Ungenutzt", output)
    assert "WARNING" not in output
    assert not built.exists("tags/ungenutzt/")


# -----------------------------------------------------------------------------
# Bad input: the build fails, names file, field and value; nothing is published
# -----------------------------------------------------------------------------

BROKEN = f"{SERIES}/kaputt.md"


BAD_TAGS = [
    ("[Netzwerkk]", ["'Netzwerkk'", "unbekanntes Thema", "Meinten Sie 'Netzwerken'?", "data/tags.yml"]),
    ("[vertraege, Partnersuche]", ["'vertraege'", "Meinten Sie 'Verträge'"]),
    ("Netzwerken", ["'Netzwerken' ist keine Liste"]),
    ("[Netzwerken, 3]", ["Der Eintrag 3 ist kein Text"]),
    ('[Netzwerken, ""]', ["leeren Eintrag"]),
    ("[Netzwerken, Vertrauen, Netzwerken]", ["'Netzwerken' steht doppelt"]),
    ("[]", ["Die Liste ist leer"]),
]


@pytest.mark.unit
@pytest.mark.parametrize(("tags", "needles"), BAD_TAGS)
def test_bad_tags_are_reported_naming_file_field_and_value(tags, needles):
    """The rules of the build (schema.validate_article, then tags.check_articles'
    unknown_tags) as functions, on the test site's vocabulary."""
    meta, _body, problems = split_front_matter(BROKEN, article("Kaputt", tags=tags))
    clean, problems = validate_article(BROKEN, meta, comments_default=False)
    if "tags" in clean:
        problems += unknown_tags(BROKEN, clean["tags"], VOCABULARY, note=vocabulary_note(VOCABULARY))
    output = "\n".join(str(p) for p in problems)
    for needle in [f"Fehler in '{BROKEN}', Feld 'tags'", *needles]:
        assert needle in output, f"{needle!r} not in {output!r}"


# wiring; all: the unit test above. Each case in a file of its own.
BAD_TAGS_BUILT = [(f"{SERIES}/kaputt-{number}.md", *BAD_TAGS[number]) for number in (0, 2)]


@pytest.fixture(scope="module")
def bad_tags_site(tmp_path_factory):
    """One failing build with the bad tags of two articles, a vocabulary entry
    whose address collides with another's, and a file in docs/tags/ that hides
    a tag page, side by side: all are reported together (the vocabulary is
    still read, so no problem hides another)."""
    project = Project(tmp_path_factory.mktemp("bad-tags") / "project")
    for src, tags, _needles in BAD_TAGS_BUILT:
        project.write(f"docs/{src}", article("Kaputt", tags=tags))
    project.write("data/tags.yml", project.read("data/tags.yml") + "Groesse und Wachstum: Doppelt gemoppelt.\n")
    project.write("docs/tags/netzwerken.md", "# Von Hand\n")
    return project.build()


@pytest.mark.build
@pytest.mark.parametrize(("src", "tags", "needles"), BAD_TAGS_BUILT, ids=[tags for _src, tags, _needles in BAD_TAGS_BUILT])
def test_bad_tags_in_article_fail_the_build(bad_tags_site, src, tags, needles):
    result, built = bad_tags_site
    assert_problem_of(result, src, f"Fehler in '{src}', Feld 'tags'", *needles)
    assert not built.exists(src.removesuffix(".md") + "/")


def test_vocabulary_slug_collision_fails_naming_both(bad_tags_site):
    result, built = bad_tags_site
    assert_problem_of(result, "data/tags.yml", "Fehler in 'data/tags.yml', Feld 'Groesse und Wachstum'", "'Größe & Wachstum'",
                      "tags/groesse-und-wachstum/")
    assert not built.exists("tags/groesse-und-wachstum/")


def test_missing_vocabulary_fails(project):
    project.remove("data/tags.yml")
    result, built = project.build()
    assert_fails(result, "Fehler in 'data/tags.yml'", "Themenliste fehlt")
    assert not built.exists("tags/")


BAD_VOCABULARIES = [
    ("Netzwerken: [kaputt\nVertrauen: Ein Satz.\n", ["Fehler in 'data/tags.yml', Zeile 2", "ungültiges YAML"]),
    ("- Netzwerken\n- Vertrauen\n", ["Fehler in 'data/tags.yml'", "keine Zuordnung", "[Netzwerken, Vertrauen]"]),
    ("Netzwerken: [a, b]\nVertrauen: Ein Satz.\n", ["Fehler in 'data/tags.yml', Feld 'Netzwerken'", "[a, b] ist kein Text"]),
    ("Netzwerken: Ein Satz.\nNetzwerken: Noch ein Satz.\n", ["Feld 'Netzwerken'", "doppelt"]),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "needles"), BAD_VOCABULARIES)
def test_malformed_vocabulary_is_reported_by_parse_vocabulary(text, needles):
    _vocabulary, problems = parse_vocabulary(text)
    output = "\n".join(str(p) for p in problems)
    for needle in needles:
        assert needle in output, f"{needle!r} not in {output!r}"


@pytest.mark.build
@pytest.mark.parametrize(("text", "needles"), BAD_VOCABULARIES[:1])  # wiring; all: the unit test above
def test_malformed_vocabulary_fails(project, text, needles):
    project.write("data/tags.yml", text)
    result, built = project.build()
    assert_fails(result, *needles)
    assert not built.exists("tags/")


def test_file_in_docs_tags_that_hides_a_tag_page_fails(bad_tags_site):
    result, _built = bad_tags_site
    assert_problem_of(result, "docs/tags/netzwerken.md", "Fehler in 'docs/tags/netzwerken.md'", "'Netzwerken'")


def test_all_problems_are_reported_together(project):
    project.write(f"docs/{SERIES}/kaputt-eins.md", article("Eins", tags="[Netzwerkk]"))
    project.write(f"docs/{SERIES}/kaputt-zwei.md", article("Zwei", tags="[Vertrauen, Vertrauen]"))
    project.write("data/tags.yml", project.read("data/tags.yml") + "Verträge!: Kollidiert mit Verträge.\n")
    result, built = project.build()
    output = assert_fails(
        result,
        "3 Probleme",
        f"Fehler in '{SERIES}/kaputt-eins.md', Feld 'tags': unbekanntes Thema 'Netzwerkk'",
        f"Fehler in '{SERIES}/kaputt-zwei.md', Feld 'tags': 'Vertrauen' steht doppelt",
        "Fehler in 'data/tags.yml', Feld 'Verträge!'",
    )
    assert "'Verträge'" in output
    assert not built.exists(f"{SERIES}/kaputt-eins/") and not built.exists(f"{SERIES}/kaputt-zwei/")


def test_tag_without_description_shows_none(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stdout + result.stderr
    for name, slug in (("Ohne Worte", "ohne-worte"), ("Leer", "leer")):
        page = built.page(f"tags/{slug}/")
        assert not page.select("p.kn-lead")
        assert page.find("meta", attrs={"name": "description"})["content"] == f"Artikel zum Thema „{name}“."
        entry = [i for i in built.page("tags/").select(".kn-list__item") if f"{slug}/" in i.a["href"]][0]
        assert not entry.select(".kn-list__description")
