"""No-break spaces (hooks/kn/markdown/typography.py `nbsp`): the pure rules, and a build of
a small site of our own in which every page, title and teaser gets them."""

from __future__ import annotations

import pytest

from conftest import Project
from kn.markdown.typography import NBSP, nbsp

NB = NBSP


@pytest.mark.unit
@pytest.mark.parametrize(("text", "expected"), [
    ("nach § 5 DDG", f"nach §{NB}5 DDG"),
    ("§§ 705 ff. BGB", f"§§{NB}705{NB}ff. BGB"),
    ("Art. 6 Abs. 1 lit. f DSGVO", f"Art.{NB}6 Abs.{NB}1 lit.{NB}f DSGVO"),
    ("§ 2 Satz 1 Nr. 9 SGB VI", f"§{NB}2 Satz{NB}1 Nr.{NB}9 SGB{NB}VI"),
    ("z. B. so, d. h. anders, u. a. hier", f"z.{NB}B. so, d.{NB}h. anders, u.{NB}a. hier"),
    ("Beispielverlag e. Kfr.", f"Beispielverlag e.{NB}Kfr."),
    ("10 % mehr, 800.000 Euro, 5 km, 12 €", f"10{NB}% mehr, 800.000{NB}Euro, 5{NB}km, 12{NB}€"),
    ("am 13. November 2026", f"am 13.{NB}November 2026"),
])
def test_nbsp_joins_what_german_typesetting_keeps_together(text, expected):
    assert nbsp(text) == expected


@pytest.mark.unit
@pytest.mark.parametrize("text", [
    "Nach 5 Jahren",  # a number and an ordinary word may break
    "Teil 2 von 6",
    "Kapitel 5 Meter",  # „Meter“ is no abbreviation
    "Paragraf 5",
    "BGB und HGB",
    "Geschäftsart. 5 Punkte",  # „art.“ inside a word is no „Art.“
    "",
])
def test_nbsp_leaves_other_spaces(text):
    assert nbsp(text) == text


@pytest.mark.unit
def test_nbsp_is_idempotent():
    text = "Art. 21 Abs. 4 DSGVO, z. B. 10 %"
    assert nbsp(nbsp(text)) == nbsp(text)


PAGE = """---
title: "Fristen nach § 89b HGB: z. B. 1 Jahr"
description: "Was Art. 21 Abs. 4 DSGVO verlangt und was 10 % kosten."
date: 2026-11-20
tags: [Verträge]
comments: closed
authors: [redaktion]
---

Ein Absatz nach § 5 Abs. 1 Nr. 6 DDG und SGB VI, z. B. mit 50 Euro.

## Überschrift mit Art. 21

`Code § 5 bleibt` und [ein Link § 7](https://example.invalid/?a=§ 7 "Titel § 8").

```
Block § 9 bleibt
```
"""

OVERVIEW = """---
title: Testreihe
description: Eine Reihe zum Testen.
---

Die Reihe im Überblick.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("nbsp") / "project")
    project.clear_series()
    project.write("docs/testreihe/index.md", OVERVIEW)
    project.write("docs/testreihe/fristen.md", PAGE)
    result, site = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.build
def test_build_puts_nbsp_into_text_title_and_teaser_but_not_code_or_links(built):
    page = built.page("testreihe/fristen/")
    body = page.select_one("article")
    text = body.get_text()
    assert f"§{NB}5 Abs.{NB}1 Nr.{NB}6 DDG" in text and f"SGB{NB}VI" in text and f"z.{NB}B." in text
    assert f"50{NB}Euro" in text
    assert f"Art.{NB}21" in body.select_one("h2").get_text()
    assert page.h1.get_text(strip=True) == f"Fristen nach §{NB}89b HGB: z.{NB}B. 1 Jahr"
    assert f"Art.{NB}21 Abs.{NB}4 DSGVO" in page.find("meta", attrs={"name": "description"})["content"]
    assert f"10{NB}%" in page.find("meta", attrs={"name": "description"})["content"]
    # Code, code blocks, link targets and attributes keep their spaces.
    assert [c.get_text() for c in body.select("code")][:2] == ["Code § 5 bleibt", "Block § 9 bleibt\n"]
    link = body.find("a", string=f"ein Link §{NB}7")
    assert link is not None and "§ 7" in link["href"] and link["title"] == "Titel § 8"
    overview = built.page("testreihe/").get_text()
    assert f"Fristen nach §{NB}89b HGB" in overview
