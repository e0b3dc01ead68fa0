"""Login, refresh, logout, lock-out, API tokens and user administration over real HTTP semantics."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from copilot.services import Services
from copilot.storage.auth_models import ApiTokenRow, AuthSessionRow
from tests.api.world import PASSWORD, World


def test_login_gives_working_access_and_refresh_tokens(client: TestClient, world: World) -> None:
    resp = client.post("/auth/login", json={"email": "E1@example.test", "password": PASSWORD})
    assert resp.status_code == 200
    tokens = resp.json()
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.json()["id"] == world.ids["e1"] and me.json()["role"] == "employee"
    refreshed = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json()
    assert refreshed["access_token"] != tokens["access_token"]
    # rotation: the old access and refresh tokens are dead, the new ones work
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).status_code == 401
    assert client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {refreshed['access_token']}"}).status_code == 200


def test_wrong_password_is_401_problem_json(client: TestClient, world: World) -> None:
    resp = client.post("/auth/login", json={"email": world.emails["e1"], "password": "nope-nope-nope"})
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == 401 and body["request_id"] == resp.headers["x-request-id"]
    assert client.get("/auth/me").status_code == 401


def test_lockout_after_repeated_failures_even_with_right_password(client: TestClient, world: World) -> None:
    email = world.emails["e2"]
    for _ in range(5):
        assert client.post("/auth/login", json={"email": email, "password": "wrong-password!"}).status_code == 401
    assert client.post("/auth/login", json={"email": email, "password": PASSWORD}).status_code == 429
    # other accounts are unaffected
    assert client.post("/auth/login", json={"email": world.emails["e1"], "password": PASSWORD}).status_code == 200


def test_logout_revokes_access_and_refresh(client: TestClient, world: World) -> None:
    tokens = client.post("/auth/login", json={"email": world.emails["m1"], "password": PASSWORD}).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/auth/logout", headers=auth).status_code == 204
    assert client.get("/auth/me", headers=auth).status_code == 401
    assert client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_disabling_a_user_revokes_sessions_and_api_tokens(client: TestClient, world: World) -> None:
    token = client.post("/auth/tokens", headers=world.headers("spare"), json={"name": "sync", "scopes": ["read"]})
    secret = token.json()["secret"]
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    resp = client.post(f"/users/{world.ids['spare']}/disable", headers=world.headers("admin"))
    assert resp.status_code == 200 and resp.json()["active"] is False
    assert client.get("/auth/me", headers=world.headers("spare")).status_code == 401
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    login_again = client.post("/auth/login", json={"email": world.emails["spare"], "password": PASSWORD})
    assert login_again.status_code == 401


def test_api_token_scopes_and_revocation(client: TestClient, world: World, api_services: Services) -> None:
    created = client.post(
        "/auth/tokens", headers=world.headers("m1"), json={"name": "HRIS", "scopes": ["read"], "expires_in_days": 30}
    )
    assert created.status_code == 201
    secret, token_id = created.json()["secret"], created.json()["token"]["id"]
    bearer = {"Authorization": f"Bearer {secret}"}
    review_id = world.reviews["r1"]
    assert client.get(f"/reviews/{review_id}", headers=bearer).status_code == 200
    # a read-only token cannot write, and says so (403, before any object is looked at)
    denied = client.post(f"/reviews/{review_id}/comments", headers=bearer, json={"field_path": "review", "body": "x"})
    assert denied.status_code == 403
    # the token's secret is stored only as a hash
    with api_services.db.session() as sess:
        stored = (
            sess.scalars(select(ApiTokenRow.token_hash)).all() + sess.scalars(select(AuthSessionRow.access_hash)).all()
        )
        assert secret not in stored and all(len(h) == 64 for h in stored)
    listed = client.get("/auth/tokens", headers=world.headers("m1")).json()
    assert [t["id"] for t in listed] == [token_id] and "secret" not in listed[0]
    # another user cannot revoke it (404), the owner can
    assert client.delete(f"/auth/tokens/{token_id}", headers=world.headers("m2")).status_code == 404
    assert client.delete(f"/auth/tokens/{token_id}", headers=world.headers("m1")).status_code == 204
    assert client.get(f"/reviews/{review_id}", headers=bearer).status_code == 401


def test_admin_manages_users_others_get_404(client: TestClient, world: World) -> None:
    body = {
        "name": "New Hire",
        "email": "new@example.test",
        "role": "employee",
        "manager_id": world.ids["m1"],
        "password": "a-long-enough-password",
    }
    assert client.post("/users", headers=world.headers("hr"), json=body).status_code == 404
    created = client.post("/users", headers=world.headers("admin"), json=body)
    assert created.status_code == 201 and created.json()["manager_id"] == world.ids["m1"]
    assert client.post("/users", headers=world.headers("admin"), json=body).status_code == 422  # duplicate email
    users = client.get("/users", headers=world.headers("admin")).json()
    assert "new@example.test" in {u["email"] for u in users}
    assert all("password" not in str(u.keys()) for u in users)
    resp = client.post("/auth/login", json={"email": "new@example.test", "password": "a-long-enough-password"})
    assert resp.status_code == 200


def test_password_change_ends_sessions(client: TestClient, world: World) -> None:
    new = "another-long-password"
    resp = client.put(f"/users/{world.ids['e1']}/password", headers=world.headers("e1"), json={"password": new})
    assert resp.status_code == 204
    assert client.get("/auth/me", headers=world.headers("e1")).status_code == 401
    relogin = client.post("/auth/login", json={"email": world.emails["e1"], "password": new})
    assert relogin.status_code == 200
    fresh = {"Authorization": f"Bearer {relogin.json()['access_token']}"}
    # someone else's password: not yours → 404, and their sessions live on
    assert client.put(f"/users/{world.ids['e2']}/password", headers=fresh, json={"password": new}).status_code == 404
    assert client.get("/auth/me", headers=world.headers("e2")).status_code == 200


def test_health_readiness_and_request_ids(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    minted = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert minted != "bad id with spaces" and len(minted) == 32


def test_unexpected_errors_are_500_problems_with_request_id_and_no_message_in_logs(
    api_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    from copilot.api import create_app

    app = create_app(api_services)

    @app.get("/boom")
    def boom() -> None:
        user_data = "secret " + "transcript words"  # the log shows code lines, never the values in them
        raise RuntimeError(user_data)

    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.get("/boom", headers={"X-Request-ID": "req-1"})
    assert resp.status_code == 500 and resp.headers["x-request-id"] == "req-1"
    assert resp.json()["request_id"] == "req-1" and "secret" not in resp.text
    from copilot.api.logs import JsonFormatter

    formatted = [JsonFormatter().format(r) for r in caplog.records if r.name == "copilot.api"]
    assert formatted and "RuntimeError" in formatted[0] and "secret transcript words" not in "".join(formatted)
