"""Tag pages: filled in by the tags issue."""
