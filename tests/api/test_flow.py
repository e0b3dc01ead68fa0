"""The whole review over HTTP (fake speech and LLM): upload → job → draft → edit → respond → sign both → track.

The same run is the log-canary test: JSON logs of everything at DEBUG must hold
no transcript text, password or token.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from copilot.api.logs import configure_logging
from copilot.services import Services
from tests.api.world import CANARY, MEETING, PASSWORD, World, tiny_wav


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    buf = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging("DEBUG", buf)
    try:
        yield buf
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def wait_for_job(client: TestClient, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(200):
        job = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def upload(client: TestClient, world: World, who: str, data: bytes, employee: str = "e1", **params: str) -> Any:
    return client.post(
        "/recordings",
        params={"employee_id": world.ids[employee], "meeting_date": MEETING.isoformat(), **params},
        headers={**world.headers(who), "Content-Type": "application/octet-stream"},
        content=data,
    )


@pytest.mark.parametrize("api_backend", ["sqlite", "postgresql"], indirect=True)
def test_full_review_over_http_and_logs_hold_no_secrets(
    client: TestClient, world: World, api_services: Services, json_logs: io.StringIO
) -> None:
    m1, e1 = world.headers("m1"), world.headers("e1")
    # upload → background job → review draft
    queued = upload(client, world, "m1", tiny_wav())
    assert queued.status_code == 202, queued.text
    job = wait_for_job(client, queued.json()["id"], m1)
    assert job["state"] == "done" and job["progress"] == 1.0, job
    review_id = job["result"]["review_id"]
    # the employee cannot see an unsent draft; the manager relabels speakers and sends it
    assert client.get(f"/reviews/{review_id}", headers=e1).status_code == 404
    relabelled = client.patch(
        f"/reviews/{review_id}/transcript/speakers",
        headers=m1,
        json={"mapping": {"speaker_0": "manager", "speaker_1": "employee"}},
    )
    assert [s["speaker"] for s in relabelled.json()["segments"]] == ["manager", "employee"]
    assert client.post(f"/reviews/{review_id}/send", headers=m1).json()["state"] == "in_review"
    # the employee edits with If-Match; a stale save by the manager is refused with the changes
    got = client.get(f"/reviews/{review_id}", headers=e1)
    etag, draft = got.headers["etag"], got.json()["draft"]
    draft["action_items"][0]["task"] = "Send the latency plan"
    edited = client.put(f"/reviews/{review_id}", headers={**e1, "If-Match": etag}, json={"draft": draft})
    assert edited.status_code == 200 and edited.headers["etag"] == '"2"'
    draft["action_items"][0]["task"] = "Send the plan (manager's wording)"
    stale = client.put(f"/reviews/{review_id}", headers={**m1, "If-Match": etag}, json={"draft": draft})
    assert stale.status_code == 409
    assert stale.json()["details"]["current_version"] == 2 and stale.json()["details"]["their_changes"]
    no_version = client.put(f"/reviews/{review_id}", headers=m1, json={"draft": draft})
    assert no_version.status_code == 428
    # comment and an objection, then both sign the same version
    assert (
        client.post(
            f"/reviews/{review_id}/comments", headers=m1, json={"field_path": "action_items[0]", "body": "Thanks"}
        ).status_code
        == 201
    )
    objection = client.post(
        f"/reviews/{review_id}/responses",
        headers=e1,
        json={
            "field_path": "action_items[0]",
            "decision": "acknowledge_with_objection",
            "statement": "Friday is tight",
        },
    )
    assert objection.status_code == 200
    assert client.get(f"/reviews/{review_id}/responses", headers=m1).json()[0]["statement"] == "Friday is tight"
    for who in (m1, e1):
        intent = client.get(f"/reviews/{review_id}/intent", headers=who).json()
        signed = client.post(f"/reviews/{review_id}/sign", headers=who, json=intent)
        assert signed.status_code == 201, signed.text
    archived = client.get(f"/reviews/{review_id}", headers=e1).json()
    assert archived["state"] == "signed"
    # archived means immutable over HTTP too
    assert (
        client.put(
            f"/reviews/{review_id}", headers={**e1, "If-Match": '"2"'}, json={"draft": archived["draft"]}
        ).status_code
        == 409
    )
    # exports of the archived review: JSON that verifies offline, Markdown, PDF; and the employee's calendar
    exported = client.get(f"/reviews/{review_id}/export", headers=e1, params={"format": "json"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")
    from copilot.export.bundle import verify_bundle

    assert verify_bundle(exported.json()).ok
    markdown = client.get(f"/reviews/{review_id}/export", headers=m1, params={"format": "markdown"})
    assert markdown.status_code == 200 and "Send the latency plan" in markdown.text
    pdf = client.get(f"/reviews/{review_id}/export", headers=world.headers("hr"), params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/reviews/{review_id}/export", headers=world.headers("e2")).status_code == 404
    ics = client.get(f"/users/{world.ids['e1']}/action-items.ics", headers=e1)
    assert ics.status_code == 200 and "BEGIN:VCALENDAR" in ics.text and "Send the latency plan" in ics.text
    # tracked action item, audit verification by the auditor
    items = client.get("/action-items", headers=e1, params={"open_only": True}).json()
    mine = [i for i in items if i["review_id"] == review_id]
    assert mine and mine[0]["task"] == "Send the latency plan"
    done = client.patch(f"/action-items/{mine[0]['id']}", headers=e1, json={"status": "done"})
    assert done.json()["status"] == "done"
    verify = client.get("/audit/verify", headers=world.headers("auditor")).json()
    assert verify["ok"] and verify["signatures_checked"] == 2, verify
    versions = client.get(f"/reviews/{review_id}/versions", headers=world.headers("hr")).json()
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["changes"]

    # the log canary: a DEBUG run of all of the above leaks no transcript text, password or token
    logs = json_logs.getvalue()
    assert '"event": "request"' in logs and "access.denied" in logs  # the logs are there and structured
    secrets = [CANARY, PASSWORD, *world.tokens.values(), "Friday is tight", "latency plan"]
    leaked = [s for s in secrets if s in logs]
    assert not leaked, f"secrets in logs: {leaked}"
    assert "rca_" not in logs and "rcr_" not in logs


def test_upload_limits_and_sniffing(client: TestClient, world: World, api_services: Services) -> None:
    api_services.settings.max_upload_bytes = 50_000
    assert upload(client, world, "m1", b"x" * 60_000).status_code == 413
    assert upload(client, world, "m1", b"%PDF-1.7 not audio at all").status_code == 415
    assert upload(client, world, "m1", b"").status_code == 422
    assert upload(client, world, "m2", tiny_wav()).status_code == 404  # e1 is not m2's report
    assert upload(client, world, "e1", tiny_wav()).status_code == 404  # employees do not record
    uploads = api_services.settings.home / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())  # nothing half-written is left behind


def test_the_manager_says_whether_a_recording_was_a_review_and_a_retry_remembers(
    client: TestClient, world: World, api_services: Services
) -> None:
    """A short review that never names itself would be told a check-in; the person who was there can say."""
    from tests.fakes import FakeDrafter

    m1 = world.headers("m1")
    drafter = FakeDrafter()
    api_services._drafter = drafter
    assert wait_for_job(client, upload(client, world, "m1", tiny_wav()).json()["id"], m1)["state"] == "done"
    assert drafter.seen_meeting_kind is None  # unset: the server's setting decides
    drafter.fail = True
    job = wait_for_job(client, upload(client, world, "m1", tiny_wav(), meeting_kind="review").json()["id"], m1)
    assert job["state"] == "failed" and drafter.seen_meeting_kind == "review"
    drafter.fail, drafter.seen_meeting_kind = False, None
    assert client.post(f"/jobs/{job['id']}/retry", headers=m1).status_code == 202
    assert wait_for_job(client, job["id"], m1)["state"] == "done" and drafter.seen_meeting_kind == "review"
    refused = upload(client, world, "m1", tiny_wav(), meeting_kind="party")
    assert refused.status_code == 422 and "meeting_kind" in refused.text


def test_failed_job_reports_reason_and_can_be_retried(client: TestClient, world: World, api_services: Services) -> None:
    from tests.fakes import FakeDrafter

    api_services._drafter = FakeDrafter(fail=True)
    job = wait_for_job(client, upload(client, world, "m1", tiny_wav()).json()["id"], world.headers("m1"))
    assert job["state"] == "failed" and "not valid JSON" in job["error"]
    api_services._drafter = FakeDrafter()
    retried = client.post(f"/jobs/{job['id']}/retry", headers=world.headers("m1"))
    assert retried.status_code == 202
    assert wait_for_job(client, job["id"], world.headers("m1"))["state"] == "done"


def test_kpi_import_computes_deviation_and_replaces_on_reimport(client: TestClient, world: World) -> None:
    row = {
        "employee_id": world.ids["e1"],
        "period": "2026-Q4",
        "metric": "dashboard p95 (s)",
        "target": 2.0,
        "actual": 4.0,
        "higher_is_better": False,
    }
    imported = client.post("/kpis", headers=world.headers("hr"), json={"rows": [row]})
    assert imported.status_code == 200
    assert imported.json()["prefills"][0]["deviation_pct"] == 100.0 and imported.json()["prefills"][0]["flagged"]
    client.post("/kpis", headers=world.headers("hr"), json={"rows": [{**row, "actual": 2.1}]})
    seen = client.get(f"/users/{world.ids['e1']}/kpis", headers=world.headers("m1")).json()
    assert [(k["actual"], k["flagged"]) for k in seen] == [(2.1, False)]  # replaced, 5 % is under the threshold
    bad = client.post("/kpis", headers=world.headers("hr"), json={"rows": [row, {**row, "employee_id": "nobody"}]})
    assert bad.status_code == 422 and "nothing was imported" in bad.json()["detail"]
    assert client.get(f"/users/{world.ids['e1']}/kpis", headers=world.headers("e2")).status_code == 404


def test_jobs_left_running_by_a_dead_process_are_failed_at_startup(api_services: Services) -> None:
    from copilot.api import create_app
    from copilot.storage import repo

    with api_services.db.session() as sess:
        job = repo.add_job(sess, kind="record_meeting", payload={})
        job.state = "running"
        job_id = job.id
    with TestClient(create_app(api_services)):
        with api_services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            assert row.state == "failed" and "restart" in (row.error or "")
