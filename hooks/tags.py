"""Tags: a fixed vocabulary in data/tags.yml, one generated page per used tag
under /tags/<slug>/, the tag index on /tags/, and tag links on every article.

Tag pages are virtual files (`File.generated` in `on_files`); their Markdown
holds only the front matter, everything else comes from templates appended in
`on_page_content`, so it is escaped and lands in the search index. The work is
linear: one pass over the articles and their tags.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.structure.files import File, InclusionLevel

import registry
from registry import Tag, error
from schema import VOCABULARY, parse_vocabulary, unknown_tags
from text import german_key, slugify

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.tags")

FOLDER = "tags"
INDEX_URI = f"{FOLDER}/index.md"

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    vocabulary, problems = parse_vocabulary(read_vocabulary(config))
    site.errors.extend(problems)
    if not vocabulary:
        # Without a vocabulary every tag would be "unknown": report the file only.
        return files
    broken = check_articles(site, vocabulary)
    for src_uri in broken:
        # Nothing is published from an article with an unknown tag.
        file = files.get_file_from_path(src_uri)
        if file is not None:
            file.inclusion = InclusionLevel.EXCLUDED
    articles = [a for a in site.articles if a.src_uri not in broken]
    site.tags = collect_tags(articles, vocabulary)
    unused = sorted(set(vocabulary) - set(site.tags), key=german_key)
    if unused:
        log.info("Themen ohne Artikel (keine eigene Seite): %s", ", ".join(unused))
    for tag in site.tags.values():
        if files.get_file_from_path(tag.src_uri) is not None:
            site.errors.append(error(f"docs/{tag.src_uri}", None, (
                f"Diese Datei verdeckt die erzeugte Seite des Themas '{tag.name}'. "
                "Seiten unter docs/tags/ entstehen beim Bauen; bitte die Datei entfernen."
            )))
            continue
        file = File.generated(config, tag.src_uri, content=tag_markdown(tag), inclusion=InclusionLevel.NOT_IN_NAV)
        tag.url = file.url
        site.extra.setdefault("tag_pages", {})[tag.src_uri] = tag
        files.append(file)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        page.meta["kn_tags"] = [site.tags[name] for name in article.tags if name in site.tags]
    elif page.file.generated_by and page.file.src_uri in site.extra.get("tag_pages", {}):
        page.meta["kn_tag"] = site.extra["tag_pages"][page.file.src_uri]
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    listing = render_tag_listing(registry.SITE, page)
    return html + listing if listing else None


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def read_vocabulary(config: MkDocsConfig) -> str | None:
    """The text of data/tags.yml next to mkdocs.yml, or None when it is missing."""
    path = Path(config.config_file_path).parent / VOCABULARY
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def check_articles(site: registry.Site, vocabulary: dict[str, str]) -> set[str]:
    """Report every article tag outside the vocabulary; return the broken articles."""
    broken: set[str] = set()
    for article in site.validated_articles():
        problems = unknown_tags(article.src_uri, article.tags, vocabulary)
        if problems:
            site.errors.extend(problems)
            broken.add(article.src_uri)
    return broken


def collect_tags(articles: list[registry.Article], vocabulary: dict[str, str]) -> dict[str, Tag]:
    """The used tags, each with its articles in the order given (newest first)."""
    tags: dict[str, Tag] = {}
    for article in articles:
        for name in article.tags:
            tag = tags.get(name)
            if tag is None:
                slug = slugify(name)
                src_uri = f"{FOLDER}/{slug}.md"
                tag = tags[name] = Tag(name, slug, vocabulary[name], src_uri, f"{FOLDER}/{slug}/")
            tag.articles.append(article)
    return tags


def tag_markdown(tag: Tag) -> str:
    """A tag page's Markdown: front matter only (plain text, escaped once by
    hooks/security.py); the body (description, articles) comes from a template."""
    meta = {"title": tag.name, "description": tag.description}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def render_tag_listing(site: registry.Site, page: Page) -> str | None:
    """The tag index on tags/index.md, or a tag page's description and articles."""
    src_uri = page.file.src_uri
    if src_uri == INDEX_URI:
        tags = sorted(site.tags.values(), key=lambda t: german_key(t.name))
        return site.render("partials/kn-tag-index.html", page, tags=tags)
    tag = page.meta.get("kn_tag")
    if tag is not None:
        return site.render("partials/kn-tag-page.html", page, tag=tag)
    return None
