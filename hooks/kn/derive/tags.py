"""Tags: a fixed vocabulary in data/tags.yml, one generated page per used tag
under /tags/<slug>/, the tag index on /tags/, and tag links on every article.

Tag pages are virtual files (`File.generated` in `on_files`); their Markdown
holds only the front matter, everything else comes from templates that the
page template renders after the text (a fragment of the page's view, set in
`on_env`, hooks/kn/view.py), so it is escaped and lands in the search index. The work is linear: one pass over the articles and
their tags.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.structure.files import File, InclusionLevel

from kn import names, registry, view
from kn.problems import error
from kn.registry import Tag
from kn.schema import VOCABULARY, parse_vocabulary, unknown_tags, vocabulary_note
from kn.text import german_key, slugify
from kn.view import Fragment

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.tags")

FOLDER = names.TAGS
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
    site.unused_tags = sorted(set(vocabulary) - set(site.tags), key=german_key)
    for tag in list(site.tags.values()):
        existing = files.get_file_from_path(tag.src_uri)
        if existing is not None and existing.generated_by:
            continue  # two tags with one slug: reported with data/tags.yml
        if existing is not None:
            site.errors.append(error(f"docs/{tag.src_uri}", None, (
                f"Diese Datei verdeckt die erzeugte Seite des Themas '{tag.name}'. "
                "Seiten unter docs/tags/ entstehen beim Bauen; bitte die Datei entfernen."
            )))
            continue
        file = File.generated(config, tag.src_uri, content=tag_markdown(tag), inclusion=InclusionLevel.NOT_IN_NAV)
        tag = site.tags[tag.name] = replace(tag, url=file.url)
        site.tag_pages[tag.src_uri] = tag
        files.append(file)
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    # Only for a build that did not fail (articles.on_nav raises first).
    if registry.SITE.unused_tags:
        log.info("Themen ohne Artikel (keine eigene Seite): %s", ", ".join(registry.SITE.unused_tags))
    return None


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        view.of(page).tags = [site.tags[name] for name in article.tags if name in site.tags]
    elif page.file.generated_by and page.file.src_uri in site.tag_pages:
        view.of(page).tag = site.tag_pages[page.file.src_uri]
    return None


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    site = registry.SITE
    view.append_listings(files, lambda page: tag_listing(site, page))
    return env


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
    broken = [a for a in site.validated_articles() if any(tag not in vocabulary for tag in a.tags)]
    for article in broken:
        # The whole vocabulary is named once, after the last unknown tag.
        note = vocabulary_note(vocabulary) if article is broken[-1] else ""
        site.errors.extend(unknown_tags(article.src_uri, article.tags, vocabulary, note=note))
    return {a.src_uri for a in broken}


def collect_tags(articles: list[registry.Article], vocabulary: dict[str, str]) -> dict[str, Tag]:
    """The used tags, each with its articles in the order given (newest first)."""
    members: dict[str, list[registry.Article]] = {}
    for article in articles:
        for name in article.tags:
            members.setdefault(name, []).append(article)
    tags: dict[str, Tag] = {}
    for name, tagged in members.items():
        slug = slugify(name)
        tags[name] = Tag(name, slug, vocabulary[name], f"{FOLDER}/{slug}.md", f"{FOLDER}/{slug}/", tuple(tagged))
    return tags


def tag_markdown(tag: Tag) -> str:
    """A tag page's Markdown: front matter only (plain text, escaped once by
    hooks/kn/security.py); the body (description, articles) comes from a template."""
    # A tag without description (allowed for imported tags) still gets a meta description.
    description = tag.description or f"Artikel zum Thema „{tag.name}“."
    meta = {"title": tag.name, "description": description}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def tag_listing(site: registry.Site, page: Page) -> Fragment | None:
    """The tag index on tags/index.md, or a tag page's description and articles."""
    src_uri = page.file.src_uri
    if src_uri == INDEX_URI:
        tags = sorted(site.tags.values(), key=lambda t: german_key(t.name))
        return Fragment("fragments/kn/tag-index.html", {"tags": tags})
    tag = view.of(page).tag
    if tag is not None:
        # Its page of articles (hooks/kn/derive/listings.py pages every tag's list).
        pager = site.cache.pagers.get(src_uri)
        return Fragment("fragments/kn/tag-page.html", {"tag": tag, "pager": pager,
                                                      "articles": pager.items if pager else tag.articles})
    return None
