"""Series: order by `teil` (else by date), more than one series on one site, and
the scaffold `make artikel TITEL=… SERIE=…` for any series."""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_contributing import own_words

from conftest import ROOT, SERIES, Project, article, assert_fails, normalise
from kn.schema import check_part

SECOND = "marketing-im-handwerk"
SECOND_TITLE = "Marketing im Handwerk"
# name: (title, teil, date); the part numbers, not the dates, give the order.
SECOND_PARTS = {
    "kunden-gewinnen": ("Kunden gewinnen", "2", "2026-10-01"),
    "die-eigene-website": ("Die eigene Website", "1", "2026-11-01"),
}


def write_second_series(project: Project) -> None:
    project.write(f"docs/{SECOND}/index.md", f"---\ntitle: {SECOND_TITLE}\ndescription: Eine zweite Reihe.\n---\n\nText der Übersicht.\n")
    for name, (title, part, date) in SECOND_PARTS.items():
        project.write(f"docs/{SECOND}/{name}.md", article(title, teil=part, date=date))


@pytest.fixture(scope="module")
def two_series(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("series") / "project")
    write_second_series(project)
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr  # test_same_teil_in_two_series_is_fine
    return built


# -----------------------------------------------------------------------------
# A second series
# -----------------------------------------------------------------------------


def test_start_page_lists_both_series_and_the_new_articles(two_series):
    page = two_series.page("")
    series = {a.get_text(strip=True): normalise("", a["href"]) for a in page.select("#reihen + ul a.kn-list__title")}
    assert series[SECOND_TITLE] == f"{SECOND}/" and set(series.values()) >= {f"{name}/" for name in SERIES}
    newest = [normalise("", a["href"]) for a in page.select("#neueste-artikel + ul a.kn-list__title")]
    assert f"{SECOND}/die-eigene-website/" in newest


def test_navigation_has_one_entry_per_series(two_series):
    nav = two_series.page("").select_one("nav.md-nav--primary")
    targets = [normalise("", a["href"]) for a in nav.select("a.md-nav__link[href]")]
    for name in [*SERIES, SECOND]:
        assert targets.count(f"{name}/") == 1, name
    assert not any("kunden-gewinnen" in t for t in targets)


def test_second_series_page_lists_its_parts_in_order_of_teil(two_series):
    items = two_series.page(f"{SECOND}/").select("ol.kn-list > .kn-list__item a.kn-list__title")
    assert [a.get_text(strip=True) for a in items] == ["Die eigene Website", "Kunden gewinnen"]


@pytest.mark.parametrize(("name", "number", "neighbour"), [("die-eigene-website", 1, "next"), ("kunden-gewinnen", 2, "prev")])
def test_parts_of_the_second_series_count_only_their_series(two_series, name, number, neighbour):
    page = two_series.page(f"{SECOND}/{name}/")
    assert page.select_one(".kn-article-meta__series").get_text(strip=True) == f"Teil {number} von 2"
    nav = page.select_one("nav.kn-series-nav")
    assert f"Teil {number} von 2 der Reihe „{SECOND_TITLE}“" in nav.get_text(" ", strip=True)
    assert nav.select_one(f"a[rel={neighbour}]")
    other = "prev" if neighbour == "next" else "next"
    assert nav.select_one(f"a[rel={other}]") is None


def test_first_series_is_unchanged_by_the_second(two_series, site):
    for name in SERIES:
        assert [a["href"] for a in two_series.page(f"{name}/").select("ol.kn-list a.kn-list__title")] == \
            [a["href"] for a in site.page(f"{name}/").select("ol.kn-list a.kn-list__title")]


# -----------------------------------------------------------------------------
# `teil`: order within a series
# -----------------------------------------------------------------------------


def test_source_article_is_part_two_of_its_series(site):
    page = site.page("kooperation-netzwerke/vorsicht-bei-kooperationsangeboten/")
    assert page.select_one(".kn-article-meta__series").get_text(strip=True).startswith("Teil 2 von ")


def test_articles_without_teil_follow_by_date(project):
    write_second_series(project)
    project.write(f"docs/{SECOND}/ohne-nummer-alt.md", article("Ohne Nummer alt", date="2026-01-01"))
    project.write(f"docs/{SECOND}/ohne-nummer-neu.md", article("Ohne Nummer neu", date="2026-12-01"))
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    titles = [a.get_text(strip=True) for a in built.page(f"{SECOND}/").select("ol.kn-list a.kn-list__title")]
    assert titles == ["Die eigene Website", "Kunden gewinnen", "Ohne Nummer alt", "Ohne Nummer neu"]


@pytest.fixture(scope="module")
def bad_parts_site(tmp_path_factory):
    """One failing build with both bad `teil` cases side by side: a number
    taken twice in the second series and a value that is no number in the
    first (both reported together)."""
    project = Project(tmp_path_factory.mktemp("bad-parts") / "project")
    write_second_series(project)
    project.write(f"docs/{SECOND}/doppelt.md", article("Doppelt", teil="2", date="2026-12-01"))
    for value, _shown in BAD_PARTS_BUILT:
        project.write(f"docs/{bad_part_src(value)}", article("Kaputt", teil=value))
    return project.build()


def test_duplicate_teil_fails_naming_both_files(bad_parts_site):
    result, built = bad_parts_site
    output = assert_fails(result, f"Fehler in '{SECOND}/doppelt.md', Feld 'teil'", f"'{SECOND}/kunden-gewinnen.md'", "Teil 2")
    line = next(line for line in output.splitlines() if f"Fehler in '{SECOND}/doppelt.md', Feld 'teil'" in line)
    assert f"'{SECOND}/kunden-gewinnen.md'" in line and "Teil 2" in line, output
    assert "Traceback" not in output
    assert not built.exists(f"{SECOND}/doppelt/")


def test_same_teil_in_two_series_is_fine(two_series):
    # teil 1 and 2 in the second series, as in the first: the module's site builds
    # (asserted where it is built, in the fixture `two_series`).
    assert two_series.exists(f"{SECOND}/die-eigene-website/") and two_series.exists(f"{SECOND}/kunden-gewinnen/")


BAD_PARTS = [("0", "0"), ("-1", "-1"), ("zwei", "'zwei'"), ("1.5", "1.5"), ("true", "true")]
BAD_PARTS_BUILT = [BAD_PARTS[2]]  # wiring; all values: the unit test below


def bad_part_src(value: str) -> str:
    return f"kooperation-netzwerke/kaputt-{value}.md"


@pytest.mark.unit
@pytest.mark.parametrize(("value", "shown"), BAD_PARTS)
def test_bad_teil_is_reported_naming_file_field_and_value(value, shown):
    from kn.schema import split_front_matter, validate_article

    src = "kooperation-netzwerke/kaputt.md"
    meta, _body, _problems = split_front_matter(src, article("Kaputt", teil=value))
    _clean, problems = validate_article(src, meta, comments_default=False)
    output = "\n".join(str(p) for p in problems)
    for needle in (f"Fehler in '{src}'", "Feld 'teil'", shown, "ganze Zahl ab 1"):
        assert needle in output, f"{needle!r} not in {output!r}"


@pytest.mark.build
@pytest.mark.parametrize(("value", "shown"), BAD_PARTS_BUILT)
def test_bad_teil_fails_naming_file_and_field(bad_parts_site, value, shown):
    result, built = bad_parts_site
    src = bad_part_src(value)
    output = assert_fails(result, src, "Feld 'teil'", shown, "ganze Zahl ab 1")
    lines = "\n".join(line for line in output.splitlines() if f"Fehler in '{src}'" in line)
    for needle in ("Feld 'teil'", shown, "ganze Zahl ab 1"):
        assert needle in lines, f"{needle!r} not in the lines about {src}:\n{output}"
    assert "Traceback" not in output
    assert not built.exists(src.removesuffix(".md") + "/")


@pytest.mark.parametrize(("value", "ok"), [(1, True), (12, True), (0, False), (-3, False), (True, False), ("2", False), (2.0, False)])
def test_check_part(value, ok):
    part, problem = check_part(value)
    assert (problem is None) == ok and (part == value if ok else part is None)


# -----------------------------------------------------------------------------
# The scaffold for any series
# -----------------------------------------------------------------------------


def scaffold(project: Project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools.new_article", *args, "--docs", str(project.root / "docs")],
        cwd=ROOT, capture_output=True, text=True,
    )


def test_scaffold_creates_a_new_series_with_its_overview(project):
    result = scaffold(project, "Der erste Schritt", "--serie", SECOND_TITLE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"docs/{SECOND}/index.md", f"docs/{SECOND}/der-erste-schritt.md"]
    assert f"title: \"{SECOND_TITLE}\"" in project.read(f"docs/{SECOND}/index.md")
    first = project.read(f"docs/{SECOND}/der-erste-schritt.md")
    assert "\nteil: 1\n" in first
    project.write(f"docs/{SECOND}/der-erste-schritt.md", own_words(first.replace("draft: true\n", "")))
    second = scaffold(project, "Der zweite Schritt", "--serie", SECOND)
    assert second.stdout.split() == [f"docs/{SECOND}/der-zweite-schritt.md"]
    text = project.read(f"docs/{SECOND}/der-zweite-schritt.md")
    assert "\nteil: 2\n" in text
    project.write(f"docs/{SECOND}/der-zweite-schritt.md", own_words(text.replace("draft: true\n", "")))
    built_result, built = project.build()
    assert built_result.returncode == 0, built_result.stdout + built_result.stderr
    assert built.page(f"{SECOND}/der-zweite-schritt/").select_one(".kn-article-meta__series").get_text(strip=True) == "Teil 2 von 2"


def test_scaffold_needs_serie_when_there_are_several(project):
    write_second_series(project)
    result = scaffold(project, "Wohin damit")
    assert result.returncode == 2
    assert "SERIE=" in result.stderr and SECOND in result.stderr and "kooperation-netzwerke" in result.stderr


def test_scaffold_refuses_a_reserved_folder(project):
    result = scaffold(project, "Falsch", "--serie", "checklisten")
    assert result.returncode == 2 and "reserviert" in result.stderr
    assert not (project.root / "docs" / "checklisten" / "falsch.md").exists()


def test_make_artikel_passes_serie_through():
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.requirements-installed", "artikel", "TITEL=Neu", f"SERIE={SECOND_TITLE}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert f'--serie "{SECOND_TITLE}"' in result.stdout
