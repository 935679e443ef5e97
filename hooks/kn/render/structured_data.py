"""Structured data (JSON-LD, schema.org) for search engines, built per page:

- articles: `BlogPosting` (headline, description, dates, authors, publisher
  with logo, preview image, keywords from the tags, the series it is part of)
  and a `BreadcrumbList` Startseite → series → article;
- the start page: `WebSite`.

An author marked `team: true` in data/authors.yml (the editorial team, a
company) is an `Organization`, every other author a `Person`. The JSON is
escaped for a <script> element (`<`, `>` and `&` as \\u003c, \\u003e, \\u0026),
so no title can end it; overrides/fragments/kn/social-meta.html prints it.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import TYPE_CHECKING, Any

from kn import registry, view
from kn.render.social import LOGO, LOGO_SIZE, absolute

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from kn.registry import Article, Author, Series
    from kn.render.social import SocialImage

log = logging.getLogger("mkdocs.plugins.kn.structured_data")

CONTEXT = "https://schema.org"
LANGUAGE = "de-DE"
HOME_NAME = "Startseite"
# Characters that must not appear raw inside <script>: as JSON escapes instead.
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
    site = registry.SITE
    if not config.site_url:
        return None
    home = absolute(config.site_url, "")
    publisher = organisation(config.site_name, home, absolute(config.site_url, LOGO))
    if page.is_homepage:
        view.of(page).jsonld = [script_json(website(config.site_name, home, config.site_description, publisher))]
        return None
    article = site.by_uri.get(page.file.src_uri)
    series = site.series.get(article.series) if article else None
    if article is None or series is None or not page.canonical_url:
        return None
    series_url = absolute(config.site_url, series.url)
    posting = blog_posting(
        article, url=page.canonical_url, series=series, series_url=series_url,
        authors=view.of(page).authors, publisher=publisher, home=home,
        image=site.cache.previews.get(article.src_uri), words=site.reading_of(article).words,
    )
    trail = breadcrumbs([(HOME_NAME, home), (series.title, series_url), (article.title, page.canonical_url)])
    view.of(page).jsonld = [script_json(posting), script_json(trail)]
    return None


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def blog_posting(
    article: Article, *, url: str, series: Series, series_url: str, authors: list[Author],
    publisher: dict[str, Any], home: str, image: SocialImage | None, words: int = 0,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "BlogPosting",
        "headline": article.title,
        "description": article.description,
        "inLanguage": LANGUAGE,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.date),
    }
    updated = getattr(article, "updated", None)  # front matter `updated`, where the schema has it
    if updated and iso(updated) != iso(article.date):
        data["dateModified"] = iso(updated)
    data["author"] = [author_node(author, publisher, home) for author in authors]
    data["publisher"] = publisher
    if image is not None:
        data["image"] = {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}
    if article.tags:
        data["keywords"] = ", ".join(article.tags)
    data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series.title, "url": series_url}
    if words:
        data["wordCount"] = words
    return data


def author_node(author: Author, publisher: dict[str, Any], home: str) -> dict[str, Any]:
    """An author as schema.org Person, or Organization for a team
    (`team: true` in data/authors.yml, e.g. the editorial team)."""
    if author.team:
        return {"@type": "Organization", "name": author.name, "url": home}
    return {"@type": "Person", "name": author.name}


def organisation(name: str, home: str, logo: str) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": name,
        "url": home,
        "logo": {"@type": "ImageObject", "url": logo, "width": LOGO_SIZE, "height": LOGO_SIZE},
    }


def breadcrumbs(trail: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(name: str, home: str, description: str | None, publisher: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "WebSite", "name": name, "url": home, "inLanguage": LANGUAGE}
    if description:
        data["description"] = description
    data["publisher"] = publisher
    return data


def iso(value: datetime.date | datetime.datetime | str) -> str:
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else str(value)


def script_json(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> element: nothing in it
    can end the element or start a comment, and it still parses as the same JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text
