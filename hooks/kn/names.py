"""Every folder and file name of the site, in one place: the build, the
importer (tools/importer), the scaffold (tools/new_article.py), the PR summary,
`make pruefen` and the comment archive all take them from here.

Imports nothing: every module may use it. Names under docs/ are relative to
docs/; names under data/ and .cache/ relative to the repository.
"""

from __future__ import annotations

# -----------------------------------------------------------------------------
# docs/: folders directly under docs/ that are no series
# -----------------------------------------------------------------------------

CHECKLISTS = "checklisten"  # docs/checklisten/<name>.md, one page and PDF each
TAGS = "tags"  # generated tag pages /tags/<slug>/
PAGES = "seite"  # later pages of a listing: /seite/2/, /tags/<slug>/seite/2/
ARCHIVE = "archiv"  # the archive by year, /archiv/ (generated archiv.md)
ASSETS = "assets"  # our styles, scripts and preview images
JAVASCRIPTS = "javascripts"
STYLESHEETS = "stylesheets"
IMAGES = "bilder"  # pictures of the pages (and of imported posts: docs/<reihe>/bilder/)
STYLESHEET = f"{ASSETS}/kn.css"  # the one stylesheet (also read by the PDFs and preview images)
PREVIEW_IMAGES = f"{ASSETS}/vorschau"  # the preview images, written by the build

# Folders of generated pages, and folders that hold files, never pages.
PAGE_FOLDERS = (CHECKLISTS, TAGS, PAGES, ARCHIVE)
FILE_FOLDERS = (ASSETS, JAVASCRIPTS, STYLESHEETS, IMAGES)
# No series may be called so (the build, `make artikel` and `make import`).
RESERVED = frozenset(PAGE_FOLDERS + FILE_FOLDERS)

# The one sub-folder of a series: its pages that are no articles
# (imported WordPress pages), docs/<reihe>/seiten/<name>.md.
SERIES_PAGES = "seiten"

# -----------------------------------------------------------------------------
# data/: never published raw
# -----------------------------------------------------------------------------

DATA = "data"
TAGS_FILE = "data/tags.yml"
AUTHORS_FILE = "data/authors.yml"
REDIRECTS_FILE = "data/redirects.yml"
DATA_FILES = (TAGS_FILE, AUTHORS_FILE, REDIRECTS_FILE)
COMMENTS_DIR = "data/comments"  # data/comments/<reihe>/<artikel>.yml
FONTS_DIR = "data/fonts"

# -----------------------------------------------------------------------------
# .cache/: git-ignored, kept between builds
# -----------------------------------------------------------------------------

CACHE = ".cache"
PDF_CACHE = ".cache/checklist-pdfs"
SOCIAL_CACHE = ".cache/social-images"
ISSO_CACHE = ".cache/isso"
SEARCH_CACHE = ".cache/search"  # the last build's search index (hooks/kn/publish/search.py)
TEMPLATE_CACHE = ".cache/templates"  # compiled Jinja templates (hooks/kn/render/templates.py)
