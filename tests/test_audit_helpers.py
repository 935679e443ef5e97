"""Unit tests of the pure helpers in tools/audit.py (no build, no node, no java)."""

from __future__ import annotations

import json

from tools import audit

VNU_OUTPUT = json.dumps(
    {
        "messages": [
            {
                "type": "error",
                "url": "file:/tmp/kn-audit-x/site/tags/index.html",
                "lastLine": 70,
                "firstColumn": 5,
                "message": "Attribute “autocomplete” is only allowed when the input type is “color”, …",
            },
            {
                "type": "error",
                "url": "file:/tmp/kn-audit-x/site/index.html",
                "lastLine": 12,
                "firstColumn": 3,
                "message": "Duplicate ID “top”.",
            },
            {
                "type": "info",
                "url": "file:/tmp/kn-audit-x/site/index.html",
                "lastLine": 13,
                "message": "Trailing slash on void elements has no effect …",
            },
            {
                "type": "error",
                "url": "file:/tmp/kn-audit-x/site/%C3%BCber/index.html",
                "lastLine": 1,
                "message": "Duplicate ID “top”.",
            },
        ]
    }
)


def test_parse_vnu_json_keeps_errors_with_site_relative_paths():
    messages = audit.parse_vnu_json(VNU_OUTPUT, "/tmp/kn-audit-x/site")
    assert [(m.file, m.line) for m in messages] == [
        ("tags/index.html", 70),
        ("index.html", 12),
        ("über/index.html", 1),
    ]
    assert all(m.type == "error" for m in messages)


def test_allow_list_hides_matching_errors_and_reports_unused_entries():
    messages = audit.parse_vnu_json(VNU_OUTPUT, "/tmp/kn-audit-x/site")
    allow = [
        (r"^Attribute “autocomplete” is only allowed", "theme markup"),
        (r"never matches", "stale entry"),
    ]
    kept, hidden = audit.apply_allow_list(messages, allow)
    assert [m.message for m in kept] == ["Duplicate ID “top”.", "Duplicate ID “top”."]
    assert hidden == {allow[0][0]: 1, allow[1][0]: 0}
    assert audit.errors_per_file(kept) == {"index.html": 1, "über/index.html": 1}


def test_every_allow_list_entry_compiles_and_has_a_reason():
    import re

    for pattern, reason in audit.VNU_ALLOW_LIST:
        re.compile(pattern)
        assert len(reason.split()) >= 5, f"allow-list entry {pattern!r} needs a real reason"


def test_scores_rounded_like_lighthouse_and_checked_against_targets():
    # Halves round up as in Lighthouse's Math.round (Python's round() gives 98 here).
    assert audit.lighthouse_score(0.985) == 99
    assert audit.lighthouse_score(0.9749) == 97
    assert audit.lighthouse_score(None) is None
    scores = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
    assert audit.score_failures(scores) == []
    scores.update(performance=97, seo=None)
    assert audit.score_failures(scores) == ["Leistung 97 < 98", "SEO: kein Ergebnis"]
