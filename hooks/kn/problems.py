"""Problems an author must fix: one type for every check of the build and
the tools, with the file, field and line it is about and the German text.

Imports nothing of `kn`: every module may use it.
"""

from __future__ import annotations

import re
from typing import Any


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


def error(src: str, field_name: str | None, problem: str, *, line: int | None = None) -> Problem:
    """Format a build error for authors, in one format everywhere (one line:
    a value's line breaks are shown as escapes, see `one_line`)."""
    src, problem = one_line(src), one_line(problem)
    field_name = one_line(field_name) if field_name else field_name
    where = f"Fehler in '{src}'"
    if field_name:
        where += f", Feld '{field_name}'"
    return Problem(f"{where}: {problem}", src=src, field=field_name or None, line=line, detail=problem)
