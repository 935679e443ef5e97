"""Spelling: hunspell (de_DE) over every Markdown file under docs/, with our word list.

Under GitHub Actions (GITHUB_ACTIONS=true) every unknown word is also printed as
`::warning file=docs/…,line=N::…`, so that it shows on its line in the pull
request; only for the files listed in $KN_CHANGED_FILES (a file with one path
per line, or `git diff --name-status` output) when that is set.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from annotate import changed_files, enabled, lines_with, workflow_command
from conftest import ROOT, require_tool

WORDLIST = ROOT / "tests" / "wortliste.txt"
CHANGED_ENV = "KN_CHANGED_FILES"
# Every Markdown file under docs/: all series, checklists, tags and legal pages.
SOURCES = sorted((ROOT / "docs").rglob("*.md"))

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
PROSE_FIELDS = ("title", "description")
STRIP = [
    (re.compile(r"^--8<--.*$", re.M), " "),  # checklist includes
    (re.compile(r"`[^`]*`"), " "),  # inline code
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"\]\([^)]*\)"), "]"),  # link targets
    (re.compile(r"^(?:!!!|\?\?\?\+?) *\w+", re.M), " "),  # admonition type
    (re.compile(r"\[[ xX]\]"), " "),  # task boxes
    (re.compile(r"^\|?[ :|-]*---[ :|-]*$", re.M), " "),  # table delimiter rows
]


def prose(text: str) -> str:
    """The words a reader sees, from a Markdown source."""
    match = FRONT_MATTER.match(text)
    head = ""
    if match:
        import yaml

        meta = yaml.safe_load(match.group(1)) or {}
        head = "\n".join(str(meta[k]) for k in PROSE_FIELDS if k in meta)
        text = text[match.end():]
    text = head + "\n" + text
    for pattern, repl in STRIP:
        text = pattern.sub(repl, text)
    return re.sub(r"(?m)^ *(?:[-*]|\d+\.|#+|!!!|\?\?\?\+?) ", " ", text)


def unknown(text: str) -> set[str]:
    hunspell = require_tool("hunspell")
    result = subprocess.run(
        [hunspell, "-d", "de_DE", "-p", str(WORDLIST), "-l"],
        input=text, capture_output=True, text=True, check=True,
    )
    return set(result.stdout.split())


def misspelled(text: str) -> list[str]:
    """Unknown words. The German dictionary reads a sentence's final period as
    part of the word ('Netzwerk.'): such words are checked again without it."""
    first = unknown(text)
    dotted = {w for w in first if w.endswith(".")}
    again = unknown("\n".join(w.rstrip(".") for w in dotted)) if dotted else set()
    return sorted((first - dotted) | again)


def test_word_list_is_sorted_and_unique():
    words = WORDLIST.read_text(encoding="utf-8").splitlines()
    assert words == sorted(set(words), key=str.casefold)


def spelling_annotations(rel: str, text: str, words: list[str]) -> list[str]:
    """One warning per line on which an unknown word stands (the file alone
    when the word is not found verbatim, e.g. split by markup)."""
    found = []
    for word in words:
        message = (
            f"„{word}“ steht nicht im Wörterbuch. Bitte prüfen Sie die Schreibweise; "
            "ist das Wort richtig, tragen Sie es in tests/wortliste.txt ein."
        )
        for line in lines_with(text, word) or [None]:
            found.append(workflow_command("warning", message, file=rel, line=line))
    return found


def annotated(rel: str, environ: dict[str, str] | os._Environ = os.environ) -> bool:
    """Whether to annotate a file: under GitHub Actions, and among the changed
    files of the pull request when their list is given."""
    if not enabled(environ):
        return False
    listing = environ.get(CHANGED_ENV)
    if not listing:
        return True
    try:
        changed = changed_files(Path(listing).read_text(encoding="utf-8").splitlines())
    except OSError:
        return True
    return changed.get(rel, "D") != "D"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_no_unknown_words(path, capsys):
    text = path.read_text(encoding="utf-8")
    words = misspelled(prose(text))
    rel = path.relative_to(ROOT).as_posix()
    if words and annotated(rel):
        with capsys.disabled():  # workflow commands must reach the log, at the start of a line
            print("\n" + "\n".join(spelling_annotations(rel, text, words)), flush=True)
    assert words == []


def test_spell_check_catches_a_typo():
    assert misspelled("Eine Kooperatoin mit Netzwerkk.") == ["Kooperatoin", "Netzwerkk"]
