"""Data the screens show, read and shaped without Textual: story sources, the first screen."""
