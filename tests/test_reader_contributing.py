"""CONTRIBUTING.md opens with the browser-only way, its copyable template
builds as it stands, and the pull-request template asks only what a browser
author can do and names the same required fields as CONTRIBUTING."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.reader_fixtures import build_project, fixture_project
from tools.localsite import ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
PR_TEMPLATE = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")


def sections(text: str) -> list[tuple[str, str]]:
    """(title, body) of every '## ' section; headings inside code blocks are text."""
    found: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            found.append((line[3:], []))
        elif found:
            found[-1][1].append(line)
    return [(title, "\n".join(lines)) for title, lines in found]


def browser_template() -> str:
    browser = dict(sections(CONTRIBUTING))["Der Weg im Browser – ohne Installation"]
    return re.search(r"```markdown\n(.*?)```", browser, re.S).group(1)


@pytest.mark.unit
def test_contributing_opens_with_the_browser_way_and_keeps_the_terminal_and_limits_below():
    titles = [title for title, _ in sections(CONTRIBUTING)]
    assert titles[0] == "Der Weg im Browser – ohne Installation"
    assert titles.index("Mit dem Terminal (für alle, die lokal arbeiten)") > titles.index("Der Kopfbereich")
    assert titles[-1] == "Klartext und Grenzen" and "| Was | Grenze |" in CONTRIBUTING
    browser = dict(sections(CONTRIBUTING))[titles[0]]
    for needle in ("„Add file“", "„Create new file“", "`docs/kooperation-netzwerke/`", "„Create pull request“",
                   "„Vorschau der Website“", "doppelt auf `index.html`", "„Edit file“"):
        assert needle in browser, needle
    before_terminal = CONTRIBUTING.split("## Der Kopfbereich", 1)[0]
    assert "make " not in before_terminal and "```sh" not in before_terminal


@pytest.mark.unit
def test_contributing_explains_its_words():
    words = dict(sections(CONTRIBUTING))["Begriffe kurz erklärt"]
    for term in ("**Kopfbereich (YAML):**", "**`--8<--`:**", "**Artefakt:**", "**Pull-Request:**", "**Entwurf (`draft: true`):**"):
        assert term in words, term


@pytest.mark.unit
def test_pull_request_template_asks_only_what_a_browser_author_can_do():
    assert not re.search(r"make (test|serve|build|artikel)", PR_TEMPLATE)
    assert "„Vorschau der Website“" in PR_TEMPLATE and "`index.html` doppelt anklicken" in PR_TEMPLATE
    table = dict(sections(CONTRIBUTING))["Der Kopfbereich"]
    required = {m[0] for m in re.findall(r"^\| `(\w+)` \| (ja\*?) \|", table, re.M)}
    assert required == {"title", "date", "tags", "authors"}
    listed = set(re.findall(r"`(\w+)`", PR_TEMPLATE.split("Im Kopfbereich stehen", 1)[1].split(";", 1)[0]))
    assert listed == required
    assert "`description` ist empfohlen" in PR_TEMPLATE  # optional, as the table says


@pytest.mark.build
def test_the_copyable_template_builds_and_is_published(tmp_path):
    project = fixture_project(tmp_path / "p", 1, drop_hooks=("social",))
    tags = project / "data" / "tags.yml"
    tags.write_text(tags.read_text(encoding="utf-8") + "Partnersuche: Wie Sie passende Partner finden.\n", encoding="utf-8")
    (project / "docs" / "probe-reihe" / "kooperationspartner-finden.md").write_text(browser_template(), encoding="utf-8")
    result, out = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = [a.get_text(strip=True) for a in home.select("#neueste-artikel + ul .kn-list__title")]
    assert "Wie Sie einen Kooperationspartner finden" in titles
