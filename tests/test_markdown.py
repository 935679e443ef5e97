"""Real-world Markdown (issue 12): a title from the first '# ' heading, teasers,
dates with time and `updated`, incomplete drafts, the apostrophe ’, nothing
from other servers, videos the German way (Zwei-Klick-Lösung).

A fixture site with posts that look like real ones is built once; negative
fixtures break one thing each; pure helpers get unit tests; the video consent
runs in Chromium with every request recorded."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from test_comments import foreign

from conftest import Project, article, assert_fails, assert_problem_of, problem_lines
from kn import schema
from kn.markdown import embeds, typography

SERIES = "kooperation-netzwerke"
VIDEO_ID = "dQw4w9WgXcQ"
LONG = "Wer ein Netzwerk aufbauen will, braucht vor allem Geduld und einen langen Atem. " * 4

POSTS = {
    # Only a '# ' title, no description: the first paragraph is the teaser.
    "nur-ueberschrift": """\
---
date: 2026-11-21 18:30:00
updated: 2026-11-25
tags: [Netzwerken]
authors: [redaktion]
comments: closed
---

# Wie geht's weiter mit "Netzwerken"?

Let's go: Wer ein Netzwerk pflegt, weiß, wie's läuft. Er sagt 'danke' und "bis bald".

## Der erste Schritt

Ein zweiter Absatz mit einem [Link nach draußen](https://example.org/netzwerk).
""",
    # Same day, earlier time: sorts after the post above.
    "am-morgen": """\
---
title: Am Morgen geschrieben
description: Ein Artikel vom selben Tag, aber früher.
date: 2026-11-21T08:00:00+01:00
tags: [Netzwerken]
authors: [redaktion]
comments: closed
---

Ein kurzer Text.
""",
    # Teaser before <!-- more -->, Material's date form with `updated`.
    "mit-anreisser": """\
---
title: Ein Artikel mit Anreißer
date:
  created: 2026-11-19
  updated: 2026-11-24 09:15
tags: [Vertrauen]
authors: [redaktion]
comments: closed
---

Der Anreißer steht **vor** der Markierung.

<!-- more -->

Der Rest des Artikels, der nicht im Anreißer steht.
""",
    # A long first paragraph: cut at a word boundary.
    "langer-absatz": f"""\
---
title: Ein langer erster Absatz
date: 2026-11-18
tags: [Vertrauen]
authors: [redaktion]
comments: closed
---

{LONG}
""",
    # A video the German way, apostrophes in the front-matter title.
    "mit-video": f"""\
---
title: "Let's talk: wie's im Netzwerk läuft"
description: Ein "Vortrag" über's Netzwerken, als Video.
date: 2026-11-17
tags: [Netzwerken]
authors: [redaktion]
comments: closed
---

Hier sehen Sie den Vortrag.

[Ein Vortrag über Netzwerke](https://www.youtube.com/watch?v={VIDEO_ID}){{ .video }}

[Noch einer, bei Vimeo](https://vimeo.com/76979871){{ .video }}
""",
    # An incomplete draft: no description, tags or authors.
    "entwurf": """\
---
title: Halbfertig
date: 2026-11-22
draft: true
---

Erst ein Gedanke.
""",
}
COMMENTS = """\
- author: Petra S.
  date: 2026-11-20 19:05
  text: Genau so geht's, danke!
"""


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("markdown") / "project")
    for name, text in POSTS.items():
        project.write(f"docs/{SERIES}/{name}.md", text)
    project.write(f"data/comments/{SERIES}/mit-anreisser.yml", COMMENTS)
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def content(built, name):
    return built.page(f"{SERIES}/{name}/").select_one("article.md-content__inner")


def feed_entry(built, name):
    feed = feedparser.parse(built.path("feed.xml").read_text(encoding="utf-8"))
    return next(e for e in feed.entries if e.link.endswith(f"/{name}/"))


# -----------------------------------------------------------------------------
# Title from the first '# ' heading
# -----------------------------------------------------------------------------


def test_heading_title_is_shown_once_above_the_article_header(fixture_site):
    page = content(fixture_site, "nur-ueberschrift")
    headings = page.find_all("h1")
    assert [h.get_text(strip=True) for h in headings] == ["Wie geht’s weiter mit „Netzwerken“?"]
    header = page.select_one(".kn-article-meta")
    assert headings[0] in header.find_all_previous("h1")
    assert fixture_site.page(f"{SERIES}/nur-ueberschrift/").title.get_text().startswith("Wie geht’s weiter")


def test_second_h1_is_reported_with_file_and_line(bad_pages_site):
    result, _built = bad_pages_site
    line = SECOND_H1.splitlines().index("# Noch ein Titel") + 1
    assert_problem_of(result, f"{SERIES}/zwei-titel.md", f"'{SERIES}/zwei-titel.md', Zeile {line}", "'# Noch ein Titel'", "'## '")


def test_second_h1_is_demoted_in_the_page():
    markdown = "# Titel\n\nText.\n\n```\n# kein Titel\n```\n\n# Zweiter\n"
    assert typography.one_title(markdown, None) == "\n\nText.\n\n```\n# kein Titel\n```\n\n## Zweiter\n"
    assert typography.one_title(markdown, "Anders") == "## Titel\n\nText.\n\n```\n# kein Titel\n```\n\n## Zweiter\n"
    assert typography.one_title(markdown, "Titel").startswith("\n\nText.")


def test_article_without_title_and_heading_fails(bad_articles_site):
    result, built = bad_articles_site
    assert_problem_of(result, f"{SERIES}/ohne-titel.md", f"Fehler in '{SERIES}/ohne-titel.md', Feld 'title': fehlt", "'# Titel'")
    assert not built.exists(f"{SERIES}/ohne-titel/")


# -----------------------------------------------------------------------------
# Teasers
# -----------------------------------------------------------------------------


def test_first_paragraph_is_the_teaser_in_lists_feeds_and_meta(fixture_site):
    teaser = "Let’s go: Wer ein Netzwerk pflegt, weiß, wie’s läuft. Er sagt ‚danke‘ und „bis bald“."
    page = fixture_site.page(f"{SERIES}/nur-ueberschrift/")
    assert page.find("meta", attrs={"name": "description"})["content"] == teaser
    assert page.find("meta", attrs={"property": "og:description"})["content"] == teaser
    # The teaser is the text's own beginning: not repeated as a lead.
    assert content(fixture_site, "nur-ueberschrift").select_one(".kn-lead") is None
    item = next(i for i in fixture_site.page(f"{SERIES}/").select(".kn-list__item") if "Wie geht" in i.get_text())
    assert item.select_one(".kn-list__description").get_text(strip=True) == teaser
    assert feed_entry(fixture_site, "nur-ueberschrift").summary == teaser


def test_text_before_more_is_the_teaser(fixture_site):
    page = fixture_site.page(f"{SERIES}/mit-anreisser/")
    assert page.find("meta", attrs={"name": "description"})["content"] == "Der Anreißer steht vor der Markierung."


def test_long_teaser_is_cut_at_a_word_boundary(fixture_site):
    description = fixture_site.page(f"{SERIES}/langer-absatz/").find("meta", attrs={"name": "description"})["content"]
    assert len(description) <= 200 and description.endswith("…")
    assert LONG.startswith(description[:-1]) and LONG[len(description) - 1] == " "


@pytest.mark.parametrize(("markdown", "expected"), [
    ("Eins *zwei*.\n\nDrei.", "Eins zwei."),
    ("## Kopf\n\n!!! note\n\n    Kasten\n\nDer Text.", "Der Text."),
    ("Eins.\n\nZwei.\n\n<!-- more -->\n\nDrei.", "Eins. Zwei."),
    ("", ""),
])
def test_teaser(markdown, expected):
    assert typography.teaser(markdown) == expected


def test_cut_at_word_keeps_short_texts_and_cuts_long_ones():
    assert typography.cut_at_word("kurz") == "kurz"
    cut = typography.cut_at_word("Wort " * 100)
    assert len(cut) <= 200 and cut.endswith("Wort…")


# -----------------------------------------------------------------------------
# Dates with time, updated
# -----------------------------------------------------------------------------


def test_date_with_time_and_updated_are_shown_and_in_meta(fixture_site):
    page = content(fixture_site, "nur-ueberschrift")
    times = page.select(".kn-article-meta time")
    assert times[0]["datetime"] == "2026-11-21T18:30:00+01:00" and times[0].get_text() == "21. November 2026"
    assert page.select_one(".kn-article-meta__updated").get_text(" ", strip=True) == "aktualisiert am 25. November 2026"
    head = fixture_site.page(f"{SERIES}/nur-ueberschrift/")
    assert head.find("meta", attrs={"property": "article:published_time"})["content"] == "2026-11-21T18:30:00+01:00"
    assert head.find("meta", attrs={"property": "article:modified_time"})["content"] == "2026-11-25"


def test_material_date_form_gives_updated(fixture_site):
    updated = content(fixture_site, "mit-anreisser").select_one(".kn-article-meta__updated time")
    assert updated["datetime"] == "2026-11-24T09:15:00+01:00"


def test_feed_has_published_and_updated_times(fixture_site):
    entry = feed_entry(fixture_site, "nur-ueberschrift")
    assert entry.published == "2026-11-21T18:30:00+01:00"
    assert entry.updated.startswith("2026-11-25")


def test_articles_of_one_day_are_sorted_by_time(fixture_site):
    titles = [a.get_text(strip=True) for a in fixture_site.page("").select("#neueste-artikel + ul .kn-list__title")]
    assert titles.index("Wie geht’s weiter mit „Netzwerken“?") < titles.index("Am Morgen geschrieben")


def test_comment_date_may_carry_a_time(fixture_site):
    comment = content(fixture_site, "mit-anreisser").select_one(".kn-comments time")
    assert comment["datetime"] == "2026-11-20T19:05:00+01:00" and comment.get_text() == "20. November 2026"


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-01-01", datetime.date(2025, 1, 1)),
    ("2025-01-01 18:30:00", "2025-01-01T18:30:00+01:00"),
    ("2025-07-01 18:30", "2025-07-01T18:30:00+02:00"),
    ("2025-01-01T18:30:00Z", "2025-01-01T18:30:00+00:00"),
    ("2025-01-01T18:30:00-05:00", "2025-01-01T18:30:00-05:00"),
])
def test_check_date_accepts_time_and_zone(value, expected):
    date, problem = schema.check_date(value)
    assert problem is None
    assert (date if isinstance(expected, datetime.date) else date.isoformat()) == expected


@pytest.mark.parametrize("value", ["2025-01-01 25:00", "2025-02-30 10:00", "gestern", "2025-01-01 18"])
def test_check_date_rejects_bad_times(value):
    assert schema.check_date(value)[1]


BAD_DATES = [
    ({"updated": "2026-11-01"}, ["Feld 'updated'", "vor dem Erscheinungsdatum"]),
    ({"date_raw": "date: {created: 2026-11-20, updated: 2026-11-21}", "date": None, "updated": "2026-11-22"},
     ["Feld 'updated'", "doppelt"]),
    ({"date": "2026-11-20 25:61"}, ["Feld 'date'", "diese Uhrzeit gibt es nicht"]),
]


def dated_article(fields: dict) -> str:
    text = article("Datum", **{k: v for k, v in fields.items() if k != "date_raw"})
    if "date_raw" in fields:
        text = text.replace("---\n\n", fields["date_raw"] + "\n---\n\n", 1)
    return text


BAD_DATE_FILES = [(f"{SERIES}/datum-{number}.md", fields, needles) for number, (fields, needles) in enumerate(BAD_DATES[:1])]


@pytest.mark.unit
@pytest.mark.parametrize(("fields", "needles"), BAD_DATES)
def test_bad_dates_are_reported_by_the_schema(fields, needles):
    src = f"{SERIES}/datum.md"
    meta, _body, _problems = schema.split_front_matter(src, dated_article(fields))
    _clean, problems = schema.validate_article(src, meta, comments_default=False)
    output = "\n".join(str(p) for p in problems)
    for needle in (f"Fehler in '{src}'", *needles):
        assert needle in output, f"{needle!r} not in {output!r}"


@pytest.mark.build
@pytest.mark.parametrize(("src", "needles"), [(src, needles) for src, _fields, needles in BAD_DATE_FILES])
def test_bad_dates_fail(bad_articles_site, src, needles):  # wiring; all cases: the unit test above
    result, built = bad_articles_site
    assert_problem_of(result, src, f"Fehler in '{src}'", *needles)
    assert not built.exists(src.removesuffix(".md") + "/")


# -----------------------------------------------------------------------------
# Drafts and series overviews
# -----------------------------------------------------------------------------


def test_incomplete_draft_builds_and_is_not_published(fixture_site):
    assert not fixture_site.exists(f"{SERIES}/entwurf/")
    assert "Halbfertig" not in fixture_site.page("").get_text()


def test_incomplete_article_without_draft_fails(bad_articles_site):
    result, built = bad_articles_site
    assert_fails(result, f"'{SERIES}/halbfertig.md', Feld 'tags': fehlt", f"'{SERIES}/halbfertig.md', Feld 'authors': fehlt")
    assert not built.exists(f"{SERIES}/halbfertig/")


BAD_DRAFTS = [
    (f"{SERIES}/entwurf-feld.md", "---\ntitle: Entwurf\ndate: 2026-11-22\ndraft: true\nfarbe: blau\n---\n\nText.\n",
     "Feld 'farbe': unbekanntes Feld"),
    (f"{SERIES}/entwurf-yaml.md", "---\ntitle: [kaputt\ndraft: true\n---\n\nText.\n", "ungültiges YAML"),
]


@pytest.mark.parametrize(("src", "needle"), [(src, needle) for src, _text, needle in BAD_DRAFTS], ids=["unknown-field", "broken-yaml"])
def test_draft_with_unknown_field_or_broken_yaml_fails(bad_articles_site, src, needle):
    result, _built = bad_articles_site
    assert_problem_of(result, src, needle)


def test_series_index_with_broken_yaml_fails_naming_the_file(project):
    project.replace(f"docs/{SERIES}/index.md", "title: Kooperation & Netzwerke", "title: [Kooperation & Netzwerke")
    result, built = project.build()
    assert_fails(result, f"Fehler in '{SERIES}/index.md', Zeile ", "ungültiges YAML")
    assert not built.exists(f"{SERIES}/")


# -----------------------------------------------------------------------------
# Typography: the apostrophe ’
# -----------------------------------------------------------------------------


def test_apostrophe_in_body_title_and_lead(fixture_site):
    body = content(fixture_site, "nur-ueberschrift").select_one("h1 ~ p:not(.kn-lead)")
    assert body.get_text() == "Let’s go: Wer ein Netzwerk pflegt, weiß, wie’s läuft. Er sagt ‚danke‘ und „bis bald“."
    page = content(fixture_site, "mit-video")
    assert page.h1.get_text(strip=True) == "Let’s talk: wie’s im Netzwerk läuft"
    assert page.select_one(".kn-lead").get_text() == "Ein „Vortrag“ über’s Netzwerken, als Video."


def test_apostrophe_in_archived_comments(fixture_site):
    text = content(fixture_site, "mit-anreisser").select_one(".kn-comments").get_text()
    assert "Genau so geht’s, danke!" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("geht's", "geht’s"),
    ("Let's \"go\"", "Let’s „go“"),
    ("Er sagt 'ja' -- und ...", "Er sagt ‚ja‘ – und …"),
    ("\"Zitat\" am Anfang", "„Zitat“ am Anfang"),
])
def test_typeset_plain_text(text, expected):
    assert typography.typeset(text) == expected


# -----------------------------------------------------------------------------
# Nothing from another server
# -----------------------------------------------------------------------------

PASTED = """\
Ein Absatz.

<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=x&amp;t=1" frameborder="0"></iframe>

![Ein Foto](https://example.com/bilder/foto.jpg)

Ein [einfacher Link](https://example.com/erlaubt) ist in Ordnung.
"""


# The failing builds of this module (defined here, after the texts they use)


SECOND_H1 = article("Zwei Titel") + "\n# Noch ein Titel\n\nText.\n"
EMBEDDED = article("Eingebettet").replace("Ein Absatz mit Text.\n", PASTED)
NO_VIDEO = article("Kein Video") + "\n[Film](https://example.com/film){ .video }\n"


@pytest.fixture(scope="module")
def bad_articles_site(tmp_path_factory):
    """One failing build with every bad article of the read step side by side
    (front matter, tags), each in its own file: all their problems are
    collected and reported together before the build stops at step 5."""
    project = Project(tmp_path_factory.mktemp("bad-articles") / "project")
    project.write(f"docs/{SERIES}/ohne-titel.md", article(title=None))
    for src, fields, _needles in BAD_DATE_FILES:
        project.write(f"docs/{src}", dated_article(fields))
    project.write(f"docs/{SERIES}/halbfertig.md", "---\ntitle: Halbfertig\ndate: 2026-11-22\n---\n\nText.\n")
    for src, text, _needle in BAD_DRAFTS:
        project.write(f"docs/{src}", text)
    # test_tags_differing_in_case_report_the_collision_only
    project.replace("data/tags.yml", "Netzwerken:", "lernOS: Lernen im Netzwerk.\nlernos: Noch einmal.\nNetzwerken:")
    project.write(f"docs/{SERIES}/gross.md", article("Groß", tags="[lernOS]"))
    project.write(f"docs/{SERIES}/klein.md", article("Klein", tags="[lernos]"))
    # test_unknown_tags_suggest_only_close_matches_and_list_the_vocabulary_once
    project.write(f"docs/{SERIES}/berge.md", article("Berge", tags="[berge, Netzwerk]"))
    project.write(f"docs/{SERIES}/huegel.md", article("Hügel", tags="[Hügel]"))
    return project.build()


@pytest.fixture(scope="module")
def bad_pages_site(tmp_path_factory):
    """One failing build with every bad page of the render step side by side
    (a second '# ', pasted HTML from other servers, a bad video address): they
    pass steps 1–5 and are all reported before any page is written. Kept apart
    from `bad_articles_site`, whose problems stop the build before this step."""
    project = Project(tmp_path_factory.mktemp("bad-pages") / "project")
    project.write(f"docs/{SERIES}/zwei-titel.md", SECOND_H1)
    project.write(f"docs/{SERIES}/eingebettet.md", EMBEDDED)
    project.write(f"docs/{SERIES}/kein-video.md", NO_VIDEO)
    return project.build()


def test_pasted_iframe_and_remote_image_fail_with_line_and_hint(bad_pages_site):
    result, built = bad_pages_site
    lines = EMBEDDED.splitlines()
    iframe = next(i for i, line in enumerate(lines, 1) if "<iframe" in line)
    image = next(i for i, line in enumerate(lines, 1) if "foto.jpg" in line)
    output = assert_fails(
        result,
        f"Fehler in '{SERIES}/eingebettet.md', Zeile {iframe}: <iframe> lädt 'https://www.youtube.com/embed/dQw4w9WgXcQ?si=x&t=1'",
        "{ .video }",
        f"Fehler in '{SERIES}/eingebettet.md', Zeile {image}: <img> lädt 'https://example.com/bilder/foto.jpg'",
        "Kopieren Sie das Bild nach docs/",
    )
    assert "erlaubt'" not in output
    assert not built.exists(f"{SERIES}/eingebettet/") and not built.exists("index.html")


def test_bad_video_address_fails(bad_pages_site):
    result, _built = bad_pages_site
    line = len(NO_VIDEO.splitlines())
    assert_problem_of(result, f"{SERIES}/kein-video.md", f"Fehler in '{SERIES}/kein-video.md', Zeile {line}",
                      "keine Adresse eines YouTube- oder Vimeo-Videos")


@pytest.mark.parametrize(("html", "found"), [
    ('<iframe src="https://media.ccc.de/v/x/oembed"></iframe>', [("iframe", "https://media.ccc.de/v/x/oembed")]),
    ('<img src="bild.png" srcset="a.png 1x, //cdn.example/b.png 2x">', [("img", "//cdn.example/b.png")]),
    ('<picture><source srcset="https://x.example/a.webp"></picture>', [("source", "https://x.example/a.webp")]),
    ('<video src="https://x.example/v.mp4"><track src="https://x.example/t.vtt"></video>',
     [("video", "https://x.example/v.mp4"), ("track", "https://x.example/t.vtt")]),
    ('<audio src="https://x.example/a.mp3"></audio><object data="https://x.example/o"></object>',
     [("audio", "https://x.example/a.mp3"), ("object", "https://x.example/o")]),
    ('<embed src="https://x.example/e"><script src="https://x.example/s.js"></script>',
     [("embed", "https://x.example/e"), ("script", "https://x.example/s.js")]),
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css"><link rel="alternate" href="https://x.example/feed">',
     [("link", "https://fonts.googleapis.com/css")]),
    ("<style>@font-face { src: url('https://fonts.gstatic.com/f.woff2') }</style>", [("style", "https://fonts.gstatic.com/f.woff2")]),
    ('<p style="background:url(https://x.example/bg.png)">x</p>', [("style", "https://x.example/bg.png")]),
    ('<a href="https://x.example/">Link</a><img src="data:image/png;base64,AAAA"><img src="../bilder/a.png">', []),
    ('<img src="https://beispiel-verlag.github.io/kooperation-netzwerke/a.png">', []),
])
def test_foreign_resources(html, found):
    assert embeds.foreign_resources(html, "https://beispiel-verlag.github.io/kooperation-netzwerke/") == found


# -----------------------------------------------------------------------------
# Videos the German way
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    (f"https://www.youtube.com/watch?v={VIDEO_ID}", ("youtube", VIDEO_ID)),
    (f"https://youtube.com/watch?v={VIDEO_ID}&t=42", ("youtube", VIDEO_ID)),
    (f"https://youtu.be/{VIDEO_ID}", ("youtube", VIDEO_ID)),
    ("https://vimeo.com/76979871", ("vimeo", "76979871")),
    ("https://vimeo.com/kanal/x", None),
    ("https://example.com/watch?v=dQw4w9WgXcQ", None),
    ("javascript:alert(1)", None),
])
def test_parse_video(url, expected):
    assert embeds.parse_video(url) == expected


def test_video_is_a_local_placeholder_without_iframe(fixture_site):
    page = content(fixture_site, "mit-video")
    assert page.find("iframe") is None
    youtube, vimeo = page.select("figure.kn-video")
    assert youtube["data-kn-video-src"] == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"
    assert vimeo["data-kn-video-src"] == "https://player.vimeo.com/video/76979871"
    text = youtube.get_text(" ", strip=True)
    assert "Video: Ein Vortrag über Netzwerke" in text and "(YouTube)" in text and "IP-Adresse" in text
    assert youtube.find("a", string="Datenschutzerklärung")["href"] == "../../datenschutz/"
    assert youtube.find("button", string="Video laden")
    assert not page.select("[onclick], [onload]")


def record_and_block(page, base):
    """Record every request; abort all that leave 127.0.0.1 (there is no internet)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(lambda url: not url.startswith(base), lambda route: route.abort())
    return requests


def test_browser_loads_the_video_only_after_the_click(browser_page, fixture_url):
    page = browser_page
    requests = record_and_block(page, fixture_url)
    # networkidle: every request the page makes by itself is made (and recorded) before the check.
    page.goto(fixture_url + f"{SERIES}/mit-video/", wait_until="networkidle")
    assert foreign(requests, fixture_url) == []
    assert page.locator("iframe").count() == 0
    with page.expect_request(lambda request: request.url.startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}")):
        page.get_by_role("button", name="Video laden").first.click()
    frame = page.locator("figure.kn-video iframe")
    assert frame.count() == 1
    assert frame.get_attribute("src").startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}")
    assert frame.get_attribute("title") == "Ein Vortrag über Netzwerke"
    assert {r.split("?")[0] for r in foreign(requests, fixture_url)} == {f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"}
    assert page.evaluate("localStorage.getItem('kn-youtube-consent')") is None


def test_browser_remembers_the_video_choice_and_revokes_it(browser_page, fixture_url):
    page = browser_page
    requests = record_and_block(page, fixture_url)
    url = fixture_url + f"{SERIES}/mit-video/"
    page.goto(url)  # by the load event kn-consent.js (a plain script in extra_javascript) has run
    page.locator("figure.kn-video").first.get_by_label("Entscheidung merken").check()
    page.get_by_role("button", name="Video laden").first.click()
    assert page.evaluate("localStorage.getItem('kn-youtube-consent')") == "ja"
    # A later visit loads YouTube videos at once, Vimeo still waits for a click
    # (kn-consent.js inserts a remembered video's iframe as it runs, before the load event).
    page.goto(url)
    assert page.locator("iframe[src^='https://www.youtube-nocookie.com/']").count() == 1
    assert page.locator("iframe[src^='https://player.vimeo.com/']").count() == 0
    # One revoke forgets every choice and reloads without the video.
    revoke = page.get_by_role("button", name="Zustimmung widerrufen")
    revoke.scroll_into_view_if_needed()
    with page.expect_navigation():
        revoke.click()
    requests.clear()
    page.reload(wait_until="networkidle")  # every request of the page is recorded before the check
    assert page.evaluate("localStorage.getItem('kn-youtube-consent')") is None
    assert foreign(requests, fixture_url) == [] and page.locator("iframe").count() == 0


def test_browser_revoke_button_on_any_page_forgets_all_choices(browser_page, fixture_url):
    page = browser_page
    page.goto(fixture_url)  # the load event: kn-consent.js listens for clicks on any revoke button
    page.evaluate("""() => {
        localStorage.setItem('kn-comments-consent', 'ja');
        localStorage.setItem('kn-vimeo-consent', 'ja');
        document.body.insertAdjacentHTML('beforeend',
            '<button data-kn-consent-revoke>Widerrufen</button><p data-kn-consent-status></p>');
    }""")
    page.get_by_role("button", name="Widerrufen").click()
    assert page.evaluate("[localStorage.getItem('kn-comments-consent'), localStorage.getItem('kn-vimeo-consent')]") == [None, None]
    assert "widerrufen" in page.locator("[data-kn-consent-status]").inner_text()


# -----------------------------------------------------------------------------
# Tag messages
# -----------------------------------------------------------------------------


def test_tags_differing_in_case_report_the_collision_only(bad_articles_site):
    result, _built = bad_articles_site
    output = assert_problem_of(result, "data/tags.yml", "Fehler in 'data/tags.yml', Feld 'lernos'", "'tags/lernos/'")
    assert "verdeckt" not in output
    assert not problem_lines(output, f"{SERIES}/gross.md", "") and not problem_lines(output, f"{SERIES}/klein.md", "")


def test_unknown_tags_suggest_only_close_matches_and_list_the_vocabulary_once(bad_articles_site):
    result, _built = bad_articles_site
    output = assert_problem_of(result, f"{SERIES}/berge.md", "unbekanntes Thema 'berge'.", "Meinten Sie 'Netzwerken'?")
    assert "Verträge'?" not in output
    assert output.count("Erlaubte Themen:") == 1
    assert "Themen ohne Artikel" not in output
