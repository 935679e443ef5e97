"""Command-line tools a person runs (article scaffold, importer, benchmarks, audit).

Run them from the repository root as `python -m tools.<name>`. They import the
build code, the package `kn` (hooks/kn/), which the Makefile installs into the
venv (`pip install -e .`, see pyproject.toml).
"""
