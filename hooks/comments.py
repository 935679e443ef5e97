"""Comments: filled in by the comments issue."""
