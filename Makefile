# Kooperation & Netzwerke: one venv, made from requirements.txt, for every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build bench audit artikel import bench-import bench-hostile bench-serve deploy clean

# (Re)create the venv when it is missing or requirements.txt is newer than it.
$(STAMP): requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Rebuilds on edits to docs/, mkdocs.yml, data/, overrides/ and hooks/ (hooks/devserver.py).
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

build: $(STAMP)
	$(BIN)/mkdocs build --strict

audit: $(STAMP)
	$(BIN)/python -m tools.audit

bench: $(STAMP)
	$(BIN)/python -m tools.benchmark

artikel: $(STAMP)
	@test -n "$(TITEL)" || { echo 'Bitte einen Titel angeben: make artikel TITEL="Mein Titel" SERIE="Name der Reihe"' >&2; exit 2; }
	@$(BIN)/python -m tools.new_article "$(TITEL)" --serie "$(SERIE)" $(if $(NEU),--neue-reihe)

# Import a blog: make import QUELLE=export.xml [SERIE=ordner] [MEDIEN=uploads] [ERSETZEN=1] [OPTIONEN=…]
import: $(STAMP)
	@test -n "$(QUELLE)" || { echo 'Bitte eine Quelle angeben: make import QUELLE=<WXR-Datei oder Ordner> [SERIE=<ordner>] [MEDIEN=<ordner>] [ERSETZEN=1]' >&2; exit 2; }
	@$(BIN)/python -m tools.importer "$(QUELLE)" $(if $(SERIE),--serie "$(SERIE)") $(if $(MEDIEN),--medien "$(MEDIEN)") $(if $(ERSETZEN),--ersetzen) $(OPTIONEN)

bench-import: $(STAMP)
	$(BIN)/python -m tools.bench_import

bench-hostile: $(STAMP)
	$(BIN)/python -m tools.bench_hostile

# Seconds from saving a file to the changed page under `make serve` (site + 1000 articles).
bench-serve: $(STAMP)
	$(BIN)/python -m tools.bench_serve --articles 0
	$(BIN)/python -m tools.bench_serve --articles 1000

# Build strictly and publish on the gh-pages branch (GitHub Pages "Deploy from a branch"),
# for repositories that do not use .github/workflows/deploy.yml. Other web servers: deploy/.
deploy: $(STAMP)
	$(BIN)/mkdocs gh-deploy --strict --no-history --message "Website gebaut aus {sha} (mkdocs {version})"

clean:
	rm -rf site $(VENV)
