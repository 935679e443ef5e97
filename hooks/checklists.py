"""Checklists: written once in `docs/checklisten/<name>.md`, shown on their own
page and included verbatim into every article with the line

    --8<-- "checklisten/<name>.md"

A checklist file holds exactly one `!!! checkliste "Titel"` admonition with a
task list. Both the page and every include are wrapped in the same container,
so the checklist renders identically everywhere and carries its name for the
print button and for the ticks kept in localStorage.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import registry
from registry import Checklist, error

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.checklists")

FOLDER = "checklisten"
INCLUDE_RE = re.compile(r'^--8<--[ \t]+"checklisten/([^"/]+)\.md"[ \t]*$', re.M)
ANY_INCLUDE_RE = re.compile(r"^[ \t]*--8<--.*$", re.M)
# Material's task-list item puts the item text after the <label>, so the checkbox
# has no accessible name; `label_task_items` moves the text into the label.
TASK_LABEL_RE = re.compile(
    r'(<label class="task-list-control">(?:(?!</label>).)*?)</label>'
    r"((?:(?!</?(?:li|ul|ol|p|div|label)\b).)*?)(\s*)(?=</?(?:li|ul|ol|p|div|label)\b|\Z)",
    re.S,
)
HEAD_RE = re.compile(r'\A(?:!!!|\?\?\?\+?)[ \t]+checkliste(?:[ \t]+"([^"]*)")?[ \t]*$')
ITEM_RE = re.compile(r"^ {4}- \[[ xX]\] (.+)$", re.M)
DEFAULT_TITLE = "Checkliste"
# More items than this print in smaller type, so the page stays one A4 sheet.
LONG_CHECKLIST = 15

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    for file in files.documentation_pages():
        name = checklist_name(file.src_uri)
        if name is None:
            continue
        checklist, problem = parse_checklist(name, file.src_uri, file.url, file.content_string)
        if problem:
            site.errors.append(problem)
        else:
            site.checklists[name] = checklist
    for article in site.validated_articles():
        article.checklists, problems = find_includes(article.src_uri, article.body, site.checklists)
        site.errors.extend(problems)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    name = checklist_name(page.file.src_uri)
    if name in site.checklists:
        checklist = site.checklists[name]
        page.meta.setdefault("title", checklist.title)
        page.meta.setdefault("description", f"Checkliste zum Ausdrucken: {checklist.title}.")
        page.meta["kn_checklist"] = checklist
        return wrap(checklist, page, own_page=True)
    if page.file.src_uri in site.by_uri:
        return INCLUDE_RE.sub(lambda m: wrap(site.checklists[m.group(1)], page, own_page=False), markdown)
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    html = label_task_items(html)
    if page.file.src_uri == f"{FOLDER}/index.md":
        site = registry.SITE
        return html + site.render("partials/kn-checklist-index.html", page, checklists=sorted_checklists(site))
    return html


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def checklist_name(src_uri: str) -> str | None:
    """'checklisten/x.md' -> 'x'; None for every other page."""
    folder, _, filename = src_uri.partition("/")
    if folder != FOLDER or "/" in filename or not filename.endswith(".md") or filename == "index.md":
        return None
    return filename[:-3]


def label_task_items(html: str) -> str:
    """Move each task-list item's text into its <label>, so the checkbox is named
    by it (and a click on the text ticks the box). Block content stays outside."""
    if "task-list-control" not in html:
        return html
    return TASK_LABEL_RE.sub(r"\1\2</label>\3", html)


def parse_checklist(name: str, src_uri: str, url: str, text: str) -> tuple[Checklist | None, str | None]:
    """Read a checklist file; return it, or a message saying what is wrong."""
    first = text.lstrip("\n").split("\n", 1)[0].rstrip()
    match = HEAD_RE.match(first)
    if not match:
        return None, error(src_uri, None, (
            'Eine Checkliste beginnt mit der Zeile !!! checkliste "Titel" '
            f"und enthält keinen Kopfbereich; gefunden: '{first}'."
        ))
    items = ITEM_RE.findall(text)
    if not items:
        return None, error(src_uri, None, "Die Checkliste enthält keine Punkte der Form '    - [ ] Text'.")
    title = (match.group(1) or "").strip() or DEFAULT_TITLE
    return Checklist(name, src_uri, url, title, [i.strip() for i in items], text.strip("\n")), None


def find_includes(src_uri: str, body: str, known: dict[str, Checklist]) -> tuple[list[str], list[str]]:
    """The checklists an article includes, and problems with its include lines."""
    names: list[str] = []
    problems: list[str] = []
    for match in ANY_INCLUDE_RE.finditer(body):
        line = match.group(0)
        include = INCLUDE_RE.match(line)
        if include is None:
            problems.append(error(src_uri, None, (
                f"Die Zeile '{line.strip()}' bindet nichts ein: erlaubt sind nur Checklisten, "
                'ohne Einrückung, in der Form --8<-- "checklisten/<name>.md".'
            )))
            continue
        name = include.group(1)
        if name not in known:
            available = ", ".join(sorted(known)) or "keine"
            problems.append(error(src_uri, None, (
                f"Die eingebundene Checkliste 'checklisten/{name}.md' gibt es nicht. "
                f"Vorhanden sind: {available}."
            )))
        elif name not in names:
            names.append(name)
    return names, problems


def sorted_checklists(site: registry.Site) -> list[Checklist]:
    from text import german_key

    return sorted(site.checklists.values(), key=lambda c: german_key(c.title))


def page_modifiers(checklist: Checklist) -> str:
    """CSS modifiers of a checklist's own page: it prints as one A4 sheet."""
    modifiers = " kn-checklist--page"
    if len(checklist.items) > LONG_CHECKLIST:
        modifiers += " kn-checklist--long"
    return modifiers


def wrap(checklist: Checklist, page: Page, *, own_page: bool) -> str:
    """The checklist's Markdown inside its container, with print and reset buttons."""
    actions = registry.SITE.render("partials/kn-checklist-actions.html", page, checklist=checklist, own_page=own_page)
    modifier = page_modifiers(checklist) if own_page else ""
    return (
        f'<div class="kn-checklist{modifier}" data-checklist="{checklist.name}" markdown>\n\n'
        f"{checklist.source}\n\n"
        f"{actions.strip()}\n\n"
        "</div>\n"
    )
