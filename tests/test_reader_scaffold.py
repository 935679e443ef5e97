"""`make artikel`: SERIE finds an existing series by folder or title and says
which; a name close to one is refused with „Meinten Sie …“ (tools/new_article.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import new_article

pytestmark = pytest.mark.unit


@pytest.fixture
def docs(tmp_path) -> Path:
    docs = tmp_path / "docs"
    for folder, index in (
        ("kooperation-netzwerke", '---\ntitle: "Kooperation & Netzwerke"\n---\n\nText.\n'),
        ("marketing", "# Marketing für Größere\n\nOhne Kopfbereich, Titel als Überschrift.\n"),
        ("checklisten", "---\ntitle: Checklisten\n---\n"),
    ):
        (docs / folder).mkdir(parents=True)
        (docs / folder / "index.md").write_text(index, encoding="utf-8")
    return docs


def run(docs: Path, capsys, serie: str, *extra: str) -> tuple[int, str, str]:
    code = new_article.main(["Ein neuer Artikel", "--serie", serie, "--docs", str(docs), "--datum", "2026-12-01", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def series_folders(docs: Path) -> set[str]:
    return {p.name for p in docs.iterdir()}


@pytest.mark.parametrize("serie", [
    "kooperation-netzwerke", "Kooperation & Netzwerke", "kooperation und netzwerke", "KOOPERATION  &  NETZWERKE",
])
def test_existing_series_is_found_by_folder_or_title(docs, capsys, serie):
    code, out, err = run(docs, capsys, serie)
    assert code == 0, err
    assert out.split() == ["docs/kooperation-netzwerke/ein-neuer-artikel.md"]
    assert (docs / "kooperation-netzwerke" / "ein-neuer-artikel.md").is_file()
    assert "Reihe „Kooperation & Netzwerke“ (docs/kooperation-netzwerke/)." in err
    assert series_folders(docs) == {"kooperation-netzwerke", "marketing", "checklisten"}


def test_series_title_from_its_heading_is_found(docs, capsys):
    code, _out, err = run(docs, capsys, "Marketing für Groessere")
    assert code == 0 and "Reihe „Marketing für Größere“ (docs/marketing/)." in err
    assert (docs / "marketing" / "ein-neuer-artikel.md").is_file()


@pytest.mark.parametrize("serie", ["Kooperation & Netzwerk", "Kooperationen und Netzwerke", "kooperations-netzwerke"])
def test_close_name_is_refused_with_meinten_sie(docs, capsys, serie):
    code, out, err = run(docs, capsys, serie)
    assert code == 2 and out == ""
    assert f"Eine Reihe „{serie}“ gibt es nicht. Meinten Sie „Kooperation & Netzwerke“ (SERIE=kooperation-netzwerke)?" in err
    assert "NEU=1" in err and "Traceback" not in err
    assert series_folders(docs) == {"kooperation-netzwerke", "marketing", "checklisten"}


def test_close_name_with_neu_creates_the_new_series(docs, capsys):
    code, out, err = run(docs, capsys, "Kooperationen und Netzwerke", "--neue-reihe")
    assert code == 0, err
    assert "Neue Reihe „Kooperationen und Netzwerke“ in docs/kooperationen-und-netzwerke/." in err
    assert (docs / "kooperationen-und-netzwerke" / "index.md").is_file()


def test_unrelated_name_makes_a_new_series(docs, capsys):
    code, out, err = run(docs, capsys, "Buchhaltung im Verbund")
    assert code == 0 and "Neue Reihe" in err
    assert [line.rsplit("/", 1)[-1] for line in out.split()] == ["index.md", "ein-neuer-artikel.md"]


def test_without_serie_several_series_are_named_with_titles(docs, capsys):
    code, _out, err = run(docs, capsys, "")
    assert code == 2
    assert "„Kooperation & Netzwerke“ (kooperation-netzwerke)" in err and "„Marketing für Größere“ (marketing)" in err
    assert "checklisten" not in err
