"""Spelling rules (tools/spelling.py): what counts as prose, the word list,
and the warnings under GitHub Actions. The owner's own pages are spell-checked
by `make pruefen` (tools/pruefen.py), not here."""

from __future__ import annotations

import pytest

from conftest import require_tool
from tools.spelling import WORDLIST, annotated, misspelled, prose, spelling_annotations

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _hunspell():
    require_tool("hunspell")


def test_word_list_is_sorted_and_unique():
    words = WORDLIST.read_text(encoding="utf-8").splitlines()
    # Case-insensitive, and the capitalised word first where two differ only in case
    # (a key without the tie-break would let the order of set() decide).
    assert words == sorted(set(words), key=lambda word: (word.casefold(), word))


def test_spell_check_catches_a_typo():
    assert misspelled("Eine Kooperatoin mit Netzwerkk.") == ["Kooperatoin", "Netzwerkk"]


def test_prose_keeps_title_description_and_text_but_no_markup():
    text = ('---\ntitle: Ein Titel\ndescription: Ein Satz.\ntags: [Zzzthema]\n---\n\n'
            '!!! checkliste "Liste"\n\n    - [ ] Ein `code` und <b>fett</b> [Link](https://xqzv.example/)\n'
            '--8<-- "checklisten/xqzv.md"\n[Ein Video](https://www.youtube.com/watch?v=x){ .video }\n')
    seen = prose(text)
    for word in ("Titel", "Satz.", "Liste", "fett", "Link"):
        assert word in seen
    for hidden in ("Zzzthema", "code", "checkliste", "xqzv", "<b>", "example", ".video"):
        assert hidden not in seen


def test_annotations_name_file_and_line_of_each_unknown_word():
    text = "---\ntitle: T\n---\n\nEine Kooperatoin.\n"
    assert spelling_annotations("docs/s/a.md", text, ["Kooperatoin"]) == [
        "::warning file=docs/s/a.md,line=5::„Kooperatoin“ steht nicht im Wörterbuch. Bitte prüfen Sie die "
        "Schreibweise; ist das Wort richtig, tragen Sie es in tests/wortliste.txt ein."
    ]


def test_only_changed_files_are_annotated_under_github_actions(tmp_path):
    listing = tmp_path / "changed.txt"
    listing.write_text("A\tdocs/s/neu.md\nD\tdocs/s/weg.md\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "KN_CHANGED_FILES": str(listing)}
    assert annotated("docs/s/neu.md", env)
    assert not annotated("docs/s/alt.md", env) and not annotated("docs/s/weg.md", env)
    assert annotated("docs/s/alt.md", {"GITHUB_ACTIONS": "true"})
    assert not annotated("docs/s/neu.md", {})
