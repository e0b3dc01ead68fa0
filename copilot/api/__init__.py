"""The HTTP face of Review Copilot: `create_app(services)` builds the FastAPI app."""

from copilot.api.app import create_app

__all__ = ["create_app"]
