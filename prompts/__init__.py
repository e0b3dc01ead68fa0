"""Versioned prompt files (`v1/`, ...) and review templates (`templates/`); see `prompts.loader`."""
