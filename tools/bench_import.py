"""Benchmark of the importer: `make bench-import` or
`python -m tools.bench_import --beitraege 1000 --kommentare 10000`.

Generates a WordPress export with N posts (paragraphs, a nested list, a table,
a caption with an image from the uploads, a link to another post, a video) and
M approved comments spread over them (every third a reply), imports it into a
temporary copy of the site, and prints the time of the import. With
`--bauen` it also builds the result strictly and prints that time. Goal: 1000
posts and 10 000 comments in at most 60 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from tools.importer import Options, run
from tools.localsite import ROOT, build, copy_sources

WORDS = (
    "Kooperation Netzwerk Partner Vertrag Kunde Angebot Betrieb Handwerk Beratung Empfehlung Vertrauen "
    "Gespräch Treffen gemeinsam schriftlich klar offen fair regional prüfen besprechen vereinbaren und "
    "oder aber weil wenn dass mit ohne für über nach vor bei Sie Ihre wir ist sind wird hat kann soll"
).split()
TAGS = ["Kooperation", "Netzwerken", "lernOS", "LernOS", "Handwerk", "Einkauf", "Recht", "Marketing"]
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Benchmark-Blog</title><link>https://bench.example</link>
<wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:author><wp:author_login>autorin</wp:author_login><wp:author_display_name>Bench Autorin</wp:author_display_name></wp:author>
"""


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def post_html(rng: random.Random, number: int) -> str:
    paragraphs = "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(6))
    return (
        f"{paragraphs}\n\n<!--more-->\n\n"
        f'[caption id="a{number}" width="300"]<img src="https://bench.example/wp-content/uploads/2020/01/bild.png" '
        f'alt="Bild {number}" /> Bildunterschrift {number}[/caption]\n\n'
        "<ul><li>Eins<ul><li>Eins-a</li></ul></li><li>Zwei</li></ul>\n\n"
        "<table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>\n\n"
        f'Siehe <a href="https://bench.example/beitrag-{max(1, number - 1)}/">den vorigen Beitrag</a>.\n\n'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )


def comment_xml(rng: random.Random, cid: int, parent: int, day: int) -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>Leser {cid}</wp:comment_author>"
        f"<wp:comment_author_email>leser{cid}@bench.example</wp:comment_author_email>"
        f"<wp:comment_author_IP>192.0.2.{cid % 250}</wp:comment_author_IP>"
        f"<wp:comment_date>2020-02-{day:02d} {cid % 24:02d}:00:00</wp:comment_date>"
        f"<wp:comment_content><![CDATA[{sentence(rng)}\n\n<em>{sentence(rng, 8)}</em>]]></wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def export(posts: int, comments: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts = [HEAD]
    per_post, extra = divmod(comments, posts)
    cid = 0
    for number in range(1, posts + 1):
        thread = []
        first = cid + 1
        for index in range(per_post + (1 if number <= extra else 0)):
            cid += 1
            parent = first if index % 3 == 2 else 0
            thread.append(comment_xml(rng, cid, parent, 1 + index % 28))
        tags = "".join(f'<category domain="post_tag"><![CDATA[{t}]]></category>' for t in rng.sample(TAGS, 2))
        parts.append(
            f"<item><title>{escape(sentence(rng, 5)[:-1])}</title><link>https://bench.example/beitrag-{number}/</link>"
            f"<dc:creator>autorin</dc:creator><guid isPermaLink=\"false\">https://bench.example/?p={number}</guid>"
            f"<content:encoded><![CDATA[{post_html(rng, number)}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{number}</wp:post_id>"
            f"<wp:post_date>2020-01-{1 + number % 28:02d} 10:{number % 60:02d}:00</wp:post_date>"
            f"<wp:comment_status>closed</wp:comment_status><wp:post_name>beitrag-{number}</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
            f"{tags}{''.join(thread)}</item>\n"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Misst den Import eines großen WordPress-Exports.")
    parser.add_argument("--beitraege", type=int, default=1000, help="Zahl der Beiträge (Standard: 1000)")
    parser.add_argument("--kommentare", type=int, default=10000, help="Zahl der Kommentare (Standard: 10000)")
    parser.add_argument("--bauen", action="store_true", help="das Ergebnis danach streng bauen und die Zeit messen")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kn-bench-import-") as tmp:
        folder = Path(tmp)
        source = folder / "export.xml"
        source.write_text(export(args.beitraege, args.kommentare), encoding="utf-8")
        media = folder / "uploads" / "2020" / "01"
        media.mkdir(parents=True)
        (media / "bild.png").write_bytes((ROOT / "tests/fixtures/import/uploads/2019/03/werkstatt.png").read_bytes())
        root = copy_sources(folder / "site")
        print(f"Export: {args.beitraege} Beiträge, {args.kommentare} Kommentare, "
              f"{source.stat().st_size / 1e6:.1f} MB")
        start, cpu = time.perf_counter(), time.process_time()
        report = run(Options(source=source, root=root, series="bench", media=folder / "uploads"))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if not report.ok:
            print(report.format())
            return 1
        print(f"Import: {seconds:.1f} s, CPU-Zeit {cpu:.1f} s ({len(report.items)} Beiträge, {report.comments['archiviert']} Kommentare "
              f"archiviert, {len(report.files)} Dateien); Ziel: höchstens 60 s")
        if args.bauen:
            start = time.perf_counter()
            result = build(root, folder / "out")
            print(f"Build (mkdocs build --strict): {time.perf_counter() - start:.1f} s, "
                  f"{'bestanden' if result.returncode == 0 else 'FEHLGESCHLAGEN'}")
            if result.returncode != 0:
                print(result.stdout[-3000:] + result.stderr[-3000:])
                return 1
        return 0 if seconds <= 60 else 1


if __name__ == "__main__":
    sys.exit(main())
