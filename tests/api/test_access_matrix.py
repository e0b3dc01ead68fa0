"""The access-control matrix: every role × every route × owned / not-owned objects.

Routes come from the app's own route table, so a new route with an unknown
path parameter, or a body this file has no example for, fails the test until
someone decides what its access rule is. Not-yours must answer exactly like
missing: 404, and no content.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from copilot.services import Services
from copilot.storage import repo
from tests.api.world import CANARY, MEETING, World, login, tiny_wav

PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/auth/login"), ("POST", "/auth/refresh")}
ROLES = ["admin", "hr", "auditor", "m1", "e1", "m2", "e2"]
# which review each role may see ('r1' is e1/m1's, 'r2' is e2/m2's) and one it may not
VISIBLE = {"e1": "r1", "m1": "r1", "e2": "r2", "m2": "r2", "hr": "r1", "auditor": "r1", "admin": None}
HIDDEN = {"e1": "r2", "m1": "r2", "e2": "r1", "m2": "r1", "hr": None, "auditor": None, "admin": "r1"}
# who may write what to their visible review (the rules of the issue, stated independently of the code)
PARTIES = {"e1", "m1", "e2", "m2"}
WRITERS: dict[tuple[str, str], set[str]] = {
    ("PUT", "/reviews/{review_id}"): PARTIES,
    ("POST", "/reviews/{review_id}/comments"): PARTIES,
    ("POST", "/reviews/{review_id}/responses"): {"e1", "e2"},
    ("POST", "/reviews/{review_id}/send"): {"m1", "m2"},
    ("GET", "/reviews/{review_id}/intent"): PARTIES,
    ("POST", "/reviews/{review_id}/sign"): PARTIES,
    ("POST", "/reviews/{review_id}/reopen"): {"m1", "m2", "hr"},
    ("PATCH", "/reviews/{review_id}/transcript/speakers"): PARTIES,
    ("PATCH", "/action-items/{item_id}"): PARTIES,
}
# routes with no object in the path, gated by role alone
ROLE_GATED: dict[tuple[str, str], set[str]] = {
    ("GET", "/users"): {"admin"},
    ("POST", "/users"): {"admin"},
    ("GET", "/reviews/search"): {"hr"},
    ("GET", "/audit/verify"): {"auditor", "hr"},
    ("POST", "/recordings"): {"m1"},  # recording e1, who reports to m1
    ("POST", "/kpis"): {"hr"},
}
OPEN_TO_ALL = {
    ("GET", "/auth/me"),
    ("POST", "/auth/logout"),
    ("GET", "/auth/tokens"),
    ("POST", "/auth/tokens"),
    ("GET", "/reviews"),
    ("POST", "/reviews/batch"),
    ("GET", "/action-items"),
}
# routes about a person: (role, target user) → allowed; 'spare' reports to m1
USER_RULES = {
    ("POST", "/users/{user_id}/disable"): lambda role, target: role == "admin",
    ("PUT", "/users/{user_id}/password"): lambda role, target: role == "admin" or role == target,
    ("GET", "/users/{user_id}/action-items.ics"): lambda role, target: (
        role in ("hr", target) or (role == "m1" and target in ("e1", "spare")) or (role == "m2" and target == "e2")
    ),
    ("GET", "/users/{user_id}/kpis"): lambda role, target: (
        role in ("hr", target) or (role == "m1" and target in ("e1", "spare")) or (role == "m2" and target == "e2")
    ),
}
JOB_VIEWERS = {"r1": {"m1", "hr"}, "r2": {"m2", "hr"}}  # each pair's job was queued by its manager


UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MISSING_ID = "00000000-0000-4000-8000-000000000000"


def blank(text: str) -> str:
    return UUID_RE.sub("<id>", text)


def api_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, from the schema FastAPI builds out of its route table."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


def body_for(method: str, path: str, world: World, draft: dict[str, Any]) -> dict[str, Any] | None:
    bodies: dict[tuple[str, str], dict[str, Any] | None] = {
        ("PUT", "/reviews/{review_id}"): {"draft": draft, "base_version": 1},
        ("POST", "/reviews/{review_id}/comments"): {"field_path": "review", "body": "ok"},
        ("POST", "/reviews/{review_id}/responses"): {"field_path": "action_items[0]", "decision": "agree"},
        ("POST", "/reviews/{review_id}/sign"): {"version": 1, "intent": "I sign."},
        ("POST", "/reviews/{review_id}/reopen"): {"reason": "typo"},
        ("PATCH", "/reviews/{review_id}/transcript/speakers"): {"mapping": {"speaker_0": "manager"}},
        ("PATCH", "/action-items/{item_id}"): {"status": "done"},
        ("POST", "/reviews/batch"): {"ids": [world.reviews["r1"], world.reviews["r2"]]},
        ("POST", "/users"): {"name": "X", "email": "x@example.test", "role": "employee", "password": "long-password-1"},
        ("PUT", "/users/{user_id}/password"): {"password": "long-password-2"},
        ("POST", "/auth/tokens"): {"name": "t", "scopes": ["read"]},
        ("POST", "/auth/logout"): None,
        ("POST", "/recordings"): None,  # the audio itself is the body, see request()
        ("POST", "/kpis"): {
            "rows": [
                {
                    "employee_id": world.ids["e1"],
                    "period": "2026-Q4",
                    "metric": "p95 (s)",
                    "target": 2.0,
                    "actual": 4.0,
                    "higher_is_better": False,
                }
            ]
        },
    }
    if (method, path) in bodies:
        return bodies[(method, path)]
    if method in ("GET", "DELETE") or path.endswith(("/send", "/disable", "/retry")):
        return None
    raise AssertionError(f"no example body for {method} {path}: add one and decide its access rule")


@pytest.fixture
def setup(client: TestClient, world: World, api_services: Services) -> dict[str, Any]:
    def item_of(pair: str) -> str:
        """The review's current first action item (an edit re-creates the items)."""
        with api_services.db.session() as sess:
            return repo.list_action_items(sess, review_id=world.reviews[pair])[0].id

    objects: dict[str, Any] = {"review": world.reviews, "item_of": item_of, "job": {}}
    with api_services.db.session() as sess:
        for name, mgr, emp in (("r1", "m1", "e1"), ("r2", "m2", "e2")):
            job = repo.add_job(
                sess, kind="record_meeting", payload={"manager_id": world.ids[mgr], "employee_id": world.ids[emp]}
            )
            objects["job"][name] = job.id
    draft = client.get(f"/reviews/{world.reviews['r1']}", headers=world.headers("m1")).json()["draft"]
    return {"objects": objects, "draft": draft}


def fill(
    path: str, world: World, objects: dict[str, Any], *, pair: str = "r1", user: str = "spare", token_id: str = "none"
) -> str:
    """Substitute path parameters: objects of review pair `pair` ('r1'/'r2'), user `user`, a token id."""
    out = path.replace("{review_id}", world.reviews[pair]).replace("{version}", "1")
    if "{item_id}" in out:
        out = out.replace("{item_id}", objects["item_of"](pair))
    out = out.replace("{job_id}", objects["job"][pair])
    out = out.replace("{user_id}", world.ids[user]).replace("{token_id}", token_id)
    if "{" in out:
        raise AssertionError(f"unknown path parameter in {path}: add it to the matrix")
    return out


def new_token(client: TestClient, world: World, owner: str) -> str:
    resp = client.post("/auth/tokens", headers=world.headers(owner), json={"name": "m", "scopes": ["read"]})
    return str(resp.json()["token"]["id"])


def request(client: TestClient, method: str, url: str, world: World, role: str, body: Any) -> Any:
    if url.startswith("/recordings"):
        return client.post(
            url, headers={**world.headers(role), "Content-Type": "application/octet-stream"}, content=tiny_wav()
        )
    return client.request(method, url, headers=world.headers(role), json=body)


def test_access_matrix(client: TestClient, world: World, setup: dict[str, Any]) -> None:
    objects, draft = setup["objects"], setup["draft"]
    routes = api_routes(client)
    checked = 0
    failures: list[str] = []

    def expect(ok: bool, what: str) -> None:
        nonlocal checked
        checked += 1
        if not ok:
            failures.append(what)

    # unauthenticated: everything but health and login answers 401
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        url = fill(path, world, objects)
        resp = client.request(method, url)
        expect(resp.status_code == 401, f"anonymous {method} {path} → {resp.status_code}")

    for role in ROLES:
        for method, path in routes:
            if (method, path) in PUBLIC or (method, path) == ("POST", "/auth/logout"):
                continue
            body = body_for(method, path, world, draft)
            label = f"{role} {method} {path}"
            if "{token_id}" in path:
                other = "e2" if role != "e2" else "e1"
                for owner, want in ((role, 204), (other, 404)):
                    url = fill(path, world, objects, token_id=new_token(client, world, owner))
                    resp = request(client, method, url, world, role, body)
                    expect(resp.status_code == want, f"{label} (token of {owner}) → {resp.status_code}")
                continue
            if "{user_id}" in path:
                targets = ["spare", role, "e1", "e2"]
                if role == "admin":  # the admin may act on anyone; only the spare account is sacrificed
                    targets = ["spare"] if path.endswith("/disable") else ["spare", "e1", "e2"]
                for target in targets:
                    url = fill(path, world, objects, user=target)
                    resp = request(client, method, url, world, role, body)
                    allowed = USER_RULES[(method, path)](role, target)
                    expect(
                        (resp.status_code < 300) == allowed and resp.status_code in (200, 204, 404),
                        f"{label} (user {target}) → {resp.status_code}",
                    )
                    if path.endswith("/password") and resp.status_code == 204 and target != "spare":
                        login_with(client, world, target, "long-password-2")
                continue
            if "{job_id}" in path:
                for which in ("r1", "r2"):
                    resp = request(client, method, fill(path, world, objects, pair=which), world, role, body)
                    visible = role in JOB_VIEWERS[which]
                    expect(
                        (resp.status_code != 404) == visible and resp.status_code < 500,
                        f"{label} ({which}) → {resp.status_code}",
                    )
                continue
            if "{review_id}" in path or "{item_id}" in path:
                hidden = HIDDEN[role]
                if hidden:
                    url = fill(path, world, objects, pair=hidden)
                    resp = request(client, method, url, world, role, body)
                    expect(
                        resp.status_code == 404 and CANARY not in resp.text, f"{label} (not owned) → {resp.status_code}"
                    )
                    # and word for word what a missing object gets, once ids are blanked out
                    missing = request(client, method, UUID_RE.sub(MISSING_ID, url), world, role, body)
                    expect(
                        missing.status_code == 404 and blank(resp.json()["detail"]) == blank(missing.json()["detail"]),
                        f"{label}: not-owned says {resp.json()['detail']!r}, missing says {missing.json()['detail']!r}",
                    )
                visible = VISIBLE[role]
                if visible:
                    resp = request(client, method, fill(path, world, objects, pair=visible), world, role, body)
                    may = role in WRITERS.get((method, path), set(ROLES))
                    ok = resp.status_code != 404 if may else resp.status_code == 404
                    expect(
                        ok and resp.status_code < 500 and resp.status_code not in (401, 403),
                        f"{label} (owned, may={may}) → {resp.status_code} {resp.text[:120]}",
                    )
                continue
            url = path
            if path == "/reviews/search":
                url += f"?q={CANARY}"
            if path == "/recordings":
                url += f"?employee_id={world.ids['e1']}&meeting_date={MEETING.isoformat()}"
            resp = request(client, method, url, world, role, body)
            if (method, path) in ROLE_GATED:
                allowed = role in ROLE_GATED[(method, path)]
                expect(
                    (resp.status_code < 300) == allowed and resp.status_code in (200, 201, 202, 404),
                    f"{label} → {resp.status_code}",
                )
            elif (method, path) in OPEN_TO_ALL:
                expect(resp.status_code < 300, f"{label} → {resp.status_code}")
                if path in ("/reviews", "/reviews/batch"):
                    data = resp.json()
                    got = {r["id"] for r in (data["reviews"] if path.endswith("batch") else data)}
                    allowed_ids = {
                        world.reviews[v] for v in ("r1", "r2") if v == VISIBLE[role] or (role in ("hr", "auditor"))
                    }
                    expect(got == allowed_ids, f"{label} returned {len(got)} reviews, expected {len(allowed_ids)}")
            else:
                raise AssertionError(f"{method} {path} has no access rule in the matrix: add one")

    # logout last for everyone: it ends the session it is called with
    for role in ROLES:
        resp = client.post("/auth/logout", headers=world.headers(role))
        expect(resp.status_code == 204, f"{role} logout → {resp.status_code}")
        expect(client.get("/auth/me", headers=world.headers(role)).status_code == 401, f"{role} still in after logout")

    assert not failures, "\n".join(failures)
    assert checked > 250, checked  # every role saw every route; the number goes in the API notes
    print(f"access matrix: {len(routes)} routes, {len(ROLES)} roles, {checked} checks")  # noqa: T201


def login_with(client: TestClient, world: World, role: str, password: str) -> None:
    resp = client.post("/auth/login", json={"email": world.emails[role], "password": password})
    assert resp.status_code == 200, resp.text
    world.tokens[role] = resp.json()["access_token"]


def test_batch_with_mixed_ids_returns_only_yours(client: TestClient, world: World) -> None:
    ids = [world.reviews["r1"], world.reviews["r2"], "00000000-0000-0000-0000-000000000000"]
    resp = client.post("/reviews/batch", headers=world.headers("e1"), json={"ids": ids})
    assert resp.status_code == 200
    assert [r["id"] for r in resp.json()["reviews"]] == [world.reviews["r1"]]
    assert resp.json()["not_found"] == ids[1:]  # forbidden and missing look the same
    hr = client.post("/reviews/batch", headers=world.headers("hr"), json={"ids": ids}).json()
    assert [r["id"] for r in hr["reviews"]] == ids[:2] and hr["not_found"] == ids[2:]


@pytest.mark.parametrize("api_backend", ["sqlite", "postgresql"], indirect=True)
def test_search_is_for_hr_only(client: TestClient, world: World, api_services: Services) -> None:
    found = client.get("/reviews/search", params={"q": "send the plan"}, headers=world.headers("hr"))
    assert found.status_code == 200 and len(found.json()) == 2
    # non-ASCII text is found too (the JSON column stores it escaped)
    review = client.get(f"/reviews/{world.reviews['r1']}", headers=world.headers("e1"))
    draft = review.json()["draft"]
    draft["summary"].append({"text": '延迟计划 "quoted"', "evidence": [], "flags": []})
    saved = client.put(
        f"/reviews/{world.reviews['r1']}",
        headers={**world.headers("e1"), "If-Match": review.headers["etag"]},
        json={"draft": draft},
    )
    assert saved.status_code == 200, saved.text
    for query in ("延迟计划", '"quoted"'):
        hits = client.get("/reviews/search", params={"q": query}, headers=world.headers("hr")).json()
        assert [r["id"] for r in hits] == [world.reviews["r1"]], query
    for role in ("e1", "m1", "auditor", "admin"):
        assert client.get("/reviews/search", params={"q": "plan"}, headers=world.headers(role)).status_code == 404


def test_transitive_managers_setting(tmp_path: Any) -> None:
    """With manager_sees_all_reports, a skip-level manager sees the review; without it, 404."""
    from copilot.api import create_app
    from copilot.services import build_services
    from copilot.settings import Settings
    from tests.api.world import build_world

    for transitive, expected in ((False, 404), (True, 200)):
        services = build_services(Settings(home=tmp_path / f"h{transitive}", manager_sees_all_reports=transitive))
        with TestClient(create_app(services)) as client:
            world = build_world(services, client)
            with services.db.session() as sess:  # m2 becomes m1's manager: a skip-level manager of e1
                repo.get_user(sess, user_id=world.ids["m1"]).manager_id = world.ids["m2"]
            resp = client.get(f"/reviews/{world.reviews['r1']}", headers=world.headers("m2"))
            assert resp.status_code == expected
        services.db.dispose()


def test_denials_are_logged_without_content(client: TestClient, world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING", logger="copilot.access")
    assert client.get(f"/reviews/{world.reviews['r2']}", headers=world.headers("e1")).status_code == 404
    denied = [r for r in caplog.records if getattr(r, "event", None) == "access.denied"]
    assert denied and denied[-1].object_id == world.reviews["r2"] and denied[-1].actor_id == world.ids["e1"]
    assert CANARY not in caplog.text


_ = login
