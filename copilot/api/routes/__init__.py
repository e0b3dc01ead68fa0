"""Route modules, one per resource; `ROUTERS` is what the app factory mounts."""

from copilot.api.routes import audit, auth, health, kpis, lifecycle, recordings, reviews, users

# reviews first: its fixed paths (/reviews/search, /reviews/batch) must win over /reviews/{review_id}
ROUTERS = [
    health.router,
    auth.router,
    users.router,
    reviews.router,
    lifecycle.router,
    recordings.router,
    audit.router,
    kpis.router,
]
