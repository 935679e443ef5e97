"""Issues #26 and #30: count-based limits before Python-Markdown sees a page
(limits.construct_problem), each fast and in German. The builds of these cases
are `make bench-hostile` (tools/bench_hostile.py, ROUND_TWO)."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.unit

CASES = [
    ("\n".join(f"# Überschrift {n}" for n in range(20_000)), "Überschriften"),
    ('"' * 100_000, "Anführungszeichen"),
    ("<!-- x -->" * 20_000, "HTML-Kommentare"),
    ("&amp;" * 50_000, "„&“"),
    ("\\" * 250_000, "Backslashes"),
    ("<" * 299_000, "„<“"),
    ("<div>" * 5_000, "100 Ebenen"),
    ("<section><div>" * 60 + "x", "100 Ebenen"),
    ("Text.\n\n<![>", "<!["),
    ("<![if !supportLists]>", "<!["),
]


@pytest.mark.parametrize(("text", "needle"), CASES)
def test_constructs_over_the_limit_are_refused_fast(text, needle):
    from kn.limits import markdown_problem

    started = time.perf_counter()
    problem = markdown_problem("serie/x.md", text, first_line=10)
    assert time.perf_counter() - started < 2
    assert problem is not None and problem.startswith("Fehler in 'serie/x.md'") and needle in problem, problem


@pytest.mark.parametrize("text", [
    "\n\n".join(f"## Abschnitt {n}\n\nEin „Absatz“ mit 'Zitat', &amp; und \\* Stern." for n in range(900)),
    "<div><div><p>Text<br>mehr</p><ul><li>a<li>b</ul></div></div>" * 200,
    "<![CDATA[ x ]]> und <!-- ein Kommentar -->",
    "<p>" * 500 + "<li>" * 500,  # elements that close themselves do not nest
])
def test_real_content_stays_inside_the_limits(text):
    from kn.limits import markdown_problem

    assert markdown_problem("serie/x.md", text) is None


def test_html_depth_names_the_line():
    from kn.limits import markdown_problem

    problem = markdown_problem("serie/x.md", "Text.\n\n" + "<div>\n" * 150, first_line=10)
    assert "Zeile 112" in problem  # the 101st <div>
