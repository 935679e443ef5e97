"""Contributing: front-matter validation, drafts, the article scaffold, edit
links and the GitHub workflows."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ARTICLES, ROOT, Project, Site, article, article_url, assert_fails, assert_problem_of, build
from kn import schema
from tools.localsite import shared_drawn

NEW = "docs/kooperation-netzwerke/neu.md"

# -----------------------------------------------------------------------------
# The schema's helpers, without a build
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("value, ok", [
    ("2026-11-27", True), ("2024-02-29", True), ("2026-13-45", False), ("2026-02-30", False),
    ("27.11.2026", False), (20261127, False), (None, False),
])
def test_check_date(value, ok):
    clean, problem = schema.check_date(value)
    assert (problem is None) == ok
    if ok:
        assert clean == datetime.date.fromisoformat(value)


@pytest.mark.parametrize("value, expected", [
    ("open", "open"), ("closed", "closed"), ("off", "off"), (True, "open"), (False, "off"),
])
def test_check_comments_accepts_states_and_yaml_booleans(value, expected):
    assert schema.check_comments(value) == (expected, None)


@pytest.mark.parametrize("value", ["zu", "", 3, None, ["open"]])
def test_check_comments_rejects_other_values(value):
    clean, problem = schema.check_comments(value)
    assert clean is None and "open, closed, off" in problem


@pytest.mark.parametrize("value, fragment", [
    ("Partnersuche", "keine Liste"), ([], "leer"), (["a", ""], "leeren Eintrag"), (["a", "a"], "doppelt"), ([3], "kein Text"),
])
def test_check_name_list_problems(value, fragment):
    clean, problem = schema.check_name_list(value, "Themen")
    assert clean is None and fragment in problem


def test_unknown_key_gets_a_did_you_mean_hint():
    meta = {"title": "T", "description": "D", "date": "2026-01-01", "tagz": ["x"], "authors": ["r"]}
    _, problems = schema.validate_article("a.md", meta, comments_default=True)
    assert any("Feld 'tagz'" in p and "Meinten Sie 'tags'?" in p for p in problems)
    assert any("Feld 'tags': fehlt" in p for p in problems)


def test_comments_required_without_default():
    meta = {"title": "T", "description": "D", "date": "2026-01-01", "tags": ["x"], "authors": ["r"]}
    assert schema.validate_article("a.md", meta, comments_default=True)[1] == []
    assert any("Feld 'comments': fehlt" in p for p in schema.validate_article("a.md", meta, comments_default=False)[1])


def test_yaml_error_names_the_line():
    meta, _, problems = schema.split_front_matter("a.md", "---\ntitle: T\ntags: [a\ndate: 2026-01-01\n---\nText\n")
    assert meta is None and problems and "Fehler in 'a.md', Zeile" in problems[0]


# -----------------------------------------------------------------------------
# Bad front matter fails the build, naming file, field and value
# -----------------------------------------------------------------------------


BAD_FIELDS = [
    ({"authors": None}, ["Feld 'authors'", "fehlt"]),
    ({"title": "42"}, ["Feld 'title'", "42 ist kein Text"]),
    ({"tags": "Partnersuche"}, ["Feld 'tags'", "'Partnersuche' ist keine Liste"]),
    ({"date": "2026-13-45"}, ["Feld 'date'", "'2026-13-45'", "JJJJ-MM-TT"]),
    ({"date": "2026-02-30"}, ["Feld 'date'", "'2026-02-30'"]),
    ({"tagz": "[Partnersuche]"}, ["Feld 'tagz'", "Meinten Sie 'tags'?"]),
    ({"comments": "zu"}, ["Feld 'comments'", "'zu'", "open, closed, off"]),
    ({"draft": "vielleicht"}, ["Feld 'draft'", "'vielleicht'", "true, false"]),
]
BAD_IDS = ["missing", "wrong-type", "tags-not-list", "impossible-date", "february-30", "unknown-key", "comments-value", "draft-value"]
BROKEN_YAML = "kooperation-netzwerke/kaputtes-yaml.md"
BAD_DRAFT = "kooperation-netzwerke/entwurf-mit-fehlern.md"


def bad_src(case_id: str) -> str:
    return f"kooperation-netzwerke/neu-{case_id}.md"


@pytest.fixture(scope="module")
def bad_front_matter_site(tmp_path_factory):
    """One build with every bad article of this section side by side, each in
    its own file: front-matter problems are all collected before the build
    stops, so none hides another (each test checks its own file's lines)."""
    project = Project(tmp_path_factory.mktemp("bad-front-matter") / "project")
    for case_id, (fields, _needles) in zip(BAD_IDS, BAD_FIELDS, strict=True):
        project.write(f"docs/{bad_src(case_id)}", article(**fields))
    project.write(f"docs/{BROKEN_YAML}", "---\ntitle: Test\ndescription: Ein Satz.\ntags: [Partnersuche\ndate: 2026-11-20\n---\n\nText\n")
    project.write(f"docs/{BAD_DRAFT}", article(draft="true", tags="[Netzwerkk]", authors="[niemand]").replace(
        "Ein Absatz mit Text.", 'Text.\n\n--8<-- "checklisten/fehlt.md"\n'))
    return project.build()


@pytest.mark.parametrize("case_id, needles", [(case_id, needles) for case_id, (_f, needles) in zip(BAD_IDS, BAD_FIELDS, strict=True)],
                         ids=BAD_IDS)
def test_bad_front_matter_fails_naming_file_field_and_value(bad_front_matter_site, case_id, needles):
    result, built = bad_front_matter_site
    assert_problem_of(result, bad_src(case_id), *needles)
    assert not built.exists(f"kooperation-netzwerke/neu-{case_id}/")


def test_invalid_yaml_fails_naming_file_and_line(bad_front_matter_site):
    result, built = bad_front_matter_site
    assert_problem_of(result, BROKEN_YAML, f"Fehler in '{BROKEN_YAML}', Zeile", "ungültiges YAML")
    assert not built.exists("kooperation-netzwerke/kaputtes-yaml/")


def test_all_problems_are_reported_together(project):
    project.write(NEW, article(tags=None, date="2026-13-45", tagz="[x]"))
    project.write("docs/kooperation-netzwerke/zwei.md", article(title=None))
    result, _ = project.build()
    output = assert_fails(result, "Feld 'tags'", "Feld 'date'", "Feld 'tagz'",
                          "Fehler in 'kooperation-netzwerke/zwei.md', Feld 'title'")
    assert "4 Probleme" in output


# -----------------------------------------------------------------------------
# Drafts
# -----------------------------------------------------------------------------


SCAFFOLDED = "kooperation-netzwerke/mein-neuer-artikel-teil-1"


@pytest.fixture(scope="module")
def drafts_site(tmp_path_factory):
    """One project with two drafts side by side, built once: one written by
    hand (test_draft_is_absent_from_the_built_site) and one made by the
    scaffold (test_scaffold_creates_a_draft_that_builds, which then builds
    further versions of it into folders of their own)."""
    project = Project(tmp_path_factory.mktemp("drafts") / "project")
    project.write(NEW, article("Geheimer Entwurf", draft="true"))
    scaffolded = subprocess.run(
        [sys.executable, "-m", "tools.new_article", "Mein neuer Artikel: Teil 1",
         "--serie", "kooperation-netzwerke", "--docs", str(project.root / "docs")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    result, built = project.build()
    return project, scaffolded, result, built


def test_draft_is_absent_from_the_built_site(drafts_site):
    _project, _scaffolded, result, built = drafts_site
    assert result.returncode == 0, result.stderr
    assert not built.exists("kooperation-netzwerke/neu/")
    for path in built.root.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "Geheimer Entwurf" not in text and "kooperation-netzwerke/neu/" not in text, path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_until_serving(server: subprocess.Popen, timeout: float = 60) -> None:
    """Until `mkdocs serve` logs „Serving on“: it does so after its first build,
    with its socket already listening (no polling of the port). Its log is read
    to the end in a thread, so that the pipe never fills."""
    lines: list[str] = []
    serving = threading.Event()

    def read() -> None:
        for line in server.stderr:
            lines.append(line)
            if "Serving on " in line:
                serving.set()
        serving.set()  # the process ended: do not wait for the timeout

    threading.Thread(target=read, daemon=True).start()
    if not serving.wait(timeout) or not any("Serving on " in line for line in lines):
        pytest.fail("mkdocs serve did not start serving:\n" + "".join(lines))


def test_draft_is_shown_and_marked_by_serve(project):
    project.write(NEW, article("Sichtbarer Entwurf", draft="true"))
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with shared_drawn(project.root, keep=False):
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}", "-f", str(project.root / "mkdocs.yml")],
            cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        # `mkdocs serve` mounts the site under the path of site_url.
        base = f"http://127.0.0.1:{port}" + urlparse(yaml.safe_load(project.read("mkdocs.yml"))["site_url"]).path
        try:
            wait_until_serving(server)
            page = fetch(f"{base}kooperation-netzwerke/neu/")
            assert "Sichtbarer Entwurf" in page and "Entwurf</span>" in page
            overview = fetch(f"{base}kooperation-netzwerke/")
            assert "Sichtbarer Entwurf" in overview
        finally:
            server.terminate()
            server.wait(timeout=10)


# -----------------------------------------------------------------------------
# Scaffold
# -----------------------------------------------------------------------------


def own_words(text: str) -> str:
    """The scaffold's text with the template sentences replaced by an author's own."""
    for placeholder in schema.TEMPLATE_PLACEHOLDERS:
        text = text.replace(placeholder, "Ein eigener Satz")
    return text


def test_scaffold_creates_a_draft_that_builds(drafts_site):
    project, scaffolded, built_result, built = drafts_site
    path = project.root / scaffolded.stdout.strip()
    assert path.name == "mein-neuer-artikel-teil-1.md"
    text = path.read_text(encoding="utf-8")
    assert f"date: {datetime.date.today().isoformat()}" in text and "draft: true" in text
    assert built_result.returncode == 0, built_result.stderr
    assert not built.exists(f"{SCAFFOLDED}/")
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    built_result = build(project.root, project.root / "site-published")
    # Published with the template's sentences: the build stops (nothing placeholder-like goes online).
    assert_fails(built_result, "Platzhalter aus `make artikel`")
    path.write_text(own_words(text.replace("draft: true\n", "")), encoding="utf-8")
    built_result = build(project.root, project.root / "site-own-words")
    assert built_result.returncode == 0, built_result.stderr
    built = Site(project.root / "site-own-words", built_result.stdout + built_result.stderr)
    assert built.page(f"{SCAFFOLDED}/").h1.get_text(strip=True) == "Mein neuer Artikel: Teil 1"


def test_scaffold_refuses_to_overwrite(project):
    args = [sys.executable, "-m", "tools.new_article", "Doppelt", "--serie", "kooperation-netzwerke", "--docs", str(project.root / "docs")]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    second = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert second.returncode == 1 and "gibt es schon" in second.stderr


# -----------------------------------------------------------------------------
# Edit link and workflows
# -----------------------------------------------------------------------------


def test_every_article_links_to_its_source(site):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    base = config["repo_url"].rstrip("/") + "/" + config["edit_uri"]
    for path in ARTICLES:
        link = site.page(article_url(path)).select_one("a.kn-edit")
        assert link.get_text(strip=True) == "Änderung vorschlagen"
        assert "GitHub" in link["title"]
        assert link["href"] == f"{base}{path.parent.name}/{path.name}"


def test_readers_see_no_repository_name(site):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for url in ("", "impressum/", article_url(ARTICLES[0])):
        page = site.page(url)
        assert not page.select(".md-source")
        assert config["repo_name"] not in page.body.get_text(" "), url
        assert "Seite editieren" not in str(page.body), url


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_pull_request_workflow_runs_ci_script():
    workflow = load_workflow("test.yml")
    assert "pull_request" in workflow["on"]
    steps = [s.get("run", "") for s in workflow["jobs"]["test"]["steps"]]
    # The same script as CI: same system packages, then make test and make audit.
    assert "bash .ci/run" in steps
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "hunspell-de-de" in ci and "chromium" in ci
    assert [line for line in ci.splitlines() if line.startswith("make ")] == ["make test", "make audit"]


def test_deploy_workflow_publishes_main_to_pages():
    workflow = load_workflow("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert runs.index("bash .ci/run") < runs.index("make build")
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)


def test_draft_fields_are_validated_too(bad_front_matter_site):
    result, _ = bad_front_matter_site
    assert_problem_of(result, BAD_DRAFT, f"Fehler in '{BAD_DRAFT}', Feld 'tags'", "'Netzwerkk'", "Feld 'authors'", "'niemand'",
                      "checklisten/fehlt.md")
