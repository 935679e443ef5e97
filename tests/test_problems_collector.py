"""One Problem type and one collector (kn/problems.py): every kind of place a
message names is made by `error`, every problem keeps its file and line for the
GitHub annotation, and `stop` reports them all at once in one format."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from kn import annotate, limits, registry, schema
from kn.markdown import embeds
from kn.problems import Problem, Problems, error, stop

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("kwargs", "message", "detail", "line"), [
    ({"field_name": "tags"}, "Fehler in 'a.md', Feld 'tags': Text.", "Text.", None),
    ({"field_name": None, "line": 4, "show_line": True}, "Fehler in 'a.md', Zeile 4: Text.", "Text.", 4),
    ({"field_name": None, "line": None, "show_line": True}, "Fehler in 'a.md': Text.", "Text.", None),
    ({"field_name": "tags", "line": 4, "show_line": True}, "Fehler in 'a.md', Feld 'tags', Zeile 4: Text.", "Text.", 4),
    ({"field_name": None, "where": "Eintrag 2, Feld 'text'"}, "Fehler in 'a.md', Eintrag 2, Feld 'text': Text.",
     "Eintrag 2, Feld 'text': Text.", None),
    ({"field_name": None, "where": "Byte 17"}, "Fehler in 'a.md', Byte 17: Text.", "Byte 17: Text.", None),
])
def test_error_names_each_kind_of_place(kwargs, message, detail, line):
    field_name = kwargs.pop("field_name")
    problem = error("a.md", field_name, "Text.", **kwargs)
    assert isinstance(problem, Problem)
    assert (str(problem), problem.detail, problem.line, problem.src) == (message, detail, line, "a.md")


def test_every_message_builder_makes_a_problem_with_its_place():
    body = "Text\n\n<iframe src='https://fremd.example/x'></iframe>\n"
    foreign = embeds.foreign_problem("serie/a.md", body, ("iframe", "https://fremd.example/x"))
    video = embeds.video_problem("serie/a.md", "\n[V](https://example.com/v){ .video }\n", "https://example.com/v")
    control = limits.control_problem("serie/a.md", "ok\nab\x1bc")
    _meta, _body, (yaml_problem,) = schema.split_front_matter("serie/a.md", "---\ntitle: [kaputt\n---\n")
    for problem, line in ((foreign, 3), (video, 2), (control, None), (yaml_problem, 3)):
        assert isinstance(problem, Problem) and problem.src == "serie/a.md" and problem.line == line
    assert foreign.startswith("Fehler in 'serie/a.md', Zeile 3: <iframe> lädt 'https://fremd.example/x' von einem fremden Server.")
    assert video.startswith("Fehler in 'serie/a.md', Zeile 2: 'https://example.com/v' ist keine Adresse eines YouTube")
    assert control.startswith("Fehler in 'serie/a.md', Zeile 2, Spalte 3: Das Steuerzeichen \\x1b (U+001B) ist nicht erlaubt.")


def test_collector_adds_and_the_site_collects_problems():
    found = Problems()
    problem = found.add("data/tags.yml", "Netzwerk", "steht doppelt.")
    found.extend([error("a.md", None, "Zweites.")])
    assert found == ["Fehler in 'data/tags.yml', Feld 'Netzwerk': steht doppelt.", "Fehler in 'a.md': Zweites."]
    assert found[0] is problem
    assert isinstance(registry.Site().errors, Problems)


def test_report_stops_with_every_problem_in_one_format():
    found = Problems()
    found.report()  # nothing found: nothing happens
    found.add("a.md", "tags", "unbekanntes Thema 'X'.")
    with pytest.raises(PluginError) as one:
        found.report()
    assert one.value.message == ("Ein Problem in den Inhalten; die Website wurde nicht gebaut:\n"
                                 "  Fehler in 'a.md', Feld 'tags': unbekanntes Thema 'X'.")
    found.add("b.md", None, "Zweites.", line=3, show_line=True)
    with pytest.raises(PluginError) as two:
        stop(found, where="in den Inhalten der Seiten")
    assert two.value.message.startswith("2 Probleme in den Inhalten der Seiten; die Website wurde nicht gebaut:\n  Fehler")
    assert two.value.message.endswith("\n  Fehler in 'b.md', Zeile 3: Zweites.")


def test_report_prints_the_annotations_from_the_problems(tmp_path, monkeypatch, capsys):
    docs = tmp_path / "docs"
    (docs / "serie").mkdir(parents=True)
    (docs / "serie" / "a.md").write_text("---\ntitle: A\ntags: [X]\n---\n\nText.\n", encoding="utf-8")
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), docs_dir=str(docs))
    found = Problems([error("serie/a.md", "tags", "unbekanntes Thema 'X'."), error("serie/a.md", None, "Text.", line=6, show_line=True)])
    monkeypatch.setenv(annotate.ENV, "true")
    with pytest.raises(PluginError):
        found.report(config)
    assert capsys.readouterr().out.splitlines() == [
        "::error file=docs/serie/a.md,line=3,title=Feld 'tags'::unbekanntes Thema 'X'.",
        "::error file=docs/serie/a.md,line=6,title=Fehler::Text.",
    ]
    monkeypatch.delenv(annotate.ENV)
    with pytest.raises(PluginError):
        found.report(config)
    assert capsys.readouterr().out == ""
    assert Path(config.config_file_path).parent == tmp_path
