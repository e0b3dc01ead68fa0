"""Renderers for archived reviews: a verifiable JSON bundle, Markdown, PDF, and ICS calendars of action items."""
