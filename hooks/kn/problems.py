"""Problems an author must fix: one type for every check of the build and
the tools, with the file, field and line it is about and the German text,
and one collector that reports them all at once.

Every message is made by `error` („Fehler in 'datei', Feld 'x': …“); every
build that stops for problems stops in `stop` (GitHub annotations from
kn/annotate.py, then one PluginError naming each problem). Imports of `kn`:
only kn.annotate (which imports nothing of `kn` but kn.yamlfile), so every
module may use this one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from mkdocs.exceptions import PluginError

from kn import annotate

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class Problem(str):
    """A build error for authors: the German message itself (a `str`, so every
    use as text keeps working), and where it is: `src` (as given to `error`),
    `field`, `line` (in the file, from 1; None when unknown) and `detail` (the
    message without "Fehler in …: "). hooks/kn/annotate.py shows it on GitHub."""

    src: str
    field: str | None
    line: int | None
    detail: str

    def __new__(cls, message: str, *, src: str, field: str | None = None,
                line: int | None = None, detail: str | None = None) -> Problem:
        self = super().__new__(cls, message)
        self.src, self.field, self.line = src, field, line
        self.detail = message if detail is None else detail
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle
        return (str(self),), {"src": self.src, "field": self.field, "line": self.line, "detail": self.detail}


# Line breaks and other control characters in a message (from a value an
# author wrote) would start a new log line: shown as escapes (\n, \x1b).
_LINE_BREAKING_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """A message as one line: control characters written as escapes."""
    return _LINE_BREAKING_RE.sub(lambda m: repr(m.group(0))[1:-1], text)


def error(src: str, field_name: str | None, problem: str, *, line: int | None = None,
          where: str | None = None, show_line: bool = False) -> Problem:
    """Format a build error for authors, in one format everywhere (one line:
    a value's line breaks are shown as escapes, see `one_line`):
    „Fehler in 'src', Feld 'field': problem“.

    `line`: the line in the file (for the annotation); `show_line`: the message
    names it too („Fehler in 'src', Zeile 4: …“). `where`: a place the message
    names instead of the field („Eintrag 2, Feld 'text', Zeile 5“, „Byte 17“);
    it is then part of `detail`, since no field or line says it."""
    src, problem = one_line(src), one_line(problem)
    field_name = one_line(field_name) if field_name else None
    place = one_line(where) if where else (f"Feld '{field_name}'" if field_name else None)
    if show_line and line is not None:
        place = f"{place}, Zeile {line}" if place else f"Zeile {line}"
    message = f"Fehler in '{src}'" + (f", {place}" if place else "") + f": {problem}"
    detail = f"{one_line(where)}: {problem}" if where else problem
    return Problem(message, src=src, field=field_name, line=line, detail=detail)


# -----------------------------------------------------------------------------
# Collecting and reporting
# -----------------------------------------------------------------------------


class Problems(list[Problem]):
    """The problems of one build or one tool run, in the order they were found."""

    def add(self, src: str, field_name: str | None, problem: str, **place: Any) -> Problem:
        """Make a problem with `error` and keep it."""
        found = error(src, field_name, problem, **place)
        self.append(found)
        return found

    def report(self, config: MkDocsConfig | None = None, *, where: str = "in den Inhalten") -> None:
        """Stop the build if there is any problem (see `stop`)."""
        stop(self, config, where=where)


def stop(problems: Iterable[str], config: MkDocsConfig | None = None, *, where: str = "in den Inhalten") -> None:
    """Stop the build with every problem at once, each on its own line; under
    GitHub Actions each is an annotation on its file and line first (needs the
    config, which says where the repository and docs/ are)."""
    problems = list(problems)
    if not problems:
        return
    if config is not None:
        annotate.print_annotations(problems, root=Path(config.config_file_path).parent, docs_dir=Path(config.docs_dir))
    head = "Ein Problem" if len(problems) == 1 else f"{len(problems)} Probleme"
    raise PluginError(f"{head} {where}; die Website wurde nicht gebaut:\n  " + "\n  ".join(problems))
