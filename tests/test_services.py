"""The record-meeting use case with fake adapters: durable job, one transaction, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from copilot.cli.demo import ensure_demo_users
from copilot.domain.audit import verify_chain
from copilot.errors import InputError, SummaryError
from copilot.schema import ReviewState
from copilot.services import Services, build_services
from copilot.settings import Settings
from copilot.storage import repo
from tests.fakes import FakeDrafter, FakeTranscriber


@pytest.fixture
def audio(tmp_path: Path) -> Path:
    path = tmp_path / "meeting.wav"
    path.write_bytes(b"RIFF....WAVEfmt fake bytes kept verbatim")
    return path


def test_record_meeting_stores_review_transcript_job_and_audit(settings: Settings, audio: Path) -> None:
    services = build_services(settings, transcriber=FakeTranscriber(), drafter=FakeDrafter())
    manager_id, employee_id = ensure_demo_users(services)
    job_id, review = services.record_meeting(
        audio, employee_id=employee_id, manager_id=manager_id, meeting_date=dt.date(2026, 11, 30), actor_id=manager_id
    )
    assert review.state is ReviewState.draft
    assert review.draft.employee == "Priya Shah" and review.draft.manager == "Dana Lee"
    assert review.draft.action_items[0].due == dt.date(2026, 12, 4)
    with services.db.session() as sess:
        job = repo.job_public(repo.get_job(sess, job_id=job_id))
        chain = repo.audit_chain(sess)
    assert job.state == "done" and job.progress == 1.0
    assert job.result == {"review_id": review.id, "transcript_id": review.transcript_id}
    assert [row.event["action"] for row in chain] == ["review.create"]
    assert verify_chain(chain).ok
    kept = list((settings.home / "audio").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == audio.read_bytes()


def test_failed_draft_marks_job_failed_and_writes_no_review(settings: Settings, audio: Path) -> None:
    services = build_services(settings, transcriber=FakeTranscriber(), drafter=FakeDrafter(fail=True))
    manager_id, employee_id = ensure_demo_users(services)
    with pytest.raises(SummaryError):
        services.record_meeting(
            audio, employee_id=employee_id, manager_id=manager_id, meeting_date=dt.date(2026, 11, 30)
        )
    with services.db.session() as sess:
        assert sess.execute(text("SELECT count(*) FROM reviews")).scalar() == 0
        assert sess.execute(text("SELECT count(*) FROM transcripts")).scalar() == 0
        state, error = sess.execute(text("SELECT state, error FROM jobs")).one()
    assert state == "failed"
    assert "not valid JSON" in error


def test_record_meeting_needs_an_employee_and_a_manager(settings: Settings, audio: Path) -> None:
    services = build_services(settings, transcriber=FakeTranscriber(), drafter=FakeDrafter())
    manager_id, employee_id = ensure_demo_users(services)
    with pytest.raises(InputError, match="employee and a manager"):
        services.record_meeting(
            audio, employee_id=manager_id, manager_id=employee_id, meeting_date=dt.date(2026, 11, 30)
        )


def test_demo_users_are_created_once(settings: Settings) -> None:
    services = build_services(settings)
    assert ensure_demo_users(services) == ensure_demo_users(services)


@pytest.mark.e2e
def test_next_review_gets_open_items_and_kpis(db_url: str, settings: Settings, audio: Path) -> None:
    """Carry-over and KPI pre-fill reach the drafter: open items of signed reviews, imported KPI deviations."""
    settings = settings.model_copy(update={"database_url": db_url})
    drafter = FakeDrafter()
    services = build_services(settings, transcriber=FakeTranscriber(), drafter=drafter)
    try:
        _check_carry_over_and_kpis(services, drafter, audio)
    finally:
        services.db.dispose()


def _check_carry_over_and_kpis(services: Services, drafter: FakeDrafter, audio: Path) -> None:
    from copilot.storage.auth_models import KpiValueRow
    from copilot.storage.models import ReviewRow

    manager_id, employee_id = ensure_demo_users(services)
    _, first = services.record_meeting(
        audio, employee_id=employee_id, manager_id=manager_id, meeting_date=dt.date(2026, 11, 30)
    )
    assert drafter.seen_previous == [] and drafter.seen_kpis == []
    with services.db.session() as sess:  # as if both had signed (the lifecycle tests cover signing itself)
        sess.get(ReviewRow, first.id).state = ReviewState.signed.value
        sess.add(
            KpiValueRow(
                employee_id=employee_id,
                period="2026-Q4",
                metric="p95 latency (s)",
                target=2.0,
                actual=4.0,
                higher_is_better=False,
            )
        )
    services.record_meeting(audio, employee_id=employee_id, manager_id=manager_id, meeting_date=dt.date(2027, 2, 1))
    assert [(i.owner, i.task, i.due) for i in drafter.seen_previous] == [
        ("employee", "Send the plan", dt.date(2026, 12, 4))
    ]
    [kpi] = drafter.seen_kpis
    assert kpi.metric == "p95 latency (s)" and kpi.flagged and kpi.deviation_pct == pytest.approx(100.0)
