"""Benchmark: what do our hooks cost on a large site?

Generates N synthetic articles (default 1000, in series folders of 20, each
with an index.md; tags from data/tags.yml; German-looking text of about 600
words with a checklist include) in a temporary copy of the site, then builds it
alternately with the hooks and without them (a copy of mkdocs.yml without
`hooks:` and our Markdown extensions, with the same small navigation written
out as `nav:` and Material's own search plugin in place of ours), several runs
each, and prints the median times, their ratio and the size of one article
page in the normal site and in the large site. The measured builds find the
social preview images in their cache (`.cache/social-images/`, filled by the
warm-up) and the search index of the last build (`.cache/search/`), as a
deploy with a restored cache does. Reported separately: one build after one
article changed (the search index is made anew), and one after emptying the
image cache (every image drawn).
Then a site with 50 more checklists is built with an empty and with a full
cache of checklist PDFs (`.cache/checklist-pdfs/`, hooks/kn/publish/checklist_pdf.py).

Then the search (hooks/kn/publish/search.py): on the large site, the size of Pagefind's
index, the bytes Chromium fetches for one query and the time from the first
keystroke to the first result, served on 127.0.0.1; beside the same figures
for Material's own search (lunr), from one more build of the same site with
Material's search plugin and its templates instead of ours.

Run with `make bench` or `python -m tools.benchmark --articles 1000 --runs 3`
(`--nur-suche`: only the search figures).
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from kn import yamlfile
from kn.names import RESERVED
from tools.localsite import CHROMIUM, CHROMIUM_ARGS, copy_sources, entry_without, serve  # the same copy of the site's sources as the tests

SERIES_SIZE = 20
SAMPLE_PAGE = "kooperation-netzwerke/empfehlungsnetzwerke/index.html"
# Search: the query typed, the page it is typed on, the targets of issue #24.
SEARCH_QUERY = "Vertrag"
SEARCH_PAGE = "serie-01/artikel-01/"
SEARCH_MAX_KB = 300
SEARCH_MAX_SECONDS = 1.5
SEARCH_RUNS = 5  # visits per search, each with an empty cache; the median time is reported
# Material's search plugin as the site had it before Pagefind (for the comparison).
MATERIAL_SEARCH = """plugins:
  - search:
      lang: de
      separator: '[\\s\\-,:;!?=\\[\\]()"/„“‚‘»«]+|\\.(?!\\d)|&[lg]t;|&amp;'
"""

WORDS = """
Kooperation Netzwerk Partner Partnerin Vertrag Vereinbarung Kunde Kundin Auftrag Angebot
Betrieb Firma Handwerk Beratung Empfehlung Vertrauen Gespräch Treffen Termin Rechnung
Leistung Aufgabe Verantwortung Haftung Ausstieg Kündigung Frist Ziel Plan Erfahrung
Veranstaltung Messe Stammtisch Kontakt Verbindung Zusammenarbeit Austausch Unterstützung
Wachstum Größe Markt Wettbewerb Preis Honorar Umsatz Gewinn Risiko Chance Entscheidung
Absprache Protokoll Rückmeldung Qualität Zuverlässigkeit Pünktlichkeit Erwartung Rolle
gemeinsam schriftlich klar offen fair verlässlich regional selbstständig klein neu erfahren
zufrieden ehrlich geduldig gründlich kurzfristig langfristig wichtig sinnvoll rechtzeitig
prüfen besprechen vereinbaren festhalten klären empfehlen vorbereiten nachfragen beenden
gewinnen verlieren aufbauen pflegen teilen übernehmen abstimmen vertrauen wachsen achten
und oder aber denn weil wenn dass damit sobald bevor nachdem während obwohl trotzdem
der die das ein eine einen dem den des mit ohne für über unter zwischen nach vor bei
Sie Ihre Ihren Ihnen wir uns man jede jeder jedes viele wenige manche alle beide
ist sind wird werden hat haben kann können soll sollten muss müssen darf lohnt hilft
""".split()
HEADINGS = (
    "Worauf es ankommt", "Der erste Schritt", "Typische Fehler", "Ein Beispiel aus der Praxis",
    "Was Sie festhalten sollten", "Wenn es schwierig wird", "Zum Schluss",
)

# -----------------------------------------------------------------------------
# Synthetic content
# -----------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, checklist: str, words: int = 600) -> str:
    """About `words` words in paragraphs under headings, with one checklist."""
    parts: list[str] = []
    count = 0
    while count < words:
        if parts and rng.random() < 0.25:
            parts.append("## " + rng.choice(HEADINGS))
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        count += len(paragraph.split())
        parts.append(paragraph)
    parts.insert(min(4, len(parts)), f'--8<-- "checklisten/{checklist}.md"')
    return "\n\n".join(parts) + "\n"


def generate(project: Path, count: int, seed: int = 1) -> list[str]:
    """Write `count` articles into series folders of SERIES_SIZE; return the series folders."""
    rng = random.Random(seed)
    tags = list(yamlfile.load((project / "data/tags.yml").read_text(encoding="utf-8")))
    authors = list(yamlfile.load((project / "data/authors.yml").read_text(encoding="utf-8")))
    checklists = sorted(p.stem for p in (project / "docs/checklisten").glob("*.md") if p.stem != "index")
    start = datetime.date(2020, 1, 1)
    folders: list[str] = []
    for s in range(math.ceil(count / SERIES_SIZE)):
        folder = f"serie-{s + 1:02d}"
        folders.append(folder)
        target = project / "docs" / folder
        target.mkdir()
        title = f"Testreihe {s + 1}: " + " ".join(rng.choices(WORDS[:60], k=2))
        index = yaml.safe_dump({"title": title, "description": sentence(rng)}, allow_unicode=True, width=1000)
        (target / "index.md").write_text(f"---\n{index}---\n\n{sentence(rng)}\n", encoding="utf-8")
        for a in range(min(SERIES_SIZE, count - s * SERIES_SIZE)):
            number = s * SERIES_SIZE + a
            meta = {
                "title": f"Artikel {number + 1}: " + sentence(rng).rstrip("."),
                "description": sentence(rng),
                "date": (start + datetime.timedelta(days=number)).isoformat(),
                "tags": rng.sample(tags, k=rng.randint(1, 3)),
                "comments": rng.choice(["open", "closed"]),
                "authors": rng.sample(authors, k=1),
            }
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            text = f"---\n{front}---\n\n{body(rng, rng.choice(checklists))}"
            (target / f"artikel-{a + 1:02d}.md").write_text(text, encoding="utf-8")
    return folders


def generate_checklists(project: Path, count: int, seed: int = 2) -> None:
    """Write `count` checklists of 8 to 18 items (every fifth one legal)."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        front = "---\nrechtlich: true\n---\n\n" if number % 5 == 0 else ""
        items = "".join(f"    - [ ] {sentence(rng)}\n" for _ in range(rng.randint(8, 18)))
        title = f"Testcheckliste {number}: " + " ".join(rng.choices(WORDS[:60], k=2))
        (project / "docs" / "checklisten" / f"test-{number:03d}.md").write_text(
            f'{front}!!! checkliste "{title}"\n\n{items}', encoding="utf-8")


def bench_pdfs(tmp: Path, count: int) -> None:
    """Build a site with `count` extra checklists with an empty and a full PDF cache."""
    project = copy_sources(tmp / "pdf")
    generate_checklists(project, count)
    config, out = project / "mkdocs.yml", tmp / "out-pdf"
    build(config, out, strict=True)  # warm-up: both caches filled
    shutil.rmtree(project / ".cache" / "checklist-pdfs")
    cold, cold_cpu = build(config, out, strict=True)
    warm, warm_cpu = build(config, out, strict=True)
    pdfs = len(list((out / "checklisten").glob("*/*.pdf")))
    # The same site without the PDF hook: what the PDFs cost a build with a full cache.
    without = project / "mkdocs-ohne-pdf.yml"
    entry = entry_without(project, "ohne_pdf", "kn.publish.checklist_pdf", ("on_files", "on_env", "on_page_context", "on_post_build"))
    without.write_text(config.read_text(encoding="utf-8").replace("  - hooks/main.py\n", entry), encoding="utf-8")
    _plain, plain_cpu = build(without, tmp / "out-pdf-ohne", strict=True)
    print(f"Checklisten-PDFs ({pdfs} Checklisten, davon {count} erzeugte): leerer Zwischenspeicher {cold:.2f} s "
          f"(CPU {cold_cpu:.2f} s), gefüllter {warm:.2f} s (CPU {warm_cpu:.2f} s); "
          f"je PDF {(cold_cpu - warm_cpu) / pdfs * 1000:.0f} ms CPU-Zeit; ohne den PDF-Hook CPU {plain_cpu:.2f} s "
          f"(mit gefülltem Zwischenspeicher kosten die PDFs {warm_cpu - plain_cpu:+.2f} s)")


# The plain build's only code of ours: what our templates need to render at all
# (an empty view per page, our Jinja filters, the globals with neutral values).
PLAIN_ENTRY = """from kn import registry, view


def on_page_markdown(markdown, *, page, config, files):
    return view.on_page_markdown(markdown, page=page, config=config, files=files)


def on_env(env, *, config, files):
    registry.install_filters(env)
    env.globals.update(kn_stand="", kn_checklist_pdfs=[], kn_consent_storage="", kn_consent_cookies="")
    return env
"""


def plain_config(project: Path) -> Path:
    """mkdocs.yml without our build and our Markdown extensions (only an empty
    page view for the templates),
    with the navigation the hooks would derive written out, so that both builds
    have the same small navigation."""
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = False
        if line.strip().startswith("- kn."):  # our Markdown extensions are our code too
            continue
        kept.append(line)
    docs = project / "docs"
    series = sorted(p.parent.name for p in docs.glob("*/index.md") if p.parent.name not in RESERVED)
    nav = ["index.md", *(f"{name}/index.md" for name in series), "checklisten/index.md", "tags/index.md"]
    # Our templates read each page's view (page.meta.kn, hooks/kn/view.py): the
    # plain build attaches an empty one and does nothing else of ours.
    (project / "hooks" / "nur_ansicht.py").write_text(PLAIN_ENTRY, encoding="utf-8")
    kept += ["hooks:", "  - hooks/nur_ansicht.py"]
    kept.append("nav:")
    kept.extend(f"  - {uri}" for uri in nav)
    # The checklist include lines are pymdownx.snippets syntax: the plain build
    # includes the same checklists, so both render the same amount of Markdown.
    if not any(line.strip().startswith("- pymdownx.snippets") for line in kept):  # mkdocs.yml lists it today
        index = kept.index("markdown_extensions:")
        kept[index + 1:index + 1] = ["  - pymdownx.snippets:", "      base_path: [docs]"]
    # The site's search is our code (Pagefind, hooks/kn/publish/search.py); a
    # plain Material site searches with Material's plugin, as this site did
    # when the target of 1.15 was measured (November 2026): the plain build
    # has that plugin, so both builds make a search index.
    config = project / "mkdocs-ohne-hooks.yml"
    config.write_text(with_material_search("\n".join(kept) + "\n"), encoding="utf-8")
    return config


# -----------------------------------------------------------------------------
# Building and measuring
# -----------------------------------------------------------------------------


def build(config: Path, out: Path, *, strict: bool) -> tuple[float, float]:
    """Run `mkdocs build` in a fresh process; return its wall-clock and CPU seconds
    (user + system: less disturbed by other work on the machine)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    if strict:
        args.append("--strict")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    result = subprocess.run(args, cwd=config.parent, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"Build mit {config.name} fehlgeschlagen:\n{result.stdout}{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# -----------------------------------------------------------------------------
# Search: Pagefind beside Material's search
# -----------------------------------------------------------------------------


def with_material_search(config_text: str) -> str:
    """mkdocs.yml's text with Material's search plugin in place of `plugins: []`."""
    assert "plugins: []\n" in config_text, "mkdocs.yml: 'plugins: []' not found"
    return config_text.replace("plugins: []\n", MATERIAL_SEARCH)


def material_search_project(project: Path, target: Path) -> Path:
    """A copy of `project` that searches with Material's plugin and templates:
    no hooks/kn/publish/search.py, no kn-search.js, no overrides of search and header."""
    shutil.copytree(project, target, ignore=shutil.ignore_patterns("site"))
    config = target / "mkdocs.yml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if line.strip() != "- assets/kn-search.js"]
    entry = entry_without(target, "ohne_suche", "kn.publish.search", ("on_page_context", "on_post_build"))
    text = ("\n".join(lines) + "\n").replace("  - hooks/main.py\n", entry)
    config.write_text(with_material_search(text), encoding="utf-8")
    for partial in ("search.html", "header.html"):
        (target / "overrides" / "partials" / partial).unlink(missing_ok=True)
    return config


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure_search(site_dir: Path, *, result_selector: str, data_path: str) -> dict[str, float]:
    """Two visits of SEARCH_PAGE in Chromium, each with an empty cache. First a
    page view without typing: the bytes (as transferred) of requests under
    `data_path` once the page is idle. Then SEARCH_QUERY typed into the
    header's field as soon as the page has loaded: the seconds from the first
    and from the last keystroke to the first result, and the bytes under
    `data_path` in all."""
    from playwright.sync_api import sync_playwright

    server, base = serve(site_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS))

            def visit():
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                finished: list = []
                page.on("requestfinished", lambda request: finished.append(request))
                page.goto(base + SEARCH_PAGE, wait_until="load")
                return context, page, lambda: sum(r.sizes()["responseBodySize"] for r in finished if data_path in r.url)

            context, page, fetched = visit()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            before = fetched()
            context.close()

            from_first: list[float] = []
            from_last: list[float] = []
            totals: list[int] = []
            for _ in range(SEARCH_RUNS):
                context, page, fetched = visit()
                page.locator("input.md-search__input").click()
                first = time.perf_counter()
                page.keyboard.type(SEARCH_QUERY[0])
                page.keyboard.type(SEARCH_QUERY[1:], delay=30)
                last = time.perf_counter()
                page.locator(result_selector).first.wait_for(timeout=120_000)
                shown = time.perf_counter()
                page.wait_for_load_state("networkidle")
                totals.append(fetched())
                from_first.append(shown - first)
                from_last.append(shown - last)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return {"from_first": statistics.median(from_first), "from_last": statistics.median(from_last),
            "before": before, "total": statistics.median(totals), "most": max(totals)}


def search_report(large: Path, pagefind_site: Path, tmp: Path) -> None:
    """Print the search figures of the large site, Pagefind beside Material's search."""
    if not (tmp / "out-material" / "search").is_dir():  # kept from an earlier run (--keep, --ordner)
        material_config = material_search_project(large, tmp / "material-suche")
        build(material_config, tmp / "out-material", strict=False)
    index_kb = {
        "Pagefind": folder_size(pagefind_site / "pagefind") / 1024,
        "Material": (tmp / "out-material" / "search" / "search_index.json").stat().st_size / 1024,
    }
    figures = {
        "Pagefind": measure_search(pagefind_site, result_selector="a.md-search-result__link", data_path="/pagefind/"),
        "Material": measure_search(tmp / "out-material", result_selector=".md-search-result__item",
                                   data_path="/search/"),
    }
    pf, mat = figures["Pagefind"], figures["Material"]
    load = os.getloadavg()[0]
    print(f"Suche (Anfrage „{SEARCH_QUERY}“ auf /{SEARCH_PAGE}, Chromium, 127.0.0.1, "
          f"Median aus {SEARCH_RUNS} Besuchen, Systemlast {load:.1f}):")
    print(f"  {'':34}{'Pagefind':>14}{'Material (lunr)':>18}")
    print(f"  {'Index gesamt':34}{index_kb['Pagefind']:>11.0f} KB{index_kb['Material']:>15.0f} KB")
    print(f"  {'geladen vor dem Tippen':34}{pf['before'] / 1024:>11.1f} KB{mat['before'] / 1024:>15.1f} KB")
    print(f"  {'geladen für eine Anfrage (gesamt)':34}{pf['total'] / 1024:>11.1f} KB{mat['total'] / 1024:>15.1f} KB"
          f"   (Ziel Pagefind ≤ {SEARCH_MAX_KB} KB)")
    print(f"  {'  höchstens (langsam getippt)':34}{pf['most'] / 1024:>11.1f} KB{mat['most'] / 1024:>15.1f} KB")
    print(f"  {'erste Taste bis zum ersten Treffer':34}{pf['from_first']:>12.2f} s{mat['from_first']:>16.2f} s")
    print(f"  {'letzte Taste bis zum ersten Treffer':34}{pf['from_last']:>12.2f} s{mat['from_last']:>16.2f} s"
          f"   (Ziel Pagefind < {SEARCH_MAX_SECONDS:.1f} s)")
    print(f"  Verhältnis Pagefind/Material: geladene Bytes {pf['total'] / max(mat['total'], 1):.3f}, "
          f"Zeit ab der ersten Taste {pf['from_first'] / max(mat['from_first'], 1e-9):.3f}")


def machine() -> str:
    model = "unbekannte CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU-Kerne (nproc), {model}, Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="Zahl der erzeugten Artikel (Standard 1000)")
    parser.add_argument("--runs", type=int, default=3, help="Läufe je Variante (Standard 3)")
    parser.add_argument("--checklisten", type=int, default=50,
                        help="Zahl der Checklisten für die Messung der PDFs (Standard 50, 0: keine)")
    parser.add_argument("--keep", action="store_true", help="temporären Ordner behalten")
    parser.add_argument("--nur-suche", action="store_true", help="nur die Suche messen (ohne die Bauzeiten)")
    parser.add_argument("--ordner", type=Path, help="mit --nur-suche: einen mit --keep behaltenen Ordner wiederverwenden")
    args = parser.parse_args()

    if args.ordner and args.nur_suche:
        search_report(args.ordner / "gross", args.ordner / "out-hooks", args.ordner)
        return
    tmp = Path(tempfile.mkdtemp(prefix="kn-bench-"))
    try:
        if args.nur_suche:
            large = copy_sources(tmp / "gross")
            generate(large, args.articles)
            build(large / "mkdocs.yml", tmp / "out-hooks", strict=True)
            search_report(large, tmp / "out-hooks", tmp)
            return
        normal = copy_sources(tmp / "normal")
        build(normal / "mkdocs.yml", tmp / "out-normal", strict=True)
        normal_size = (tmp / "out-normal" / SAMPLE_PAGE).stat().st_size

        large = copy_sources(tmp / "gross")
        folders = generate(large, args.articles)
        with_hooks, without = large / "mkdocs.yml", plain_config(large)
        print(f"{args.articles} Artikel in {len(folders)} Reihen erzeugt; {args.runs} Läufe je Variante ({machine()}).")

        # Warm-up (file cache, bytecode), not measured.
        build(with_hooks, tmp / "out-hooks", strict=True)
        build(without, tmp / "out-plain", strict=False)
        wall: dict[str, list[float]] = {"hooks": [], "plain": []}
        cpu: dict[str, list[float]] = {"hooks": [], "plain": []}
        for run in range(args.runs):
            for name, config, strict in (("hooks", with_hooks, True), ("plain", without, False)):
                seconds, cpu_seconds = build(config, tmp / f"out-{name}", strict=strict)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
            print(f"  Lauf {run + 1}: mit Hooks {wall['hooks'][-1]:.2f} s (CPU {cpu['hooks'][-1]:.2f} s), "
                  f"ohne Hooks {wall['plain'][-1]:.2f} s (CPU {cpu['plain'][-1]:.2f} s)")

        for label, values in (("Zeit", wall), ("CPU-Zeit", cpu)):
            hooks, plain = statistics.median(values["hooks"]), statistics.median(values["plain"])
            print(f"{label} (Median): mit Hooks {hooks:.2f} s, ohne Hooks {plain:.2f} s, "
                  f"Verhältnis {hooks / plain:.3f} (Ziel ≤ 1,15)")
        pages = {name: sum(1 for _ in (tmp / f"out-{name}").rglob("index.html")) for name in ("hooks", "plain")}
        print(f"Seiten: mit Hooks {pages['hooks']} (mit den erzeugten: weitere Seiten der Listen, Themen, Archiv), "
              f"ohne Hooks {pages['plain']}")
        # One article changed (as after an author's pull request): its page and the
        # lists that show it are new, so the search index is made anew (Pagefind).
        changed = large / "docs" / folders[-1] / "artikel-01.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "\nEin neuer Absatz zum Schluss.\n", encoding="utf-8")
        edited, edited_cpu = build(with_hooks, tmp / "out-hooks", strict=True)
        print(f"Ein Artikel geändert (Suchindex neu gemacht, Pagefind auf dem zweiten Kern): {edited:.2f} s "
              f"(CPU {edited_cpu:.2f} s, Verhältnis {edited / statistics.median(wall['plain']):.2f} zum Build ohne Hooks)")
        shutil.rmtree(large / ".cache" / "social-images", ignore_errors=True)
        cold, cold_cpu = build(with_hooks, tmp / "out-hooks", strict=True)
        print(f"Kalter Zwischenspeicher (alle {len(list((tmp / 'out-hooks' / 'assets' / 'vorschau').rglob('*.png')))} "
              f"Vorschaubilder neu gezeichnet): {cold:.2f} s (CPU {cold_cpu:.2f} s, "
              f"Verhältnis {cold / statistics.median(wall['plain']):.2f} zum Build ohne Hooks)")
        large_size = (tmp / "out-hooks" / SAMPLE_PAGE).stat().st_size
        synthetic = (tmp / "out-hooks" / folders[0] / "artikel-01" / "index.html").stat().st_size
        print(f"Artikelseite {SAMPLE_PAGE}:")
        print(f"  normale Website:      {normal_size / 1024:.1f} KB")
        print(f"  mit {args.articles} Artikeln:    {large_size / 1024:.1f} KB (Faktor {large_size / normal_size:.2f}, Ziel ≤ 1,5)")
        print(f"  erzeugter Artikel:    {synthetic / 1024:.1f} KB")
        if args.checklisten:
            bench_pdfs(tmp, args.checklisten)
        search_report(large, tmp / "out-hooks", tmp)
    finally:
        if args.keep:
            print(f"Ordner behalten: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
