"""Feeds with the full text (hooks/kn/render/feed_content.py) and the 404 page's links,
on a fixture site of our own; the rewriting itself as a pure function."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from kn.render.feed_content import feed_html
from tests.reader_fixtures import build_project, fixture_project

PAGE = "https://example.org/blog/reihe/artikel/"

# -----------------------------------------------------------------------------
# Unit: one article's HTML for a feed reader
# -----------------------------------------------------------------------------


@pytest.mark.unit
def test_links_and_images_become_absolute():
    html = feed_html('<p><a href="../andere/#teil">x</a> <img src="../../bilder/a.png" alt="A"></p>', PAGE)
    assert '<a href="https://example.org/blog/reihe/andere/#teil">x</a>' in html
    assert '<img src="https://example.org/blog/bilder/a.png" alt="A">' in html


@pytest.mark.unit
@pytest.mark.parametrize("hostile", [
    '<script>alert(1)</script>', '<img src="https://tracker.example/p.gif">', '<iframe src="https://evil.example/"></iframe>',
    '<p onclick="alert(1)" style="color:red">t</p>', '<a href="javascript:alert(1)">t</a>', '<style>p{}</style>',
    '<object data="x.swf"></object>', '<form action="https://evil.example/"><input name="q"></form>',
])
def test_nothing_runs_or_loads_from_elsewhere(hostile):
    html = feed_html(hostile, PAGE)
    for needle in ("script", "alert(1)", "tracker", "evil", "onclick", "style", "javascript:", "<object", "<form", "<input"):
        assert needle not in html, (needle, html)


@pytest.mark.unit
def test_checklist_keeps_its_items_as_boxes_without_buttons():
    checklist = (
        '<div class="kn-checklist"><div class="admonition checkliste"><p class="admonition-title">Probe &amp; Co.</p>'
        '<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
        '<input type="checkbox" disabled><span class="task-list-indicator"></span></label> Fragen</li>'
        '<li class="task-list-item"><label><input type="checkbox" disabled checked></label> Festhalten</li></ul></div>'
        '<div class="kn-checklist__actions"><a class="md-button" href="../../checklisten/x/?drucken">Checkliste drucken</a>'
        '<button type="button">Häkchen zurücksetzen</button></div></div>'
    )
    soup = BeautifulSoup(feed_html(checklist, PAGE), "html.parser")
    assert soup.h3.get_text() == "Probe & Co."
    assert [" ".join(li.get_text().split()) for li in soup.find_all("li")] == ["☐ Fragen", "☑ Festhalten"]
    assert "drucken" not in str(soup) and "zurücksetzen" not in str(soup)


@pytest.mark.unit
def test_video_becomes_a_link_to_its_page():
    video = (
        '<figure class="kn-video" data-kn-video data-kn-video-title="Ein &lt;Vortrag&gt;" data-kn-video-name="YouTube" '
        'data-kn-video-src="https://www.youtube-nocookie.com/embed/abc" data-kn-video-watch="https://www.youtube.com/watch?v=abc">'
        '<div class="kn-video__placeholder"><p>Dieses Video liegt bei YouTube.</p><button>Video laden</button></div>'
        '<p class="kn-video__revoke" hidden><button>Zustimmung widerrufen</button></p></figure><p>Danach.</p>'
    )
    html = feed_html(video, PAGE)
    assert html == '<p>Video: <a href="https://www.youtube.com/watch?v=abc">Ein &lt;Vortrag&gt;</a> (YouTube)</p><p>Danach.</p>'


@pytest.mark.unit
def test_heading_permalinks_are_dropped():
    html = feed_html('<h2 id="a">Titel<a class="headerlink" href="#a" title="Link">¶</a></h2>', PAGE)
    assert html == "<h2>Titel</h2>"


# -----------------------------------------------------------------------------
# Build: the feeds of a fixture site, and its 404 page
# -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = fixture_project(tmp_path_factory.mktemp("feeds") / "p", 3, drop_hooks=("social",))
    path = project / "docs" / "probe-reihe" / "artikel-0001.md"
    path.write_text(path.read_text(encoding="utf-8") + (
        "\n## Abschnitt\n\nSiehe [Artikel 2](artikel-0002.md).\n\n"
        '--8<-- "checklisten/probe.md"\n\n'
        "[Ein Vortrag](https://www.youtube.com/watch?v=dQw4w9WgXcQ){ .video }\n"
    ), encoding="utf-8")
    result, out = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def entry(feed, link_end: str):
    return next(e for e in feed.entries if e.link.endswith(link_end))


@pytest.mark.build
def test_feed_entries_carry_the_full_text_with_checklist(built):
    feed = feedparser.parse(str(built / "feed.xml"))
    first = entry(feed, "probe-reihe/artikel-0001/")
    assert first.summary == "Beschreibung 1."
    content = BeautifulSoup(first.content[0].value, "html.parser")
    assert "Ein Absatz über Vertrauen, Nummer 1." in content.get_text()
    assert content.find("a", string="Artikel 2")["href"] == "https://beispiel-verlag.github.io/kooperation-netzwerke/probe-reihe/artikel-0002/"
    assert content.h3.get_text() == "Probe prüfen"
    assert "☐ Fragen Sie, was die andere Seite „konkret“ einbringt." in content.get_text(" ", strip=True)
    assert content.find("a", string="Ein Vortrag")["href"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert not content.find_all(["iframe", "script", "button", "input", "style"])
    assert not [t for t in content.find_all(src=True) if not t["src"].startswith("https://beispiel-verlag.github.io/")]
    tag_feed = feedparser.parse(str(built / "tags/vertrauen/feed.xml"))
    assert entry(tag_feed, "probe-reihe/artikel-0001/").content[0].value == first.content[0].value


@pytest.mark.build
def test_not_found_page_links_have_no_double_slash(built):
    page = BeautifulSoup((built / "404.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".md-content a")}
    assert links == {"Zur Startseite": "/kooperation-netzwerke/", "Alle Artikel im Archiv": "/kooperation-netzwerke/archiv/",
                     "Alle Themen": "/kooperation-netzwerke/tags/"}
    assert not [a["href"] for a in page.find_all("a", href=True) if "//" in a["href"].split("://", 1)[-1]]
