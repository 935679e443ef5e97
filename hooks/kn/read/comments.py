"""Comments per article: open, closed or off, archived comments from
`data/comments/`, and the comment provider (Isso, giscus, e-mail); nothing
from another server before the reader's consent.

- State: front matter `comments` (schema.py maps YAML true/false to open/off),
  else `extra.comments.default`; `extra.comments.close_after_days: N` shows open
  articles dated more than N days before "today" as closed. "Today" is the
  build date, or the environment variable KN_HEUTE=JJJJ-MM-TT (for tests and
  for previewing a later date).
- Archived comments: `data/comments/<article path under docs/ without .md>.yml`
  (also for a page in a section's subfolder, e.g. an imported WordPress page
  `<section>/seiten/x.md`: its archive is shown, always closed),
  a list of entries with `author`, `date`, `text` (Markdown) and optionally
  `reply_to` (the number of the answered entry, counted from 1). Other keys are
  rejected, so that no e-mail address or other private field lands in the
  repository or on the site. The text is rendered with Python-Markdown without
  raw HTML, images or e-mail links; only http(s) and relative links survive.
- Provider (`extra.comments.provider`: isso, giscus or email): one module
  each in hooks/kn/comment_providers/ with its settings, template, script, CSP
  sources, consent key, what its client stores and its Datenschutz text. Open articles get the provider's box
  (`comment_box` of the page's view, hooks/kn/view.py) and its CSP sources (`csp`);
  closed and off articles get neither. The privacy page shows the configured
  provider's text where it has the marker `<!-- kn:kommentare-datenschutz -->`.
- Markup: overrides/partials/comments.html and overrides/fragments/kn/comments-*.html;
  the consent behaviour: docs/assets/kn-consent.js and each provider's script.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import xml.etree.ElementTree as etree
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import markdown
import yaml
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from kn import names, registry, view, yamlfile
from kn.comment_providers import DEFAULT as DEFAULT_PROVIDER
from kn.comment_providers import PROVIDERS, client_cookies, client_storage
from kn.comment_providers import email as email_provider
from kn.markdown.typography import ApostropheExtension
from kn.problems import Problem, error
from kn.registry import Comment, CommentSettings
from kn.render import templates
from kn.sanitize import sanitize_html
from kn.schema import COMMENT_STATES, check_comments, check_date, check_text, show, yaml_error

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


TODAY_ENV = "KN_HEUTE"
CONFIG = "mkdocs.yml"
DATA_DIR = names.COMMENTS_DIR
ENTRY_KEYS = ("author", "date", "text", "reply_to")
SETTINGS_KEYS = ("provider", "default", "close_after_days", *PROVIDERS)
DATENSCHUTZ_PAGE = "datenschutz.md"
DATENSCHUTZ_MARKER = "<!-- kn:kommentare-datenschutz -->"
SAFE_SCHEMES = ("", "http", "https")

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    # The one place that reads `extra.comments`; articles.on_files needs the default.
    site = registry.SITE
    site.comment_settings, problems = check_settings(config.extra.get("comments"))
    site.errors.extend(problems)
    site.comments_today, problem = check_today(os.environ.get(TODAY_ENV))
    if problem:  # reported with every other problem
        site.errors.append(problem)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    settings = site.comment_settings
    today = site.comments_today
    states = {a.src_uri: effective_state(
        a.comments, a.date, default=settings.default, close_after_days=settings.close_after_days, today=today,
    ) for a in site.articles}
    counts: dict[str, int] = {}
    open_articles = [uri for uri, state in states.items() if state == "open"]
    provider = PROVIDERS[settings.provider]
    checked, problems = provider.check(settings.sections.get(settings.provider), open_articles, extra=config.extra)
    site.comment_settings = replace(settings, provider_settings=checked)
    site.errors.extend(problems)
    threads = site.comment_threads
    # Comment text gets the site's typographic quotes (German: „…“).
    smarty = config.mdx_configs.get("smarty", {})
    folder = data_dir(config)
    for path, uri in comment_files(folder):
        rel = f"{DATA_DIR}/{path.relative_to(folder).as_posix()}"
        if uri not in site.by_uri and not section_page(uri, files, site.series):
            problem = missing_article(rel, uri, files)
            if problem:
                site.errors.append(problem)
            continue
        entries, problems = load_comments(rel, path.read_text(encoding="utf-8"), smarty=smarty)
        site.errors.extend(problems)
        if problems or states.get(uri) == "off":
            continue
        threads[uri] = thread(entries)  # a section's page (imported): its archive, always closed
        if uri in site.by_uri:
            counts[uri] = len(entries)
    # The one place an article gets its comment state and number of comments.
    site.replace_articles({
        a.src_uri: replace(a, comment_state=states[a.src_uri], comment_count=counts.get(a.src_uri, 0))
        for a in site.articles
    })
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    article = site.by_uri.get(page.file.src_uri)
    if article is not None:
        page_view = view.of(page)
        page_view.comments = site.comment_threads.get(page.file.src_uri, ())
        if article.comment_state == "open":
            settings = site.comment_settings
            provider = PROVIDERS[settings.provider]
            page_view.comment_box = comment_box(
                provider, settings.provider_settings, title=article.title,
                url=page.url, address=email_provider.operator_email(config.extra),
            )
            page_view.csp = provider.csp(settings.provider_settings)
    elif page.file.src_uri in site.comment_threads:
        # A page of a section (an imported WordPress page): its archived thread, closed.
        page_view = view.of(page)
        page_view.comments = site.comment_threads[page.file.src_uri]
        page_view.page_comments = "closed"
    elif page.file.src_uri == DATENSCHUTZ_PAGE and DATENSCHUTZ_MARKER in markdown:
        return markdown.replace(DATENSCHUTZ_MARKER, datenschutz_text(config), 1)
    return None


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # What the comment clients may leave in this origin, for the revoke button on
    # every page (fragments/kn/head.html, assets/kn-consent.js).
    env.globals["kn_consent_storage"] = client_storage()
    env.globals["kn_consent_cookies"] = client_cookies()
    return env


# -----------------------------------------------------------------------------
# Helpers: settings and state
# -----------------------------------------------------------------------------


def today_from_env(value: str | None) -> datetime.date:
    """The build's "today": KN_HEUTE=JJJJ-MM-TT if set, else the real date;
    a bad value stops with a PluginError (for the tools)."""
    today, problem = check_today(value)
    if problem:
        raise PluginError(problem)
    return today


def check_today(value: str | None) -> tuple[datetime.date, Problem | None]:
    """The build's "today" (see `today_from_env`) and the problem of a bad
    value (the real date is then used)."""
    if not value:
        return datetime.date.today(), None
    date, problem = check_date(value.strip())
    if problem:
        return datetime.date.today(), error(f"Umgebungsvariable {TODAY_ENV}", None, problem)
    return (date.date() if isinstance(date, datetime.datetime) else date), None


def check_settings(raw: Any) -> tuple[CommentSettings, list[Problem]]:
    """Validate `extra.comments` of mkdocs.yml; return clean settings and problems.
    A wrong default is reported and counts as "off"."""
    values: dict[str, Any] = {}  # the fields of CommentSettings, as checked
    problems: list[Problem] = []
    if raw is None:
        return CommentSettings(), problems
    if not isinstance(raw, dict):
        return CommentSettings(), [error(
            CONFIG, "extra.comments", f"{show(raw)} ist kein Abschnitt mit Feldern ({', '.join(SETTINGS_KEYS)}).",
        )]
    provider = raw.get("provider", DEFAULT_PROVIDER)
    if provider not in PROVIDERS:
        problems.append(error(CONFIG, "extra.comments.provider", (
            f"unbekannter Wert {show(provider)}. Erlaubt sind: {', '.join(PROVIDERS)}."
        )))
    else:
        values["provider"] = provider
    values["sections"] = {name: raw.get(name) for name in PROVIDERS}
    if raw.get("default") is not None:
        value, problem = check_comments(raw["default"])
        if problem:
            problems.append(error(CONFIG, "extra.comments.default", problem))
        values["default"] = value or "off"
    if raw.get("close_after_days") is not None:
        value, problem = check_days(raw["close_after_days"])
        if problem:
            problems.append(error(CONFIG, "extra.comments.close_after_days", problem))
        values["close_after_days"] = value
    return CommentSettings(**values), problems


def check_days(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None, (
            f"{show(value)} ist keine Anzahl von Tagen. "
            "Erlaubt ist eine ganze Zahl ab 0, z. B. 365, oder das Feld wird weggelassen."
        )
    return value, None


def effective_state(
    written: str | None, date: datetime.date, *, default: str | None,
    close_after_days: int | None, today: datetime.date,
) -> str:
    """open/closed/off as shown: the article's value or the default, and open
    articles older than close_after_days days are closed."""
    state = written or default or "off"
    if state not in COMMENT_STATES:
        state = "off"
    if state == "open" and close_after_days is not None and (today - date).days > close_after_days:
        return "closed"
    return state


def comment_box(
    provider: ModuleType, settings: dict[str, Any], *, title: str, url: str, address: str | None,
) -> dict[str, Any]:
    """What the provider's template needs under one open article; `mailto`
    (the e-mail box and every fallback) only with an operator address."""
    return {
        "provider": provider.NAME,
        "template": provider.TEMPLATE,
        "consent": provider.CONSENT,  # the box's data-kn-consent, read by its script
        "settings": settings,
        "thread": "/" + url.lstrip("/"),  # Isso's thread id: the page's path below site_url
        "title": title,
        "address": address,
        "mailto": email_provider.mailto(address, title) if address else None,
    }


def datenschutz_text(config: MkDocsConfig) -> str:
    """The privacy text of the configured provider, then that of writing by
    e-mail (the fallback of every provider), from their Markdown templates."""
    settings = registry.SITE.comment_settings
    names = list(dict.fromkeys([settings.provider, email_provider.NAME]))
    env = templates.theme_env(config)
    return "\n\n".join(
        env.get_template(PROVIDERS[name].DATENSCHUTZ).render(
            settings=settings.provider_settings if name == settings.provider else {}, config=config,
        ).strip()
        for name in names
    ) + "\n"


# -----------------------------------------------------------------------------
# Helpers: comments files
# -----------------------------------------------------------------------------


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / DATA_DIR


def comment_files(folder: Path) -> list[tuple[Path, str]]:
    """Every comments file and the src_uri of its article ('x/y.yml' -> 'x/y.md')."""
    if not folder.is_dir():
        return []
    return [(p, p.relative_to(folder).with_suffix(".md").as_posix()) for p in sorted(folder.rglob("*")) if p.is_file()]


def missing_article(rel: str, uri: str, files: Files) -> str | None:
    """A problem for a comments file without article; None for drafts and broken
    articles (reported elsewhere or published later)."""
    if not rel.endswith(".yml"):
        return error(rel, None, "Kommentardateien enden auf .yml, z. B. data/comments/serie/artikel.yml.")
    file = files.get_file_from_path(uri)
    if file is None:
        return error(rel, None, (
            f"Zu dieser Kommentardatei gibt es keine Seite 'docs/{uri}'. "
            "Benennen Sie die Datei wie den Artikel (Pfad unter docs/, Endung .yml statt .md) oder löschen Sie sie."
        ))
    if file.inclusion in (InclusionLevel.DRAFT, InclusionLevel.EXCLUDED):
        return None
    return error(rel, None, (
        f"Die Seite 'docs/{uri}' ist kein Artikel; Kommentare gibt es nur unter Artikeln und unter Seiten "
        "in einem Ordner eines Bereichs (z. B. docs/<bereich>/seiten/<seite>.md)."
    ))


def section_page(uri: str, files: Files, series: dict[str, Any]) -> bool:
    """True for a published page in a subfolder of a series or blog section
    (`<section>/seiten/x.md`, where the importer writes WordPress pages): it may
    show its archived comments, closed. Overviews (`index.md`) may not."""
    parts = uri.split("/")
    if len(parts) < 3 or parts[0] not in series or parts[-1] == "index.md":
        return False
    file = files.get_file_from_path(uri)
    return file is not None and not file.generated_by and file.inclusion not in (InclusionLevel.DRAFT, InclusionLevel.EXCLUDED)


def load_comments(rel: str, text: str, *, smarty: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read and check one comments file; entries with rendered HTML, and problems.
    `smarty`: the site's settings of the smarty extension (quotation marks)."""
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        return [], [yaml_error(rel, exc)]
    if data is None:
        data = []
    if not isinstance(data, list):
        return [], [error(rel, None, (
            f"{show(data)} ist keine Liste. Erwartet wird eine Liste von Kommentaren, "
            "jeder mit '- author: …', 'date: JJJJ-MM-TT' und 'text: …'."
        ))]
    entries: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, raw in enumerate(data, start=1):
        entry, entry_problems = check_entry(rel, number, raw, smarty=smarty)
        problems.extend(entry_problems)
        entries.append(entry)
    return ([] if problems else entries), problems


def check_entry(rel: str, number: int, raw: Any, *, smarty: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    where = f"Eintrag {number}"
    if not isinstance(raw, dict):
        return {}, [error(rel, where, f"{show(raw)} ist kein Kommentar. Erwartet: Felder author, date, text und optional reply_to.")]
    problems = []
    for key in raw:
        if key not in ENTRY_KEYS:
            problems.append(error(rel, f"{where}, Feld '{key}'", (
                f"unbekanntes Feld. Erlaubt sind: {', '.join(ENTRY_KEYS)}. "
                "E-Mail-Adressen und andere private Angaben gehören nicht ins Repository."
            )))
    entry: dict[str, Any] = {"number": number}
    for key, check in (("author", check_text), ("date", check_date), ("text", check_text)):
        if key not in raw:
            problems.append(error(rel, f"{where}, Feld '{key}'", "fehlt."))
            continue
        value, problem = check(raw[key])
        if problem:
            problems.append(error(rel, f"{where}, Feld '{key}'", problem))
        entry[key] = value
    reply_to = raw.get("reply_to")
    if reply_to is not None:
        if isinstance(reply_to, bool) or not isinstance(reply_to, int) or not 1 <= reply_to < number:
            allowed = f"eine Zahl von 1 bis {number - 1}" if number > 1 else "nichts (der erste Eintrag kann nicht antworten)"
            problems.append(error(rel, f"{where}, Feld 'reply_to'", (
                f"{show(reply_to)} verweist auf keinen früheren Eintrag. Erlaubt ist {allowed}: "
                "die Nummer des beantworteten Eintrags, gezählt ab 1."
            )))
        else:
            entry["reply_to"] = reply_to
    if not problems:
        entry["html"] = render_text(entry["text"], smarty=smarty)
    return entry, problems


def thread(entries: list[dict[str, Any]]) -> tuple[Comment, ...]:
    """Checked entries as a tree of records: top-level comments in file order,
    replies under their entry. A reply comes after its entry, so the records
    are made from the last entry up, each with its finished replies."""
    authors = {e["number"]: e.get("author") for e in entries}
    replies: dict[int, list[Comment]] = {}
    roots: list[Comment] = []
    for entry in reversed(entries):
        parent = entry.get("reply_to") if entry.get("reply_to") in authors else None
        comment = Comment(
            number=entry["number"], author=entry.get("author", ""), date=entry.get("date"), html=entry.get("html", ""),
            reply_to=parent, parent_author=authors.get(parent) if parent else None,
            replies=tuple(reversed(replies.pop(entry["number"], []))),
        )
        (replies.setdefault(parent, []) if parent else roots).append(comment)
    return tuple(reversed(roots))


# -----------------------------------------------------------------------------
# Helpers: safe Markdown for comment text
# -----------------------------------------------------------------------------


class _SafeTree(Treeprocessor):
    """Keep only harmless markup: links to http(s) or relative targets (marked
    as user content), headings turned into paragraphs."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                if not safe_href(element.get("href", "")):
                    element.attrib.pop("href", None)
                else:
                    element.set("rel", "nofollow ugc noopener")
            elif element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                element.tag = "p"


class SafeExtension(Extension):
    """Python-Markdown without raw HTML (it stays visible text), images (no
    request to other servers) and e-mail links."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        for name in ("html", "image_link", "image_reference", "short_image_ref", "automail"):
            md.inlinePatterns.deregister(name)
        md.treeprocessors.register(_SafeTree(md), "kn_safe", 1)


def safe_href(href: str) -> bool:
    """True for http(s) and relative link targets. Checked at every level of
    entity decoding, with the characters browsers ignore removed, so that
    '&#106;avascript:' or 'java\tscript:' do not get through."""
    seen = None
    while href != seen:
        cleaned = re.sub(r"[\t\n\r]", "", href).lstrip("".join(map(chr, range(0x21))))
        if urlparse(cleaned).scheme.lower() not in SAFE_SCHEMES:
            return False
        seen, href = href, html.unescape(href)
    return True


def render_text(text: str, *, smarty: dict[str, Any] | None = None) -> str:
    """A comment's Markdown as HTML in which nothing from the author is markup;
    `smarty` configures the quotation marks (the site's `smarty` settings)."""
    md = markdown.Markdown(extensions=[SafeExtension(), "smarty", ApostropheExtension()], extension_configs={"smarty": smarty or {}})
    return sanitize_html(md.convert(text))
