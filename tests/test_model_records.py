"""The content model (kn/registry.py): immutable records built once from the
front-matter schema (kn/schema.py FIELDS), new values by dataclasses.replace,
the content frozen after the derive step, caches apart."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from kn import registry, schema
from kn.registry import Article, Series, Tag

pytestmark = pytest.mark.unit


def make(name: str, **values) -> Article:
    return Article(src_uri=f"s/{name}.md", url=f"s/{name}/", series="s", title=name, description="",
                   date=datetime.date(2026, 1, 1), body="", **values)


def test_records_are_frozen_and_hold_tuples():
    article = make("a", tags=["Netzwerken"], authors=["redaktion"])
    assert article.tags == ("Netzwerken",) and article.authors == ("redaktion",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "B"  # type: ignore[misc]
    series = Series("s", "S", "s/index.md", "s/", [article])
    assert series.articles == (article,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        series.articles = ()  # type: ignore[misc]


def test_every_schema_field_with_an_attribute_is_an_article_attribute_with_its_default():
    article = make("a")
    for name, spec in schema.FIELDS.items():
        if spec.attribute:
            assert getattr(article, spec.attribute) == spec.default, name
    fields = {f.name: f for f in dataclasses.fields(Article)}
    assert {spec.attribute for spec in schema.FIELDS.values() if spec.attribute} <= set(fields)


def test_record_values_take_the_checked_value_or_the_default():
    values, problems = schema.validate_article("s/a.md", {
        "title": "A", "date": "2026-01-01", "tags": ["X"], "authors": ["r"], "comments": "open", "teil": 2,
    }, comments_default=False)
    assert problems == []
    record = schema.record_values(values)
    assert record["part"] == 2 and record["comments"] == "open" and record["pinned"] is False and record["guid"] == ""


def test_replace_articles_swaps_every_collection_at_once():
    site = registry.Site()
    a, b = make("a", tags=["X"]), make("b", tags=["X"])
    site.articles = [a, b]
    site.by_uri = {x.src_uri: x for x in site.articles}
    site.series = {"s": Series("s", "S", "s/index.md", "s/", (a, b))}
    site.tags = {"X": Tag("X", "x", "", "tags/x.md", "tags/x/", (a, b))}
    site.tag_pages = {"tags/x.md": site.tags["X"]}
    new = dataclasses.replace(a, checklists=("vertrag",))
    site.replace_articles({a.src_uri: new})
    assert site.articles == [new, b] and site.by_uri[a.src_uri] is new
    assert site.series["s"].articles == (new, b) and site.tags["X"].articles == (new, b)
    assert site.tag_pages["tags/x.md"] is site.tags["X"]
    assert a.checklists == ()  # the old record is unchanged


def test_remove_articles_leaves_them_out_of_what_is_published():
    site = registry.Site()
    a, b = make("a"), make("b")
    site.articles = [a, b]
    site.series = {"s": Series("s", "S", "s/index.md", "s/", (a, b))}
    site.remove_articles({a.src_uri})
    assert site.articles == [b] and site.series["s"].articles == (b,) and a.src_uri not in site.by_uri


def test_content_is_frozen_after_the_derive_step_but_caches_are_not():
    site = registry.Site()
    site.articles = [make("a")]
    site.checklists = {}
    site.freeze()
    assert site.articles == (make("a"),)
    with pytest.raises(AttributeError, match="frozen"):
        site.articles = []
    with pytest.raises(TypeError):
        site.checklists["x"] = None  # type: ignore[index]
    site.cache.reading["s/a.md"] = registry.Reading(200, 1)
    assert site.reading_of(make("a")).minutes == 1 and site.reading_of(make("b")) == registry.Reading()
    site.errors.append("Problem")  # problems are collected, not content
