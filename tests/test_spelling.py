"""Spelling: hunspell (de_DE) over every article and checklist, with our word list."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT, require_tool

WORDLIST = ROOT / "tests" / "wortliste.txt"
SOURCES = sorted(
    [*(ROOT / "docs").glob("*.md"), *(ROOT / "docs" / "kooperation-netzwerke").glob("*.md"),
     *(ROOT / "docs" / "checklisten").glob("*.md"), *(ROOT / "docs" / "tags").glob("*.md")]
)

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
PROSE_FIELDS = ("title", "description")
STRIP = [
    (re.compile(r"^--8<--.*$", re.M), " "),  # checklist includes
    (re.compile(r"`[^`]*`"), " "),  # inline code
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"\]\([^)]*\)"), "]"),  # link targets
    (re.compile(r"^(?:!!!|\?\?\?\+?) *\w+", re.M), " "),  # admonition type
    (re.compile(r"\[[ xX]\]"), " "),  # task boxes
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


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_no_unknown_words(path):
    assert misspelled(prose(path.read_text(encoding="utf-8"))) == []


def test_spell_check_catches_a_typo():
    assert misspelled("Eine Kooperatoin mit Netzwerkk.") == ["Kooperatoin", "Netzwerkk"]
