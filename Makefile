# Kooperation & Netzwerke: one venv, made from requirements.lock (every package pinned with its
# hashes, generated from the direct pins in requirements.txt by `make lock`), for every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
export NO_MKDOCS_2_WARNING := 1
# Python keeps its compiled files (__pycache__/, ignored by git) even where the
# environment says not to (PYTHONDONTWRITEBYTECODE): pytest then keeps the test
# modules with their rewritten asserts instead of rewriting them in every worker
# of every run, and the copies of the test site take the compiled hooks along.
export PYTHONDONTWRITEBYTECODE :=
# Comments: Isso's own venv (see `kommentare` below).
ISSO_VENV := .venv-isso
ISSO_STAMP := $(ISSO_VENV)/.requirements-installed
ISSO_PORT ?= 8010

.PHONY: lock serve test test-schnell pruefen build bench audit artikel import bench-import bench-hostile bench-serve deploy clean kommentare kommentare-archivieren

# (Re)create the venv when it is missing or the lock file is newer than it.
$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	# The build code `kn` (hooks/kn/) as an editable package: tools/ import it by its one name.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Rebuilds on edits to docs/, mkdocs.yml, data/, overrides/ and hooks/ (hooks/devserver.py).
serve: $(STAMP)
	KN_ISSO_URL=$${KN_ISSO_URL:-http://127.0.0.1:$(ISSO_PORT)/} $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

# Both layers run, and either failing fails: the content check of the site
# (make pruefen: „Ihr Artikel“) and the product tests (pytest: „der Code der Website“).
# The content check runs beside pytest's start (its report follows pytest's).
# Test files longest first, as measured in the last run (tests/conftest.py), one file per worker at a time.
# The tests' folders (about 600 MB) go to a new folder of their own, which is
# removed in the background after a passing run and kept after a failing one:
# pytest's own cleanup deletes an older run's folders at the end of every run,
# about 5 s in which no test runs.
test: $(STAMP) $(ISSO_STAMP)
	$(BIN)/ruff check .
	@status=0; report=$$(mktemp); scratch=$$(mktemp -d -t kn-tests-XXXXXX); \
	$(BIN)/python -m tools.pruefen > $$report 2>&1 & pruefen=$$!; \
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder --basetemp=$$scratch/pytest || status=1; \
	wait $$pruefen || status=1; cat $$report; rm -f $$report; \
	if [ $$status -eq 0 ]; then (rm -rf $$scratch &); else echo "Die Ordner der Tests bleiben zum Nachsehen in $$scratch."; fi; \
	exit $$status

# The fast layer: pure functions only, no build, no browser (seconds).
test-schnell: $(STAMP)
	$(BIN)/pytest -m unit -q

# Content check of the site in docs/ and data/: strict build, links, other servers, spelling.
pruefen: $(STAMP)
	$(BIN)/python -m tools.pruefen

build: $(STAMP)
	$(BIN)/mkdocs build --strict

audit: $(STAMP)
	$(BIN)/python -m tools.audit

bench: $(STAMP)
	$(BIN)/python -m tools.benchmark

artikel: $(STAMP)
	@test -n "$(TITEL)" || { echo 'Bitte einen Titel angeben: make artikel TITEL="Mein Titel" SERIE="Name der Reihe"' >&2; exit 2; }
	@$(BIN)/python -m tools.new_article "$(TITEL)" --serie "$(SERIE)" $(if $(NEU),--neue-reihe)

# Import a blog: make import QUELLE=export.xml [SERIE=ordner] [MEDIEN=uploads] [MEDIEN_LADEN=1] [ERSETZEN=1] [OPTIONEN=…]
import: $(STAMP)
	@test -n "$(QUELLE)" || { echo 'Bitte eine Quelle angeben: make import QUELLE=<WXR-Datei oder Ordner> [SERIE=<ordner>] [MEDIEN=<ordner>] [MEDIEN_LADEN=1] [ERSETZEN=1]' >&2; exit 2; }
	@$(BIN)/python -m tools.importer "$(QUELLE)" $(if $(SERIE),--serie "$(SERIE)") $(if $(MEDIEN),--medien "$(MEDIEN)") $(if $(ERSETZEN),--ersetzen) $(if $(MEDIEN_LADEN),--bilder-laden) $(OPTIONEN)

bench-import: $(STAMP)
	$(BIN)/python -m tools.bench_import

bench-hostile: $(STAMP)
	$(BIN)/python -m tools.bench_hostile

# Comments (Isso): its own venv from requirements-isso.txt (misaka is compiled; the build needs none of it).
# `make kommentare` runs a real Isso on 127.0.0.1:$(ISSO_PORT) with its SQLite file in .cache/isso/;
# `make serve` points the open articles at it. Secrets only from the environment (README, „Kommentare“).

$(ISSO_STAMP): requirements-isso.lock
	rm -rf $(ISSO_VENV)
	$(PYTHON) -m venv $(ISSO_VENV)
	$(ISSO_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-isso.lock
	touch $(ISSO_STAMP)

kommentare: $(STAMP) $(ISSO_STAMP)
	$(BIN)/python -m tools.isso_server --port $(ISSO_PORT)

# Archive the approved comments of closed articles: make kommentare-archivieren [OPTIONEN=…]
kommentare-archivieren: $(STAMP)
	@$(BIN)/python -m tools.comments_archive $(OPTIONEN)

# Seconds from saving a file to the changed page under `make serve` (site + 1000 articles).
bench-serve: $(STAMP)
	$(BIN)/python -m tools.bench_serve --articles 0
	$(BIN)/python -m tools.bench_serve --articles 1000

# Build strictly and publish on the gh-pages branch (GitHub Pages "Deploy from a branch"),
# for repositories that do not use .github/workflows/deploy.yml. Other web servers: deploy/.
deploy: $(STAMP)
	$(BIN)/mkdocs gh-deploy --strict --no-history --message "Website gebaut aus {sha} (mkdocs {version})"

clean:
	rm -rf site $(VENV) $(ISSO_VENV)

# Regenerate both lock files after changing a pin in requirements.txt or requirements-isso.txt:
# pip-tools (in a throw-away venv) resolves every indirect package and records the hashes of
# all its files on PyPI. Commit requirements*.txt and requirements*.lock together.
LOCK_VENV := .cache/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	for name in requirements requirements-isso; do \
	  $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	    --no-emit-find-links --no-header -o $$name.lock $$name.txt || exit 1; \
	done
	rm -rf $(LOCK_VENV)

