"""Command-line tools a person runs (article scaffold, importer, benchmarks, audit).

Run them from the repository root as `python -m tools.<name>`. They import the
hooks' helper modules (`text`, `schema`, …) like any library, so `hooks/` goes
on `sys.path` here, as MkDocs puts it there when it loads the hooks.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
