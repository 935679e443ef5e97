"""The comment-provider seam (hooks/kn/comment_providers/): settings and their
errors, the e-mail box, the CSP per page, the privacy text per provider; the
archive command's merging and the Isso runner's configuration as pure
functions. Builds use a small site of their own (one open, one closed article)."""

from __future__ import annotations

import configparser
import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import Project, article, assert_fails
from kn.comment_providers import PROVIDERS
from kn.comment_providers import email as email_provider
from kn.comment_providers import isso as isso_provider
from tools import comments_archive
from tools.importer.model import Comment
from tools.isso_server import config_text

SERIES = "kooperation-netzwerke"
ISSO = "https://kommentare.kooperation-netzwerke.example"

# -----------------------------------------------------------------------------
# Pure helpers
# -----------------------------------------------------------------------------


@pytest.mark.unit
def test_every_provider_names_its_parts():
    for name, module in PROVIDERS.items():
        assert name == module.NAME
        assert module.TEMPLATE.startswith("fragments/kn/comments-") and module.DATENSCHUTZ.startswith("fragments/kn/datenschutz-")
        assert callable(module.check) and callable(module.csp)


@pytest.mark.unit
def test_mailto_encodes_the_title_in_the_subject():
    link = email_provider.mailto("redaktion@example.org", "Kosten & Nutzen? „Ja“ #1")
    assert link.startswith("mailto:redaktion@example.org?subject=")
    subject = link.split("subject=", 1)[1]
    assert not set(subject) & set(" &?#„“")
    assert unquote(subject) == "Kommentar zu „Kosten & Nutzen? „Ja“ #1“"


@pytest.mark.unit
@pytest.mark.parametrize("value, expected", [
    ("https://kommentare.example.org", "https://kommentare.example.org/"),
    ("https://example.org/isso", "https://example.org/isso/"),
    ("http://127.0.0.1:8010/", "http://127.0.0.1:8010/"),
    ("ftp://example.org/", None), ("kommentare.example.org", None), ("https://example.org/?a=1", None), (42, None),
    ("javascript:alert(1)", None),
])
def test_isso_url_is_checked_and_normalised(value, expected):
    url, problem = isso_provider.check_url(value)
    assert url == expected
    assert (problem is None) == (expected is not None)


@pytest.mark.unit
def test_isso_csp_allows_its_origin_for_script_and_api_only():
    settings, problems = isso_provider.check({"url": ISSO + "/pfad/"}, ["a.md"])
    assert problems == []
    assert isso_provider.csp(settings) == {"script-src": (ISSO,), "connect-src": (ISSO,)}


@pytest.mark.unit
def test_isso_url_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv("KN_ISSO_URL", "http://127.0.0.1:9999")
    settings, _ = isso_provider.check({"url": ISSO + "/"}, ["a.md"])
    assert settings["url"] == "http://127.0.0.1:9999/"


@pytest.mark.unit
def test_archive_merge_adds_only_what_is_new_and_renumbers_replies():
    existing = [{"author": "Anna", "date": "2026-11-20", "text": "Alt."}]
    new = [
        {"author": "Anna", "date": datetime.date(2026, 11, 20), "text": "Alt."},
        {"author": "Bernd", "date": datetime.date(2026, 11, 21), "reply_to": 1, "text": "Antwort."},
        {"author": "Clara", "date": datetime.date(2026, 11, 22), "reply_to": 2, "text": "Noch eine."},
    ]
    merged, added = comments_archive.merge(existing, new)
    assert added == 2
    assert [e.get("reply_to") for e in merged] == [None, 1, 2]
    again, added_again = comments_archive.merge(
        [{**e, "date": str(e["date"])} for e in merged], new,
    )
    assert added_again == 0 and len(again) == 3


@pytest.mark.unit
def test_isso_comment_becomes_an_importer_comment_in_german_time():
    comment = comments_archive.to_comment(
        {"id": 7, "parent": None, "created": 1764612000.25, "author": "&lt;b&gt;Eva&lt;/b&gt;", "text": "Hallo\r\nWelt"},
    )
    assert comment == Comment(id="7", parent="", author="<b>Eva</b>", when=datetime.datetime(2025, 12, 1, 19, 0, 0, 250000),
                              text="Hallo\nWelt")
    assert comments_archive.to_comment({"id": 8, "parent": 7, "created": 0, "author": None, "text": "x"}).author == "Anonym"


@pytest.mark.unit
def test_thread_id_is_the_page_path():
    assert comments_archive.thread_id(f"{SERIES}/artikel.md") == f"/{SERIES}/artikel/"


@pytest.mark.unit
def test_isso_config_takes_secrets_from_the_environment_only(tmp_path):
    env = {"ISSO_ADMIN_PASSWORD": "geheim", "ISSO_SMTP_HOST": "smtp.example.org", "ISSO_SMTP_TO": "redaktion@example.org"}
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(config_text(db=tmp_path / "k.db", port=8123, hosts=["http://127.0.0.1:8000/"], env=env))
    assert parser["moderation"]["enabled"] == "true" and parser["guard"]["enabled"] == "true"
    assert parser["guard"]["require-author"] == "false" and parser["guard"]["require-email"] == "false"
    assert parser["general"]["gravatar"] == "false" and parser["general"]["notify"] == "smtp"
    assert parser["admin"]["enabled"] == "true" and parser["admin"]["password"] == "geheim"
    assert parser["server"]["listen"] == "http://127.0.0.1:8123/"
    plain = configparser.ConfigParser(interpolation=None)
    plain.read_string(config_text(db=tmp_path / "k.db", port=8123, hosts=["http://127.0.0.1:8000/"], env={}))
    assert plain["admin"]["enabled"] == "false" and "password" not in plain["admin"]
    repo = (Path(__file__).resolve().parent.parent / "tools" / "isso" / "isso.cfg").read_text(encoding="utf-8")
    assert "password =" not in repo and "please_choose" not in repo


# -----------------------------------------------------------------------------
# Builds: a site of its own with one open and one closed article
# -----------------------------------------------------------------------------


def small_site(project: Project, provider: str) -> None:
    project.replace("mkdocs.yml", "provider: isso", f"provider: {provider}")
    project.write(f"docs/{SERIES}/offen.md", article("Offen & ehrlich", comments="open", date="2026-11-28"))
    project.write(f"docs/{SERIES}/zu.md", article("Geschlossen", comments="closed", date="2026-11-28"))


def build_ok(project: Project, monkeypatch):
    monkeypatch.setenv("KN_HEUTE", "2026-12-01")
    monkeypatch.delenv("KN_ISSO_URL", raising=False)
    result, built = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return built


def policy(page) -> dict[str, list[str]]:
    content = page.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
    return {part.split()[0]: part.split()[1:] for part in content.split(";") if part.strip()}


@pytest.mark.build
def test_isso_site_allows_isso_only_on_open_articles(project, monkeypatch):
    small_site(project, "isso")
    built = build_ok(project, monkeypatch)
    open_page, closed_page = built.page(f"{SERIES}/offen/"), built.page(f"{SERIES}/zu/")
    rules = policy(open_page)
    assert ISSO in rules["script-src"] and ISSO in rules["connect-src"]
    for directive in ("style-src", "img-src", "frame-src", "form-action", "default-src"):
        assert ISSO not in rules[directive], directive
    for page in (closed_page, built.page(""), built.page("datenschutz/")):
        assert ISSO not in str(policy(page))
    box = open_page.select_one("[data-kn-isso]")
    assert box["data-kn-isso-url"] == ISSO + "/"
    thread = open_page.select_one("#isso-thread")
    assert thread["data-isso-id"] == f"/{SERIES}/offen/" and thread["data-title"] == "Offen & ehrlich"
    assert "erst, nachdem die Redaktion ihn gelesen hat" in box.get_text(" ", strip=True)
    assert not open_page.select("script[src*='kommentare.']")
    assert closed_page.select_one(".kn-comments__closed") and not closed_page.select("[data-kn-isso]")
    text = built.page("datenschutz/").select_one("article").get_text(" ", strip=True)
    for needle in ("Isso", "anonymisiert", "isso-<Nummer des Kommentars>", "30 Tagen", "Kommentare per E-Mail", ISSO):
        assert needle in text, needle
    assert "kn:kommentare-datenschutz" not in str(built.page("datenschutz/"))


@pytest.mark.build
def test_email_site_invites_to_write_and_loads_no_script(project, monkeypatch):
    small_site(project, "email")
    built = build_ok(project, monkeypatch)
    page = built.page(f"{SERIES}/offen/")
    box = page.select_one("section.kn-comments [data-kn-comments-email]")
    link = box.find("a", href=True)
    assert unquote(link["href"]) == "mailto:redaktion@kooperation-netzwerke.example?subject=Kommentar zu „Offen & ehrlich“"
    assert "mit Ihrer Einwilligung" in box.get_text(" ", strip=True)
    assert not page.select("script[src*='kn-comments-'], section.kn-comments button")
    assert "isso" not in str(policy(page)).lower()
    text = built.page("datenschutz/").select_one("article").get_text(" ", strip=True)
    assert "Kommentare per E-Mail" in text and "isso-author" not in text and "giscus-session" not in text


@pytest.mark.build
def test_unknown_provider_fails(project):
    project.replace("mkdocs.yml", "provider: isso", "provider: disqus")
    assert_fails(project.build()[0], "mkdocs.yml", "Feld 'extra.comments.provider'", "'disqus'", "isso, giscus, email")


@pytest.mark.build
def test_isso_without_address_fails_when_articles_are_open(project, monkeypatch):
    monkeypatch.delenv("KN_ISSO_URL", raising=False)
    project.replace("mkdocs.yml", "url: https://kommentare.kooperation-netzwerke.example/", "url: ''")
    assert_fails(project.build()[0], "mkdocs.yml", "Feld 'extra.comments.isso.url'", "fehlt", "offene Kommentare")


@pytest.mark.build
def test_bad_isso_address_fails(project, monkeypatch):
    monkeypatch.delenv("KN_ISSO_URL", raising=False)
    project.replace("mkdocs.yml", "url: https://kommentare.kooperation-netzwerke.example/", "url: kommentare.example")
    assert_fails(project.build()[0], "mkdocs.yml", "Feld 'extra.comments.isso.url'", "'kommentare.example'", "https://")


@pytest.mark.build
def test_email_provider_without_operator_address_fails(project):
    project.replace("mkdocs.yml", "provider: isso", "provider: email")
    project.replace("mkdocs.yml", "email: redaktion@kooperation-netzwerke.example", "email: ''")
    assert_fails(project.build()[0], "mkdocs.yml", "Feld 'extra.betreiber.email'", "provider: email")


@pytest.mark.unit
def test_archive_finds_articles_closed_by_their_age(tmp_path):
    docs = tmp_path / "docs" / SERIES
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: Reihe\n---\n", encoding="utf-8")
    (docs / "alt.md").write_text(article("Alt", comments="open", date="2025-01-10"), encoding="utf-8")
    (docs / "neu.md").write_text(article("Neu", comments="open", date="2026-11-10"), encoding="utf-8")
    (docs / "zu.md").write_text(article("Zu", comments="closed", date="2026-11-10"), encoding="utf-8")
    (docs / "entwurf.md").write_text(article("Entwurf", comments="closed", draft="true"), encoding="utf-8")
    extra = {"comments": {"default": "open", "close_after_days": 365}}
    found = comments_archive.read_articles(tmp_path, extra, datetime.date(2026, 12, 1))
    assert {a.uri: a.state for a in found} == {
        f"{SERIES}/alt.md": "closed", f"{SERIES}/neu.md": "open", f"{SERIES}/zu.md": "closed",
    }
