"""Related articles and checklist backlinks: what else to read.

- Under each article, up to three „Das könnte Sie auch interessieren“: the
  articles sharing the rarest tags with it (each tag weighted by its inverse
  document frequency), then the newest; never the article itself, never a
  draft, never the previous or next part of its series (the series navigation
  links those already). Deterministic: same sources, same HTML.
- A checklist's own page lists the articles that include it („Diese
  Checkliste gehört zu: …“).

Both are computed once per build in `on_files` (after the other hooks have
read the articles, tags and checklist includes) and rendered from
`overrides/fragments/kn/`.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from itertools import combinations
from typing import TYPE_CHECKING, Callable

from kn import registry, view
from kn.registry import Article
from kn.view import Fragment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.kn.related")

RELATED = 3  # articles under each article
# Only the rarest tags of an article form tag combinations (2^6 - 1 = 63 at most),
# so an article with very many tags cannot make the index explode.
MAX_COMBINED_TAGS = 6
WEIGHT_SCALE = 1000  # tag weights as integers: sums compare exactly

# -----------------------------------------------------------------------------
# Events
# -----------------------------------------------------------------------------


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = registry.SITE
    site.related = related_articles(site.articles, neighbours=series_neighbours(site))
    site.checklist_users = checklist_users(site.articles, site.checklists)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    if page.file.src_uri in site.by_uri:
        view.of(page).related = site.related.get(page.file.src_uri, [])
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = registry.SITE
    checklist = view.of(page).checklist
    if checklist is None:
        return None
    used_by = site.checklist_users.get(checklist.name, [])
    view.of(page).after_content.append(Fragment("fragments/kn/checklist-used-by.html", {"articles": used_by}))
    return None


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------


def related_articles(
    articles: list[Article], *, neighbours: Callable[[Article], set[str]] = lambda _a: set(), limit: int = RELATED,
) -> dict[str, list[Article]]:
    """Up to `limit` related articles for every article, by src_uri.

    Rank: the sum of the weights of the shared tags (a tag's weight is
    log(1 + N / articles with the tag), so rare tags count more), then the
    newer article, then the src_uri (descending). Drafts are never chosen;
    `neighbours(article)` names src_uris that must not be chosen for it.

    Exact without comparing pairs: every article is filed under each
    combination of its tags, each list newest first. A candidate sharing
    exactly the tags U with article a is outranked by every article before it
    in the list for U (it shares at least U, so scores at least as much, and
    is newer). So only the first `limit` + (excluded) entries of each list for
    a combination of a's tags can win, and they are scored exactly.

    Cost: with A articles and at most T tags per article (T capped at
    MAX_COMBINED_TAGS for the combinations), the index takes A · (2^T - 1)
    entries; each article reads at most (2^T - 1) · (limit + excluded)
    entries and scores each with T set look-ups. So O(A · 2^T · T), linear in
    the number of articles (T = 3 here: 7 lists per article), instead of the
    O(A²) of scoring all pairs.
    """
    candidates = [a for a in articles if not a.draft]
    weights = tag_weights(candidates)
    order = sorted(candidates, key=lambda a: (a.date, a.src_uri), reverse=True)  # newest first
    index: dict[frozenset[str], list[Article]] = defaultdict(list)
    for article in order:
        for combination in tag_combinations(article.tags, weights):
            index[combination].append(article)
    related: dict[str, list[Article]] = {}
    for article in articles:
        excluded = {article.src_uri, *neighbours(article)}
        own = set(article.tags)
        found: dict[str, Article] = {}
        for combination in tag_combinations(article.tags, weights):
            taken = 0
            for other in index.get(combination, ()):
                if other.src_uri in excluded:
                    continue
                found[other.src_uri] = other
                taken += 1
                if taken == limit:
                    break
        ranked = sorted(
            found.values(),
            key=lambda o: (sum(weights.get(t, 0) for t in own.intersection(o.tags)), o.date, o.src_uri),
            reverse=True,
        )
        related[article.src_uri] = ranked[:limit]
    return related


def tag_weights(articles: list[Article]) -> dict[str, int]:
    """Inverse document frequency of each tag, as an integer (rare tags weigh more)."""
    counts = Counter(tag for article in articles for tag in set(article.tags))
    total = len(articles)
    return {tag: round(WEIGHT_SCALE * math.log(1 + total / count)) for tag, count in counts.items()}


def tag_combinations(tags: list[str], weights: dict[str, int]) -> list[frozenset[str]]:
    """Every non-empty combination of the (rarest MAX_COMBINED_TAGS) tags."""
    rarest = sorted(set(tags), key=lambda t: (-weights.get(t, 0), t))[:MAX_COMBINED_TAGS]
    return [frozenset(c) for size in range(1, len(rarest) + 1) for c in combinations(rarest, size)]


def series_neighbours(site: registry.Site) -> Callable[[Article], set[str]]:
    """The previous and next part of each article in its series."""
    around: dict[str, set[str]] = {}
    for series in site.series.values():
        parts = series.articles
        for index, article in enumerate(parts):
            around[article.src_uri] = {p.src_uri for p in parts[max(0, index - 1):index + 2] if p is not article}
    return lambda article: around.get(article.src_uri, set())


def checklist_users(articles: list[Article], checklists: dict) -> dict[str, list[Article]]:
    """Checklist name -> the published articles that include it, in reading order.

    Reading order: by series, then by `teil`; articles without one follow, oldest first.
    """
    users: dict[str, list[Article]] = {name: [] for name in checklists}
    for article in articles:
        if article.draft:
            continue
        for name in article.checklists:
            users.setdefault(name, []).append(article)
    for listed in users.values():
        listed.sort(key=lambda a: (a.series, a.part is None, a.part or 0, a.moment(), a.src_uri))
    return users
