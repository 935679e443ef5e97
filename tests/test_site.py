"""The built site: German pages, articles, checklists, privacy, legal links."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import ARTICLES as ARTICLE_FILES
from conftest import CHECKLISTS, ROOT, SERIES, article, article_url
from kn.schema import split_front_matter

ARTICLES = [p.stem for p in ARTICLE_FILES]
GERMAN_DATE = re.compile(r"^\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$")


def article_urls() -> list[str]:
    return [article_url(path) for path in ARTICLE_FILES]


def test_build_is_clean(site):
    assert "WARNING" not in site.output


def test_every_page_is_german(site):
    for path in site.html_pages():
        html = path.read_text(encoding="utf-8")
        assert '<html lang="de"' in html, path


@pytest.mark.parametrize("url", article_urls())
def test_article_has_title_german_date_and_description(site, url):
    page = site.page(url)
    content = page.select_one("article.md-content__inner")
    assert content.h1 and content.h1.get_text(strip=True)
    time = content.select_one(".kn-article-meta time")
    assert GERMAN_DATE.match(time.get_text(strip=True)), time
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", time["datetime"])
    lead = content.select_one("p.kn-lead").get_text(strip=True)
    assert lead and lead == page.find("meta", attrs={"name": "description"})["content"]


def test_start_page_has_the_site_name_as_heading_and_title_once(site):
    page = site.page("")
    assert page.select_one("article h1").find(string=True, recursive=False).strip() == "Kooperation & Netzwerke"
    assert page.title.get_text(strip=True) == "Kooperation & Netzwerke"
    nav = page.select_one("nav.md-nav--primary")
    assert [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")][0] == "Startseite"


def test_start_page_lists_articles_newest_first_with_descriptions(site):
    from kn.read.articles import HOME_NEWEST

    page = site.page("")
    items = page.select("#neueste-artikel + ul .kn-list__item")
    assert len(items) == min(len(ARTICLES), HOME_NEWEST)
    dates = [item.time["datetime"] for item in items]
    assert dates == sorted(dates, reverse=True)
    for item in items:
        assert item.select_one(".kn-list__description").get_text(strip=True)
    assert "Gemeinsam sind Sie stärker." in page.get_text()


def test_start_page_links_every_checklist(site):
    links = {a["href"] for a in site.page("").select("#checklisten + ul a")}
    assert links == {f"checklisten/{name}/" for name in CHECKLISTS}
    for href in links:
        assert site.exists(href), href


@pytest.mark.parametrize("name", SERIES)
def test_series_overview_lists_parts_in_reading_order(site, name):

    parts = []
    for path in ARTICLE_FILES:  # published articles only: drafts are never listed
        if path.parent.name == name:
            meta, _body, _problems = split_front_matter(path.name, path.read_text(encoding="utf-8"))
            parts.append((meta.get("teil") is None, meta.get("teil") or 0, meta["date"], article_url(path)))
    items = site.page(f"{name}/").select("ol.kn-list .kn-list__item a.kn-list__title")
    assert [f"{name}/" + a["href"].strip("./").split("/")[-1] + "/" for a in items] == [p[3] for p in sorted(parts)]


def test_navigation_is_derived_without_listing_every_article(site):
    nav = site.page("").select_one("nav.md-nav--primary")
    titles = [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]
    assert "Checklisten" in titles and "Themen" in titles
    hrefs = [a["href"] for a in nav.select("a.md-nav__link")]
    assert not any("passende-partner-finden" in h for h in hrefs)


def test_german_quotes_from_smarty(project):
    project.write("docs/kooperation-netzwerke/zitat.md",
                  article("Zitate").replace("Ein Absatz mit Text.", 'Er sagte "ja" und \'vielleicht\'.'))
    result, built = project.build()
    assert result.returncode == 0, result.stderr
    text = built.page("kooperation-netzwerke/zitat/").select_one("article").get_text()
    assert "„ja“" in text and "‚vielleicht‘" in text


def test_body_text_hyphenates(site):
    css = (site.root / "assets" / "kn.css").read_text(encoding="utf-8")
    assert re.search(r"\.md-typeset p[^{]*\{[^}]*hyphens:\s*auto", css)


def test_search_is_german(site):
    import json

    # Pagefind (hooks/kn/publish/search.py) indexes every page as German: stemming for German words.
    entry = json.loads((site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["de"]
    assert site.page("").html["lang"] == "de"


def test_legal_links_on_every_page(site):
    for path in site.html_pages():
        page = site.page(str(path.relative_to(site.root)))
        legal = page.select_one("footer nav.kn-legal")
        assert legal, path
        texts = {a.get_text(strip=True) for a in legal.find_all("a")}
        assert texts == {"Impressum", "Datenschutz"}, path


def test_impressum_shows_operator_from_config(site):
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    operator = config["extra"]["betreiber"]
    text = site.page("impressum/").select_one("article").get_text(" ", strip=True).replace("\u00a0", " ")
    for key in ("name", "firma", "rechtsform", "strasse", "ort", "email", "telefon", "registergericht", "registernummer", "ust_id"):
        assert operator[key] in text, key


def test_impressum_marks_every_example_field_and_cites_the_law(site):
    page = site.page("impressum/").select_one("article")
    assert page.select_one(".kn-example-notice").get_text(" ", strip=True).startswith("Beispieldaten")
    fields = page.select("address.kn-operator, .kn-operator-details dd")
    lines = list(page.select_one("address.kn-operator").decode_contents().split("<br/>"))
    assert len(lines) >= 4 and all("Beispielangabe" in line for line in lines)
    assert fields and all("Beispielangabe" in dd.get_text() for dd in page.select(".kn-operator-details dd"))
    text = page.get_text(" ", strip=True).replace("\u00a0", " ")  # no-break spaces (typography.nbsp)
    for needle in ("§ 5 DDG", "§ 18 Abs. 2 MStV", "Rechtsform", "Registergericht", "Umsatzsteuer-Identifikationsnummer", "Nutzungsrechte"):
        assert needle in text, needle
    assert "Pull Request" not in text


def test_not_found_page_is_german(site):
    page = site.page("404.html")
    assert page.h1.get_text(strip=True) == "Seite nicht gefunden"


# -----------------------------------------------------------------------------
# Privacy: nothing is loaded from another origin
# -----------------------------------------------------------------------------

URL_ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
# <link rel="…"> values that make the browser load the linked URL.
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "preconnect", "dns-prefetch", "modulepreload", "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def is_third_party(url: str) -> bool:
    parsed = urlparse(url.strip())
    return parsed.scheme not in ("", "data") or url.strip().startswith("//")


def test_no_page_loads_anything_from_another_origin(site):
    for path in site.html_pages():
        page = site.page(str(path.relative_to(site.root)))
        for tag, attr in URL_ATTRS.items():
            for element in page.find_all(tag):
                if tag == "link" and not set(element.get("rel", [])) & LOADING_RELS:
                    continue
                url = element.get(attr)
                assert not url or not is_third_party(url), f"{path}: <{tag} {attr}={url}>"
        for style in page.find_all("style"):
            for match in CSS_URL.finditer(style.get_text()):
                assert not is_third_party(match.group(1) or match.group(2)), path


def test_no_stylesheet_loads_anything_from_another_origin(site):
    sheets = list(site.root.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            assert not is_third_party(url), f"{sheet}: {url}"


def test_no_google_fonts_or_cdn_anywhere(site):
    for path in site.root.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8")
            for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
                assert host not in text, f"{path} references {host}"
