"""Reader features: authors, reading time, position in the series, Atom feeds
and the data for social previews.

- `data/authors.yml` maps an author id to name, bio and an optional avatar (a
  file under docs/, never a URL). Articles name their authors by id.
- Reading time: words of the rendered article plus its included checklists
  (each checklist counted once per build), ÷ 200, rounded up; shown on the
  article and in every listing (listings are added in on_env, when every
  article has been rendered).
- „Teil n von N“ with the previous and next part of the series.
- Atom feeds (feedgen): `/feed.xml` with the newest articles, and
  `/tags/<slug>/feed.xml` for every tag in use, each entry with its summary
  and its full text (hooks/kn/render/feed_content.py). Drafts never appear.
- `fragments/kn/head.html` links the feeds and writes the Open Graph meta.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable

import yaml
from feedgen.feed import FeedGenerator
from mkdocs.structure.files import InclusionLevel

from kn import names, registry, view, yamlfile
from kn.problems import Problem, error
from kn.read import checklists
from kn.registry import Article, Author, Reading
from kn.schema import show, yaml_error
from kn.text import count_words, moment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


AUTHORS_FILE = names.AUTHORS_FILE
WORDS_PER_MINUTE = 200
FEED_SIZE = 20
FEED_PATH = "feed.xml"
URL_RE = re.compile(r"\A(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    root = Path(config.config_file_path).parent
    authors, problems = load_authors(root / AUTHORS_FILE, Path(config.docs_dir))
    site.errors.extend(problems)
    site.authors = authors
    broken: set[str] = set()
    for article in site.validated_articles():
        problem = check_article_authors(article.src_uri, article.authors, authors)
        if problem and authors:
            site.errors.append(problem)
            if article.src_uri in site.by_uri:
                broken.add(article.src_uri)
    unpublish(site, files, broken)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    page_view = view.of(page)
    article: Article | None = page_view.article
    if article is not None:
        authors = site.authors
        page_view.authors = [authors[a] for a in article.authors if a in authors]
        page_view.position = series_position(site, article)
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        # The article's own text; its checklists are still markers (HTML comments).
        # Measured once per page and build: the one place that sets its reading time.
        assert page.file.src_uri not in site.cache.reading, f"{page.file.src_uri}: measured twice in one build"
        words = count_words(html) + sum(checklist_words(site, name) for name in article.checklists)
        site.cache.reading[page.file.src_uri] = Reading(words, reading_minutes(words))
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    site = registry.SITE
    if site.errors:
        return
    site_url = config.site_url or "/"
    authors = site.authors
    out = Path(config.site_dir)
    content = site.cache.feed_html  # full texts (hooks/kn/render/feed_content.py)
    write_feed(out / FEED_PATH, feed_info(config.site_name, site_url, FEED_PATH, config.site_description),
               site.articles, authors, content)
    # The used tags, each with its articles newest first, come from hooks/kn/derive/tags.py.
    for tag in site.tags.values():
        if all(a.draft for a in tag.articles):
            continue
        path = f"{tag_folder(tag)}{FEED_PATH}"  # tags/<slug>/feed.xml, whatever the page addresses
        info = feed_info(f"{config.site_name} – Thema „{tag.name}“", site_url, path,
                         f"Artikel zum Thema „{tag.name}“.")
        write_feed(out / path, info, tag.articles, authors, content)


# -----------------------------------------------------------------------------
# Helpers: authors
# -----------------------------------------------------------------------------


def load_authors(path: Path, docs_dir: Path) -> tuple[dict[str, Author], list[Problem]]:
    """Read and check data/authors.yml; return the authors and German problems."""
    if not path.is_file():
        return {}, [error(AUTHORS_FILE, None, "Die Datei fehlt. Sie ordnet jeder Autoren-ID Name und Kurzbiografie zu.")]
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return {}, [yaml_error(AUTHORS_FILE, exc)]
    return parse_authors(data, existing=lambda p: (docs_dir / p).is_file())


def parse_authors(data: Any, *, existing: Callable[[str], bool] = lambda _p: True) -> tuple[dict[str, Author], list[Problem]]:
    """Check the parsed YAML of data/authors.yml; `existing(path)` says whether a
    file under docs/ exists."""
    if not isinstance(data, dict) or not data:
        return {}, [error(AUTHORS_FILE, None, "Erwartet werden Einträge der Form 'id: {name: …, bio: …}'.")]
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    for key, entry in data.items():
        author_id = str(key)
        if not isinstance(entry, dict):
            problems.append(error(AUTHORS_FILE, author_id, "Erwartet werden die Felder name, bio und optional avatar und team."))
            continue
        unknown = sorted(set(map(str, entry)) - {"name", "bio", "avatar", "team"})
        if unknown:
            problems.append(error(AUTHORS_FILE, f"{author_id}.{unknown[0]}", "unbekanntes Feld. Erlaubt sind: name, bio, avatar, team."))
        team = entry.get("team", False)
        if not isinstance(team, bool):
            problems.append(error(AUTHORS_FILE, f"{author_id}.team", (
                f"{show(team)} ist kein Wahrheitswert. Erlaubt sind: true (eine Redaktion oder Firma), false (eine Person)."
            )))
            team = False
        texts = {}
        for name in ("name", "bio"):
            value = entry.get(name)
            # The bio is optional (imported authors have none); the name is not.
            if name == "bio" and value is None:
                texts[name] = ""
                continue
            if not isinstance(value, str) or not value.strip():
                problems.append(error(AUTHORS_FILE, f"{author_id}.{name}", "fehlt oder ist leer. Erwartet wird ein Text."))
            texts[name] = value.strip() if isinstance(value, str) else ""
        avatar, problem = check_avatar(entry.get("avatar"), existing)
        if problem:
            problems.append(error(AUTHORS_FILE, f"{author_id}.avatar", problem))
        authors[author_id] = Author(author_id, texts["name"], texts["bio"], avatar, team)
    # Entries with problems stay known, so that articles naming them get no second error.
    return authors, problems


def check_avatar(value: Any, existing: Callable[[str], bool]) -> tuple[str | None, str | None]:
    """An avatar is a relative path to a file under docs/, never a URL."""
    if value is None:
        return None, None
    expected = "Erlaubt ist der Pfad zu einer Bilddatei unter docs/, z. B. 'bilder/jana-becker.jpg'."
    if not isinstance(value, str) or not value.strip():
        return None, f"kein Text. {expected}"
    value = value.strip()
    if URL_RE.match(value):
        return None, f"'{value}' ist eine Adresse im Netz; Bilder von fremden Servern lädt die Website nicht. {expected}"
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        return None, f"'{value}' liegt nicht unter docs/. {expected}"
    if not existing(value):
        return None, f"Die Datei 'docs/{value}' gibt es nicht. {expected}"
    return value, None


def check_article_authors(src_uri: str, ids: list[str], known: dict[str, Author]) -> Problem | None:
    """A problem for the first unknown author id of an article, or None."""
    for author_id in ids:
        if author_id not in known:
            return error(src_uri, "authors", (
                f"unbekannte Autoren-ID '{author_id}'. Bekannt sind (aus {AUTHORS_FILE}): {', '.join(known)}. "
                "Wer unter eigenem Namen schreibt, trägt sich dort mit ID, Name und einem Satz zur Person ein; "
                "sonst steht hier 'redaktion'."
            ))
    return None


def unpublish(site: registry.Site, files: Files, src_uris: set[str]) -> None:
    """Nothing is published from an article with a broken field."""
    site.remove_articles(src_uris)
    for src_uri in src_uris:
        file = files.get_file_from_path(src_uri)
        if file is not None:
            file.inclusion = InclusionLevel.EXCLUDED


# -----------------------------------------------------------------------------
# Helpers: reading time and series position
# -----------------------------------------------------------------------------


def checklist_words(site: registry.Site, name: str) -> int:
    """Words of a checklist as rendered (its title and items), counted once per build."""
    if name not in site.cache.checklist_words:
        checklist = site.checklists.get(name)
        site.cache.checklist_words[name] = count_words(checklists.admonition_html(site, checklist)) if checklist else 0
    return site.cache.checklist_words[name]


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at 200 words per minute, rounded up (at least 1)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Position:
    number: int
    total: int
    series_title: str
    series_url: str
    previous: Article | None
    next: Article | None


def series_position(site: registry.Site, article: Article) -> Position | None:
    series = site.series.get(article.series)
    if series is None or series.kind == "blog":
        return None  # a blog's posts are no numbered parts
    if site.cache.part_index is None:  # once per build: each article's place in its series
        site.cache.part_index = {a.src_uri: i for s in site.series.values() for i, a in enumerate(s.articles)}
    parts = series.articles
    index = site.cache.part_index.get(article.src_uri)
    if index is None or index >= len(parts) or parts[index].src_uri != article.src_uri:
        return None  # not one of the series' parts (a draft the build leaves out)
    return Position(
        number=index + 1,
        total=len(parts),
        series_title=series.title,
        series_url=series.url,
        previous=parts[index - 1] if index > 0 else None,
        next=parts[index + 1] if index + 1 < len(parts) else None,
    )


# -----------------------------------------------------------------------------
# Helpers: tags and feeds
# -----------------------------------------------------------------------------


def tag_folder(tag: registry.Tag) -> str:
    """The folder of a tag's feed: 'tags/<slug>/' (its page may be tags/<slug>.html)."""
    return tag.src_uri.removesuffix(".md") + "/"


def feed_info(title: str, site_url: str, path: str, subtitle: str) -> dict[str, str]:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return {"title": title, "home": base, "url": base + path, "subtitle": subtitle}


def feed_date(value: datetime.date) -> datetime.datetime:
    """A date (or datetime) as a feed timestamp: a date alone is midnight UTC."""
    return moment(value)


def last_change(article: Article) -> datetime.datetime:
    """When an article last changed: `updated`, else its date."""
    return max(article.moment(), feed_date(article.updated)) if article.updated else article.moment()


def feed_entries(articles: list[Article]) -> list[Article]:
    """The articles a feed of `articles` (newest first) shows: the newest FEED_SIZE published."""
    return [a for a in articles if not a.draft][:FEED_SIZE]


def in_feeds(site: registry.Site) -> frozenset[str]:
    """The source paths of every article that the site's feed or a tag's feed
    shows (`on_post_build`): only these need their full text for the feeds."""
    if site.cache.feed_uris is None:
        shown = feed_entries(site.articles)
        for tag in site.tags.values():
            shown += feed_entries(tag.articles)
        site.cache.feed_uris = frozenset(a.src_uri for a in shown)
    return site.cache.feed_uris


def write_feed(path: Path, info: dict[str, str], articles: list[Article], authors: dict[str, Author],
               content: dict[str, str] | None = None) -> None:
    """An Atom feed of the newest FEED_SIZE of `articles` (already newest first),
    each entry with its summary and, where `content` has it, its full text."""
    base = info["home"]
    entries = feed_entries(articles)
    feed = FeedGenerator()
    feed.id(info["url"])
    feed.title(info["title"])
    feed.subtitle(info["subtitle"])
    feed.language("de")
    feed.link(href=info["url"], rel="self", type="application/atom+xml")
    feed.link(href=base, rel="alternate", type="text/html")
    feed.updated(max((last_change(a) for a in entries), default=feed_date(datetime.date(2000, 1, 1))))
    for article in entries:
        entry = feed.add_entry(order="append")
        link = base + article.url
        entry.id(article.guid or link)  # an imported post keeps its old id: readers do not see it again
        entry.title(article.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(article.moment())
        entry.updated(last_change(article))
        for author_id in article.authors:
            if author_id in authors:
                entry.author(name=authors[author_id].name)
        entry.summary(article.description)
        if content and article.src_uri in content:
            entry.content(content[article.src_uri], type="html")
        for tag in article.tags:
            entry.category(term=tag, label=tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    feed.atom_file(str(path), pretty=True)
