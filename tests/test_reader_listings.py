"""Archive and paging (hooks/kn/derive/listings.py, hooks/kn/paging.py) on fixture sites of
our own: the pure paging helper, a site of 1000 generated articles, and the
German errors for a bad page size or a file in the way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kn.paging import DEFAULT_SIZE, directory_url, later_source, page_size, paginate
from kn.publish.search import index_pages
from tests.reader_fixtures import build_project, fixture_project

# -----------------------------------------------------------------------------
# Unit: the paging helper
# -----------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(("src", "url"), [
    ("index.md", ""), ("seite/2.md", "seite/2/"), ("tags/x.md", "tags/x/"), ("blog/index.md", "blog/"),
])
def test_directory_url_follows_mkdocs(src, url):
    assert directory_url(src) == url


@pytest.mark.unit
@pytest.mark.parametrize(("first", "later"), [
    ("index.md", "seite/3.md"), ("tags/vertrauen.md", "tags/vertrauen/seite/3.md"), ("blog/index.md", "blog/seite/3.md"),
])
def test_later_pages_live_under_seite(first, later):
    assert later_source(first, 3) == later


@pytest.mark.unit
def test_paginate_links_neighbours_and_keeps_first_address():
    pages = paginate(list(range(23)), 10, first_src="tags/x.md")
    assert [(p.number, p.url, len(p.items), p.offset) for p in pages] == [
        (1, "tags/x/", 10, 0), (2, "tags/x/seite/2/", 10, 10), (3, "tags/x/seite/3/", 3, 20)]
    assert (pages[0].newer, pages[0].older) == (None, "tags/x/seite/2/")
    assert (pages[1].newer, pages[1].older) == ("tags/x/", "tags/x/seite/3/")
    assert (pages[2].newer, pages[2].older) == ("tags/x/seite/2/", None)
    assert {p.count for p in pages} == {3} and {p.total for p in pages} == {23}


@pytest.mark.unit
def test_paginate_uses_the_builds_addresses():
    pages = paginate(list(range(3)), 2, first_src="index.md", url_of=lambda src: src.replace(".md", ".html"))
    assert [p.url for p in pages] == ["index.html", "seite/2.html"]


@pytest.mark.unit
def test_empty_list_has_one_page():
    (page,) = paginate([], 10, first_src="index.md")
    assert page.items == () and page.count == 1 and page.older is None


@pytest.mark.unit
@pytest.mark.parametrize("value", [0, -1, "zehn", 1.5, True, 501])
def test_bad_page_size_is_a_german_error(value):
    size, problems = page_size({"listen": {"seitengroesse": value}})
    assert size == DEFAULT_SIZE
    assert len(problems) == 1 and "extra.listen.seitengroesse" in problems[0] and "ganze Zahl" in problems[0]


@pytest.mark.unit
def test_page_size_default_and_setting():
    assert page_size({}) == (DEFAULT_SIZE, [])
    assert page_size({"listen": {"seitengroesse": 25}}) == (25, [])
    assert "kein Abschnitt" in page_size({"listen": 5})[1][0]


# -----------------------------------------------------------------------------
# Build: 1000 generated articles, ten per page
# -----------------------------------------------------------------------------

COUNT = 1000


class Built:
    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Built:
    # Without preview images: 1000 PNGs would measure Pillow, not the listings.
    project = fixture_project(tmp_path_factory.mktemp("listings") / "p", COUNT, page_size=10, drop_hooks=("social",))
    result, out = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(out)


def head_link(soup: BeautifulSoup, rel: str) -> str | None:
    link = soup.find("link", rel=rel)
    return link["href"] if link else None


def pager_link(soup: BeautifulSoup, rel: str) -> str | None:
    link = soup.select_one(f".kn-pager a[rel={rel}]")
    return link["href"] if link else None


@pytest.mark.build
def test_start_page_shows_first_page_and_links_older(big):
    home = big.page("")
    assert len(home.select("#neueste-artikel + ul .kn-list__item")) == 10
    assert pager_link(home, "next") == "seite/2/" == head_link(home, "next")
    assert pager_link(home, "prev") is None and head_link(home, "prev") is None
    assert home.select_one(".kn-pager").get_text(" ", strip=True) == "Seite 1 von 100 Ältere Artikel →"
    assert home.select_one(".md-content a[href='archiv/']").get_text(strip=True) == f"Alle {COUNT} Artikel nach Jahren im Archiv"


@pytest.mark.build
def test_later_start_pages_have_own_address_and_neighbours(big):
    middle, last = big.page("seite/2"), big.page("seite/100")
    assert head_link(middle, "canonical").endswith("/seite/2/")
    assert (pager_link(middle, "prev"), pager_link(middle, "next")) == ("../../", "../3/")
    assert (head_link(middle, "prev"), head_link(middle, "next")) == ("../../", "../3/")
    assert [a.get_text(strip=True) for a in middle.select(".kn-list__title")][0] == "Artikel 11 über Vertrauen"
    assert pager_link(last, "next") is None and head_link(last, "next") is None
    assert middle.h1.get_text(strip=True) == "Alle Artikel – Seite 2 von 100"
    assert not (big.root / "seite" / "101").exists()


@pytest.mark.build
def test_tag_pages_are_paged_and_a_small_tag_is_not(big):
    first, second = big.page("tags/vertrauen"), big.page("tags/vertrauen/seite/2")
    assert len(first.select(".kn-list__item")) == 10 and pager_link(first, "next") == "seite/2/"
    assert head_link(second, "canonical").endswith("/tags/vertrauen/seite/2/")
    assert (pager_link(second, "prev"), pager_link(second, "next")) == ("../../", "../3/")
    assert "Artikel 11 bis 20 von 1000" in second.find("h2", id="artikel").get_text()
    assert second.find("a", string="Feed zu diesem Thema abonnieren")["href"] == "../../feed.xml"
    assert (big.root / "tags/groesse-und-wachstum/seite/34/index.html").is_file()
    assert not (big.root / "tags/groesse-und-wachstum/seite/35").exists()
    small = big.page("tags/selten")
    assert small.select_one(".kn-pager") is None and len(small.select(".kn-list__item")) == 2


@pytest.mark.build
def test_archive_lists_years_newest_first_with_counts(big):
    archive = big.page("archiv")
    years = [h2["id"] for h2 in archive.find_all("h2")]
    assert years == sorted(years, reverse=True) and years[0] == "jahr-2026"
    counts = [int(h2.select_one(".kn-archive__count").get_text().split()[1]) for h2 in archive.find_all("h2")]
    assert sum(counts) == COUNT
    assert len(archive.select(".kn-archive__item")) == COUNT
    first = archive.select_one(".kn-archive__item")
    assert first.a["href"] == "../probe-reihe/artikel-0001/" and first.time["datetime"] == "2026-11-20"
    assert [a.get_text(strip=True) for a in archive.select(".kn-archive__years a")][:2] == ["2026", "2025"]
    nav = [a.get_text(strip=True) for a in big.page("").select(".md-nav--primary .md-nav__link")]
    assert "Archiv" in nav


@pytest.mark.build
def test_later_pages_and_archive_stay_out_of_search(big):
    locations = {page["url"].strip("/") + "/" for page in index_pages(big.root / "pagefind")}
    assert "tags/vertrauen/" in locations
    assert not {loc for loc in locations if "seite/" in loc or loc.startswith("archiv")}


@pytest.mark.build
def test_sitemap_lastmod_comes_from_updated_or_date(big):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(big.root / "sitemap.xml")
    lastmod = {u.find("s:loc", ns).text.split("/kooperation-netzwerke/", 1)[1]: getattr(u.find("s:lastmod", ns), "text", None)
               for u in tree.getroot().findall("s:url", ns)}
    assert lastmod["probe-reihe/artikel-0001/"] == "2026-11-20"
    assert lastmod["probe-reihe/artikel-0002/"] == "2026-11-25"  # updated
    assert lastmod[""] == "2026-11-25"  # the newest change on the first page
    assert lastmod["impressum/"] is None  # no date in the sources: none invented
    assert lastmod["seite/2/"] == "2026-09-11"


# -----------------------------------------------------------------------------
# Bad input
# -----------------------------------------------------------------------------


@pytest.mark.build
def test_bad_page_size_stops_the_build_in_german(tmp_path):
    project = fixture_project(tmp_path / "p", 2, drop_hooks=("social",))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("seitengroesse: 10", "seitengroesse: zehn"), encoding="utf-8")
    result, _ = build_project(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "Fehler in 'mkdocs.yml', Feld 'extra.listen.seitengroesse': 'zehn' ist keine erlaubte Seitengröße" in output


@pytest.mark.build
def test_file_in_the_way_of_a_generated_page_is_named(tmp_path):
    project = fixture_project(tmp_path / "p", 3, page_size=1, drop_hooks=("social",))
    (project / "docs" / "seite").mkdir()
    (project / "docs" / "seite" / "2.md").write_text("# Eigene Seite\n", encoding="utf-8")
    result, _ = build_project(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "Fehler in 'docs/seite/2.md': Diese Datei verdeckt eine Seite, die beim Bauen entsteht" in output
