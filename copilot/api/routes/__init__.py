"""Route modules, one per resource; `ROUTERS` is what the app factory mounts."""

from copilot.api.routes import audit, auth, health, recordings, reviews, users

ROUTERS = [health.router, auth.router, users.router, reviews.router, recordings.router, audit.router]
