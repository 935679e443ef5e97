"""The second lock on comment HTML: an allow-list sanitizer (nh3, the binding
to Rust's ammonia) over whatever the comment renderer produced; and the leash
on the raw HTML of pages (`active_html`).

Not a hook module. `comments.render_text` passes its output through
`sanitize_html`, and so does every other path that turns a comment into HTML
(the importer's included), so there is exactly one policy: the elements and
attributes the comment templates need, links only to http(s) or relative
targets, each with rel="nofollow ugc noopener".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# -----------------------------------------------------------------------------
# Constants
# -----------------------------------------------------------------------------

TAGS = frozenset({"a", "blockquote", "br", "code", "em", "hr", "li", "ol", "p", "pre", "strong", "ul"})
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow ugc noopener"

# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def sanitize_html(html: str) -> str:
    """Comment HTML reduced to the allow-list; everything else is dropped
    (elements like <script> and <style> with their content, other elements
    keep their text)."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_only_allowed,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _only_allowed(tag: str, attribute: str, value: str) -> str | None:
    """ammonia keeps `title` and `lang` on every element by default: drop them
    (`rel` is the one ammonia sets from `link_rel`)."""
    if attribute in ATTRIBUTES.get(tag, ()) or (attribute == "rel" and value == LINK_REL):
        return value
    return None


# -----------------------------------------------------------------------------
# The leash on a page's HTML: nothing that runs, loads a document or navigates
# -----------------------------------------------------------------------------

# Elements a page body may not hold (CONTRIBUTING.md, „Erlaubtes HTML“), each
# with what it would do; HTML Markdown writes contains none of them.
ACTIVE_ELEMENTS = {
    "script": "führt ein Skript aus", "iframe": "lädt eine fremde Seite in die Seite",
    "frame": "lädt eine fremde Seite in die Seite", "frameset": "lädt fremde Seiten in die Seite",
    "object": "bettet ein Programm oder Dokument ein", "embed": "bettet ein Programm oder Dokument ein",
    "applet": "bettet ein Programm ein", "portal": "lädt eine fremde Seite in die Seite",
    "form": "schickt Eingaben an eine Adresse", "base": "ändert das Ziel aller Links der Seite",
    "meta": "kann die Seite weiterleiten oder ihre Regeln ändern", "link": "lädt Stile oder andere Dateien",
    "style": "ändert das Aussehen der ganzen Website (und verstößt gegen ihre Sicherheitsregeln)",
    "animate": "kann Links in Skripte verwandeln", "set": "kann Links in Skripte verwandeln",
    "handler": "führt ein Skript aus", "listener": "führt ein Skript aus",
}
# Attributes whose value is an address.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data", "ping",
    "lowsrc", "dynsrc", "longdesc", "codebase", "manifest", "icon", "srcset", "to", "from", "values",
})
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# data: images are allowed where only an image can come of them.
DATA_IMAGE_PLACES = frozenset({("img", "src"), ("img", "srcset"), ("source", "srcset"), ("source", "src")})
# What the site's own scripts act on: a hand-built copy (e.g. of the video
# placeholder) would make them load what the author wants.
OWN_PREFIXES = ("data-kn", "data-md")
# … except the consent buttons a page may show (docs/datenschutz.md): they
# only forget a consent and say so.
OWN_ALLOWED = frozenset({"data-kn-consent-revoke", "data-kn-consent-status"})
URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")


class _ActiveParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(active_parts(tag, attrs))

    handle_startendtag = handle_starttag

    def unknown_decl(self, data: str) -> None:  # <![…]> outside SVG/MathML
        pass


def active_html(html: str) -> list[tuple[str, str]]:
    """(what, where) for everything in a page's HTML that runs, loads a
    document or navigates by itself: `where` is what the author wrote
    (`<script`, `onclick=`, …), to find the line in the source."""
    parser = _ActiveParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser on broken declarations like <![>
        parser.found.append(("eine unvollständige Deklaration „<![“ (ungültiges HTML)", "<!["))
    return parser.found


def active_parts(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if tag in ACTIVE_ELEMENTS:
        found.append((f"<{tag}> {ACTIVE_ELEMENTS[tag]}", f"<{tag}"))
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            found.append((f"Das Attribut {name}= führt ein Skript aus", f"{name}"))
        elif name in ("srcdoc", "http-equiv"):
            found.append((f"Das Attribut {name}= lädt oder ändert die Seite", name))
        elif name.startswith(OWN_PREFIXES) and name not in OWN_ALLOWED:
            found.append((f"Das Attribut {name}= ist den Bausteinen der Website vorbehalten "
                          "(etwa dem Video-Platzhalter, den die Zwei-Klick-Lösung selbst baut)", name))
        elif name == "style":  # Markdown's table alignment is a class (embeds.TableAlignExtension)
            found.append(("Das Attribut style= verstößt gegen die Sicherheitsregeln der Website "
                          "(Stile stehen nur in docs/assets/kn.css)", "style"))
        elif name in ("id", "for", "form", "list") and value.startswith("__"):
            found.append((f"Das Attribut {name}=\"{value[:40]}\" gehört dem Theme (Namen mit „__“ am Anfang); "
                          "ein zweites Element damit brächte die Skripte der Website durcheinander", name))
        elif name == "name" and tag in ("img", "input", "button", "select", "textarea", "output", "fieldset"):
            found.append((f"Das Attribut name= auf <{tag}> kann die Skripte der Website täuschen", "name"))
        elif name in URL_ATTRIBUTES:
            url = URL_NOISE_RE.sub("", value).lower()
            scheme = next((s for s in ACTIVE_SCHEMES if url.startswith(s) or f",{s}" in url or f";{s}" in url), None)
            if scheme and not (scheme == "data:" and (tag, name) in DATA_IMAGE_PLACES and url.startswith("data:image/")
                               and not url.startswith("data:image/svg")):
                found.append((f"Die Adresse in {name}= beginnt mit „{scheme}“ und würde ein Skript oder "
                              "eingebettetes Dokument öffnen", scheme))
    return found

