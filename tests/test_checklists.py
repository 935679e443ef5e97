"""Checklists: one file, its own page, included verbatim into articles."""

from __future__ import annotations

import markdown
import pytest

from conftest import CHECKLISTS, DOCS, Project, article, assert_problem_of, checklist_includes
from kn.read import checklists


def item_count(name: str) -> int:
    text = (DOCS / "checklisten" / f"{name}.md").read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.startswith("    - [ ] "))


def test_at_least_three_checklists_one_reused():
    assert len(CHECKLISTS) >= 3
    assert any(len(urls) >= 2 for urls in checklist_includes().values())


@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_page_renders_admonition_with_unticked_boxes(site, name):
    box = site.page(f"checklisten/{name}/").select_one(f'.kn-checklist[data-checklist="{name}"] .admonition.checkliste')
    assert box is not None
    boxes = box.select(".task-list-item input[type=checkbox]")
    assert len(boxes) == item_count(name) > 0
    assert not any(b.has_attr("checked") or b.has_attr("disabled") for b in boxes)


@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_is_identical_in_every_article(site, name):
    own = site.page(f"checklisten/{name}/").select_one(f'.kn-checklist[data-checklist="{name}"] .task-list')
    title = None
    for url in checklist_includes()[name]:
        box = site.page(url).select_one(f'.kn-checklist[data-checklist="{name}"] .admonition')
        assert box is not None, url
        assert str(box.select_one(".task-list")) == str(own), url
        assert title in (None, str(box.select_one(".admonition-title"))), url
        title = str(box.select_one(".admonition-title"))


@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_title_is_shown_once_on_its_own_page(site, name):
    page = site.page(f"checklisten/{name}/")
    title = page.h1.get_text(strip=True)
    article = page.select_one("article")
    assert article.get_text(" ").count(title) == 1, title
    assert page.select_one(".kn-checklist .admonition-title") is None


def test_checklist_page_title_comes_from_admonition(site):
    page = site.page("checklisten/partner-pruefen/")
    assert page.h1.get_text(strip=True) == "Kooperationspartner prüfen"
    included = site.page(checklist_includes()["partner-pruefen"][0])
    assert included.select_one('[data-checklist="partner-pruefen"] .admonition-title').get_text(strip=True) == "Kooperationspartner prüfen"


@pytest.fixture(scope="module")
def variants_site(tmp_path_factory):
    """One build of the test site with the variants of the tests below side by
    side, in files of their own: a checklist without title, a collapsible one
    included in an article, a draft that includes partner-pruefen, and
    partner-pruefen's items changed."""
    project = Project(tmp_path_factory.mktemp("checklist-variants") / "project")
    project.write("docs/checklisten/ohne-titel.md", "!!! checkliste\n\n    - [ ] Ein Punkt.\n")
    project.write("docs/checklisten/klappbar.md", '??? checkliste "Zum Aufklappen"\n\n    - [ ] Ein Punkt.\n')
    project.write("docs/kooperation-netzwerke/klappbar.md", article() + '\n--8<-- "checklisten/klappbar.md"\n')
    project.write("docs/kooperation-netzwerke/entwurf.md",
                  article("Ein Entwurf", draft="true") + '\n--8<-- "checklisten/partner-pruefen.md"\n')
    project.replace("docs/checklisten/partner-pruefen.md", "    - [ ] ", "    - [ ] Geänderter Punkt. ")
    return project.build()


def test_checklist_without_title_is_titled_checkliste(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stderr
    assert built.page("checklisten/ohne-titel/").h1.get_text(strip=True) == "Checkliste"


def test_collapsible_checklist_renders_as_details(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stderr
    own = built.page("checklisten/klappbar/")
    assert own.h1.get_text(strip=True) == "Zum Aufklappen"
    assert own.select_one("details.checkliste summary").get_text(strip=True) == "Punkte anzeigen"
    included = built.page("kooperation-netzwerke/klappbar/")
    assert included.select_one("details.checkliste summary").get_text(strip=True) == "Zum Aufklappen"


@pytest.mark.parametrize("name", CHECKLISTS)
def test_checklist_page_lists_the_articles_that_include_it(site, name):
    used_by = site.page(f"checklisten/{name}/").select_one(".kn-used-by")
    expected = checklist_includes()[name]
    if not expected:
        assert used_by is None
        return
    assert used_by.select_one(".kn-used-by__title").get_text(strip=True) == "Diese Checkliste gehört zu:"
    linked = sorted(a["href"].removeprefix("../../") for a in used_by.select("a"))
    assert linked == sorted(expected)


def test_checklist_backlinks_leave_out_drafts(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stderr
    links = [a["href"] for a in built.page("checklisten/partner-pruefen/").select(".kn-used-by a")]
    assert links and not any("entwurf" in href for href in links)


def test_changing_the_checklist_file_changes_every_article(variants_site):
    result, built = variants_site
    assert result.returncode == 0, result.stderr
    for url in checklist_includes()["partner-pruefen"]:
        assert "Geänderter Punkt." in built.page(url).select_one('[data-checklist="partner-pruefen"]').get_text()


@pytest.fixture(scope="module")
def bad_includes_site(tmp_path_factory):
    """One failing build with the three bad files side by side (an include of
    a missing checklist, an include of something else, a checklist without its
    admonition): all three are reported together."""
    project = Project(tmp_path_factory.mktemp("checklist-bad") / "project")
    project.write("docs/kooperation-netzwerke/kaputt.md",
                  article().replace("Ein Absatz mit Text.", 'Text.\n\n--8<-- "checklisten/gibt-es-nicht.md"\n'))
    project.write("docs/kooperation-netzwerke/fremd.md", article().replace("Ein Absatz mit Text.", '--8<-- "../mkdocs.yml"\n'))
    project.write("docs/checklisten/falsch.md", "# Nur eine Überschrift\n\n- [ ] Punkt\n")
    return project.build()


def test_missing_checklist_fails_naming_both_files(bad_includes_site):
    result, built = bad_includes_site
    assert_problem_of(result, "kooperation-netzwerke/kaputt.md", "checklisten/gibt-es-nicht.md")
    assert not built.exists("kooperation-netzwerke/kaputt/")


def test_include_of_something_else_fails(bad_includes_site):
    result, _ = bad_includes_site
    assert_problem_of(result, "kooperation-netzwerke/fremd.md", "../mkdocs.yml")


def test_checklist_file_without_admonition_fails(bad_includes_site):
    result, _ = bad_includes_site
    assert_problem_of(result, "checklisten/falsch.md", "!!! checkliste")


# -----------------------------------------------------------------------------
# Accessibility: every checkbox is named by its item text
# -----------------------------------------------------------------------------

BOX = '<input type="checkbox"/><span class="task-list-indicator"></span>'
CHECKED = BOX.replace("/>", " checked/>", 1)


@pytest.mark.parametrize(("markdown_text", "expected"), [
    ("- [ ] Ein Punkt.",
     f'<li class="task-list-item"><label class="task-list-control">{BOX} Ein Punkt.</label></li>'),
    ("- [x] Mit [Link](x/).",
     f'<li class="task-list-item"><label class="task-list-control">{CHECKED} Mit <a href="x/">Link</a>.</label></li>'),
    ("- [ ] Oben\n    - Unterpunkt",
     f'<li class="task-list-item"><label class="task-list-control">{BOX} Oben</label><ul>\n<li>Unterpunkt</li>\n</ul>\n</li>'),
    ("- [ ] Locker\n\n- [ ] Zweiter",
     f'<li class="task-list-item">\n<p><label class="task-list-control">{BOX} Locker</label></p>\n</li>'),
    ("- Kein Aufgabenpunkt.", "<li>Kein Aufgabenpunkt.</li>"),
])
def test_task_item_text_labels_its_checkbox(markdown_text, expected):
    html = markdown.markdown(markdown_text, extensions=[
        "pymdownx.tasklist", checklists.TaskLabelExtension(),
    ], extension_configs={"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}})
    assert expected in html


@pytest.mark.parametrize("name", CHECKLISTS)
def test_every_checkbox_is_labelled_by_its_item_text(site, name):
    for url in [f"checklisten/{name}/", *checklist_includes()[name]]:
        for item in site.page(url).select(f'[data-checklist="{name}"] .task-list-item'):
            label = item.select_one("label.task-list-control")
            assert label.select_one("input[type=checkbox]") is not None, url
            assert label.get_text(" ", strip=True) == item.get_text(" ", strip=True) != "", url


def test_checkbox_has_accessible_name_in_browser(site, site_url, browser_page):
    browser_page.goto(f"{site_url}checklisten/partner-pruefen/")
    first = site.page("checklisten/partner-pruefen/").select_one(".task-list-item").get_text(" ", strip=True)
    assert browser_page.get_by_role("checkbox", name=first, exact=True).count() == 1
