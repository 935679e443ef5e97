"""Reader features: filled in by the reader-features issue."""
