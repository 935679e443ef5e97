"""Issues #26 and #30: redirects that cannot hurt, and every URL collision a
German error naming both. Pure functions (the build: test_hardening_build.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit

PAGES = {"serie/a.md": "serie/a/index.html", "index.md": "index.html", "serie/index.md": "serie/index.html"}
OUTPUTS = set(PAGES.values()) | {"tags/netzwerken/index.html"}


def parse(data):
    from kn.publish.redirects import parse_redirects

    return parse_redirects(data, PAGES, OUTPUTS, generated=True)


@pytest.mark.parametrize(("old", "needle"), [
    ("feed.xml", "den Atom-Feed 'feed.xml'"),
    ("feed.xml/", "den Atom-Feed 'feed.xml'"),
    ("sitemap.xml", "die Sitemap"),
    ("404.html", "„nicht gefunden“"),
    ("search/", "den Suchindex"),
    ("assets/kn.css/", "ihre eigenen Dateien"),
    ("assets/vorschau/serie/a.png/", "Vorschaubilder"),
    ("tags/neu/", "die Themenseiten"),
    ("alte-adressen.json", "Kurzadressen"),
    ("serie/", "steht schon eine Seite der Website: 'docs/serie/index.md'"),
    ("index.html", "Website: 'docs/index.md'"),
    ("serie/a/", "Website: 'docs/serie/a.md'"),
])
def test_redirect_never_over_a_page_or_generated_file(old, needle):
    redirects, problems = parse({old: "serie/a.md"})
    assert redirects == [] and len(problems) == 1
    assert problems[0].startswith("Fehler in 'data/redirects.yml'") and needle in problems[0], problems


def test_two_keys_for_the_same_file_name_both():
    redirects, problems = parse({"alt/": "serie/a.md", "alt": "serie/a.md"})
    assert [r.old for r in redirects] == ["alt/"]
    assert len(problems) == 1 and "'alt'" in problems[0] and "'alt/'" in problems[0] and "alt/index.html" in problems[0]


@pytest.mark.parametrize("key", [True, False, None, 12, 1.5])
def test_keys_that_are_no_text_are_refused(key):
    redirects, problems = parse({key: "serie/a.md"})
    assert redirects == [] and len(problems) == 1 and "Anführungszeichen" in problems[0]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "../../etc/passwd", 3])
def test_targets_are_only_pages_of_the_site(target):
    redirects, problems = parse({"alt/": target})
    assert redirects == [] and "keine Seite unter docs/" in problems[0]


@pytest.mark.parametrize("text", ["yes: a.md\n", "~: a.md\n", "12: a.md\n", "on: a.md\n", "null: a.md\n"])
def test_plain_keys_yaml_reads_as_no_text_are_found_with_line(text):
    from kn.limits import yaml_problems

    problems = yaml_problems("data/redirects.yml", "'alt/': a.md\n" + text, string_keys=True)
    assert len(problems) == 1 and "Zeile 2" in problems[0] and "kein Text" in problems[0]


@pytest.mark.parametrize("text", ["'yes': a.md\n", '"~": a.md\n', "2019/03/x/: a.md\n", "'?p=12': a.md\n", "2019-03-01/: a.md\n"])
def test_text_keys_pass(text):
    from kn.limits import yaml_problems

    assert yaml_problems("data/redirects.yml", text, string_keys=True) == []


def test_duplicate_and_control_character_keys_are_refused():
    from kn.limits import yaml_problems

    assert "doppelt" in yaml_problems("r.yml", "alt/: a.md\nalt/: b.md\n", string_keys=True)[0]
    assert "Steuerzeichen" in yaml_problems("r.yml", '"alt\\e[31m/": a.md\n', string_keys=True)[0]


def test_deep_yaml_is_refused_before_any_tree_is_built():
    import time

    from kn.limits import yaml_problems

    started = time.perf_counter()
    problems = yaml_problems("data/redirects.yml", "a: " + "[" * 200_000)
    assert "tiefer als 10 Ebenen" in problems[0] and time.perf_counter() - started < 2


def test_pages_at_the_same_address_are_named_both():
    from kn.security import collisions

    problems = collisions([("neu.md", "neu/index.html"), ("neu/index.md", "neu/index.html"), ("a.md", "a/index.html")])
    assert len(problems) == 1 and "'docs/neu/index.md'" in problems[0] and "'docs/neu.md'" in problems[0]
