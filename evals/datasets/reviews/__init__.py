"""Eval dataset files (JSON, one case per file); a package only so the files ship with the wheel."""
