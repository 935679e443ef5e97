"""Sites a site owner may really have, built in a scratch folder: the
repository's site plus a draft, an imported WordPress export, an imported
Markdown blog with dozens of posts and its own tags, or five series.

Used by tests/test_pruefen.py (the content check must pass on each) and by
`python -m tests.scenarios ZIEL SZENARIO …` to make such a copy by hand.
Nothing here writes into the repository's own docs/ or data/.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import sys
from pathlib import Path

from tools.localsite import DEMO, ROOT, article, copy_sources

FIXTURES = ROOT / "tests" / "fixtures" / "import"
TOPICS = ["Werkstattalltag", "Lieferketten", "Gemeinschaftsstand", "Ausbildung", "Nachfolge", "Förderung",
          "Einkaufsgemeinschaft", "Messen & Märkte"]
WORDS = ("Gemeinsam planen kleine Betriebe ihre Aufträge, teilen Werkzeuge und sprechen offen über Preise, "
         "Termine und Erwartungen. Wer früh fragt, vermeidet späteren Ärger.").split()


def owner_site(target: Path) -> Path:
    """The test site with the repository's config, hooks and templates, to change
    as an owner would (never the owner's own docs/ or data/, which may hold imports)."""
    root = copy_sources(target, content=DEMO)
    (root / "tests").mkdir(exist_ok=True)
    (root / "tests" / "wortliste.txt").write_text((ROOT / "tests" / "wortliste.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return root


def with_draft(root: Path) -> None:
    """`make artikel TITEL=…`: a new draft, as CONTRIBUTING describes it."""
    series = sorted(p.parent.name for p in (root / "docs").glob("*/index.md") if p.parent.name not in ("checklisten", "tags"))[0]
    subprocess.run([sys.executable, "-m", "tools.new_article", "Mein erster Entwurf", "--serie", series,
                    "--docs", str(root / "docs")], cwd=ROOT, check=True, capture_output=True, text=True)


def importer(root: Path, source: Path, *options: str) -> subprocess.CompletedProcess:
    """`make import QUELLE=…` on the site under `root`."""
    return subprocess.run([sys.executable, "-m", "tools.importer", str(source), "--website", str(root), *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def with_wordpress(root: Path) -> subprocess.CompletedProcess:
    return importer(root, FIXTURES / "wordpress.xml", "--serie", "werkstatt", "--medien", str(FIXTURES / "uploads"))


def markdown_blog(folder: Path, posts: int = 60, seed: int = 22) -> Path:
    """A Jekyll-style blog: `posts` posts under _posts/ with their own tags
    (none of them in the site's vocabulary), umlauts, an undated page, a video
    shortcode and links between posts."""
    rng = random.Random(seed)
    (folder / "_posts").mkdir(parents=True)
    start = datetime.date(2019, 3, 1)
    previous = ""
    for number in range(posts):
        day = start + datetime.timedelta(days=13 * number)
        tags = rng.sample(TOPICS, k=rng.randint(1, 3))
        paragraphs = ["\n".join(" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(1))
                      for _ in range(rng.randint(2, 6))]
        extra = ""
        if number % 17 == 5:
            extra = "\n{{< youtube abcDEF12345 >}}\n"  # Hugo's shortcode; a raw <iframe> the importer keeps (see report)
        if number and number % 9 == 0:
            extra += f"\nSiehe auch den [vorigen Beitrag]({{% post_url {previous} %}}).\n"
        previous = f"{day.isoformat()}-beitrag-{number + 1}"
        title = f"Beitrag {number + 1}: Über {tags[0]} – was Betriebe gemeinsam lernen"
        front = f'---\nlayout: post\ntitle: "{title}"\ntags: [{", ".join(repr(t) for t in tags)}]\n---\n\n'
        (folder / "_posts" / f"{previous}.md").write_text(front + "\n\n".join(paragraphs) + "\n" + extra, encoding="utf-8")
    (folder / "ueber-uns.md").write_text("---\ntitle: Über uns\n---\n\nEine Seite ohne Datum.\n", encoding="utf-8")
    return folder


def with_markdown_blog(root: Path, posts: int = 60) -> subprocess.CompletedProcess:
    source = markdown_blog(root.parent / "markdown-blog", posts)
    return importer(root, source, "--serie", "altes-blog")


def with_series(root: Path, count: int = 5) -> None:
    """Series until there are `count`: each with an overview page and three
    articles, one of them a draft and one including an existing checklist."""
    docs = root / "docs"
    existing = [p.parent.name for p in docs.glob("*/index.md") if p.parent.name not in ("checklisten", "tags")]
    checklists = sorted(p.stem for p in (docs / "checklisten").glob("*.md") if p.stem != "index")
    tags = [line.split(":", 1)[0].strip('"') for line in (root / "data" / "tags.yml").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and ":" in line]
    for number in range(len(existing) + 1, count + 1):
        folder = docs / f"reihe-{number}"
        folder.mkdir()
        (folder / "index.md").write_text(f"---\ntitle: Reihe {number}\ndescription: Die Reihe Nummer {number}.\n---\n\n"
                                         "Eine weitere Reihe.\n", encoding="utf-8")
        for part in (1, 2, 3):
            text = article(f"Teil {part} der Reihe {number}", teil=str(part), date=f"2026-0{part}-1{number % 10}",
                           tags=f"[{tags[(number + part) % len(tags)]!r}]".replace("'", '"'),
                           draft="true" if part == 3 else None)
            if part == 2 and checklists:
                text += f'\n--8<-- "checklisten/{checklists[0]}.md"\n'
            (folder / f"teil-{part}.md").write_text(text, encoding="utf-8")


SCENARIOS = {
    "entwurf": with_draft,
    "wordpress": with_wordpress,
    "markdown-blog": with_markdown_blog,
    "fuenf-reihen": with_series,
}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or any(name not in SCENARIOS for name in argv[1:]):
        print(f"Aufruf: python -m tests.scenarios ZIEL {{{','.join(SCENARIOS)}}} …", file=sys.stderr)
        return 2
    root = owner_site(Path(argv[0]))
    for name in argv[1:]:
        result = SCENARIOS[name](root)
        if isinstance(result, subprocess.CompletedProcess) and result.returncode:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
    print(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
