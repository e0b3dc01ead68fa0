"""The lifecycle service on real SQLite and PostgreSQL: signing, archive, invalidation, permissions, tasks."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from copilot.errors import ConflictError, InputError, PermissionDenied
from copilot.export.bundle import verify_bundle
from copilot.schema import Flag, ReviewState
from copilot.storage.lifecycle_models import EscalationRow, OutboxRow
from tests.lifecycle.conftest import World
from tests.lifecycle.helpers import demo_draft, sign_both


def _edited(world: World, review_id: str, who: str, text_: str) -> int:
    current = world.lc.get(who, review_id)
    draft = current.draft.model_copy(deep=True)
    draft.summary[0].text = text_
    return world.lc.edit(who, review_id, base_version=current.version, draft=draft).version


def _sign(world: World, who: str, review_id: str) -> None:
    version, intent = world.lc.intent_for(who, review_id)
    world.lc.sign(who, review_id, version=version, intent=intent)


def test_full_signing_archives_and_queues_hris_events(world: World) -> None:
    p = world.people
    review = world.new_review()
    assert review.state is ReviewState.in_review
    assert review.deadline_at == world.clock.now() + __import__("datetime").timedelta(hours=48)
    _sign(world, p.manager, review.id)
    assert world.lc.get(p.manager, review.id).state is ReviewState.partially_signed
    _sign(world, p.employee, review.id)
    assert world.lc.get(p.hr, review.id).state is ReviewState.signed
    with world.db.session() as s:
        events = sorted(s.scalars(text("SELECT event_type FROM outbox")))  # type: ignore[call-overload]
    assert events == ["action_item.created"] * 3 + ["review.signed"]
    report = world.lc.verify_audit(p.auditor)
    assert report.ok, report.problems
    assert report.signatures_checked == 2


def test_edit_of_archived_review_is_refused_and_signatures_stay_valid(world: World) -> None:
    p = world.people
    review = world.new_review()
    sign_both(world.lc, p, review.id)
    before = world.lc.export(p.hr, review.id, "json")
    for who in (p.manager, p.employee):
        with pytest.raises(ConflictError, match="signed and archived; it is immutable"):
            _edited(world, review.id, who, "rewritten after signing")
    with pytest.raises(ConflictError, match="immutable"):
        world.lc.comment(p.employee, review.id, field_path="summary[0]", body="late remark")
    with pytest.raises(ConflictError, match="immutable"):
        world.lc.respond(p.employee, review.id, field_path="summary[0]", decision="agree")
    assert world.lc.get(p.hr, review.id).version == 1
    assert world.lc.verify_audit(p.auditor).ok
    assert verify_bundle(json.loads(before)).ok
    # the database itself refuses to change a signed review's row
    with pytest.raises(Exception, match="immutable"), world.db.session() as s:
        s.execute(text("UPDATE reviews SET state = 'in_review' WHERE id = :id"), {"id": review.id})


def test_edit_of_partially_signed_review_voids_the_signature(world: World) -> None:
    p = world.people
    review = world.new_review()
    _sign(world, p.manager, review.id)
    assert world.lc.get(p.employee, review.id).state is ReviewState.partially_signed
    version = _edited(world, review.id, p.employee, "Employee's wording of the summary.")
    after = world.lc.get(p.manager, review.id)
    assert (after.state, after.version, version) == (ReviewState.in_review, 2, 2)
    # the employee's signature alone no longer archives it: the manager's was for version 1
    _sign(world, p.employee, review.id)
    assert world.lc.get(p.manager, review.id).state is ReviewState.partially_signed
    _sign(world, p.manager, review.id)
    assert world.lc.get(p.manager, review.id).state is ReviewState.signed
    bundle = json.loads(world.lc.export(p.manager, review.id, "json"))
    assert {s["record"]["version"] for s in bundle["signatures"]} == {2}
    assert verify_bundle(bundle).ok
    report = world.lc.verify_audit(p.auditor)
    assert report.ok and report.signatures_checked == 3  # the voided one is still a valid signature of v1


def test_tampered_signed_version_names_the_signer(world: World, db_url: str) -> None:
    p = world.people
    review = world.new_review()
    sign_both(world.lc, p, review.id)
    with pytest.raises(Exception, match="append-only"), world.db.session() as s:
        s.execute(text("UPDATE review_versions SET content_sha256 = 'x' WHERE review_id = :id"), {"id": review.id})
    # someone with full database rights switches the trigger off and rewrites the signed text
    version = world.lc.get(p.hr, review.id).draft.model_dump(mode="json")
    version["summary"][0]["text"] = "Priya missed every goal."
    with world.db.session() as s:
        if world.db.dialect == "sqlite":
            s.execute(text("DROP TRIGGER review_versions_no_update"))
        else:
            s.execute(text("ALTER TABLE review_versions DISABLE TRIGGER review_versions_no_update_delete"))
        s.execute(
            text("UPDATE review_versions SET content = :c WHERE review_id = :id"),
            {"c": json.dumps(version), "id": review.id},
        )
    report = world.lc.verify_audit(p.auditor)
    assert not report.ok
    joined = " | ".join(report.problems)
    assert "by manager Dana Lee <dana@example.com> is invalid: version 1 no longer matches" in joined
    assert "by employee Priya Shah <priya@example.com> is invalid" in joined


def test_stale_or_wrong_signing_is_refused(world: World) -> None:
    p = world.people
    review = world.new_review()
    version, intent = world.lc.intent_for(p.manager, review.id)
    _edited(world, review.id, p.employee, "changed before the manager signed")
    with pytest.raises(ConflictError, match="current version is 2"):
        world.lc.sign(p.manager, review.id, version=version, intent=intent)
    with pytest.raises(InputError, match="intent statement does not match"):
        world.lc.sign(p.manager, review.id, version=2, intent=intent)
    _sign(world, p.manager, review.id)
    with pytest.raises(ConflictError, match="already signed"):
        _sign(world, p.manager, review.id)


def test_unresolved_evidence_flag_blocks_signing_until_resolved(world: World) -> None:
    p = world.people
    review = world.new_review()
    draft = review.draft.model_copy(deep=True)
    draft.contributions[0].flags = [Flag.needs_evidence]
    world.lc.edit(p.manager, review.id, base_version=1, draft=draft)
    with pytest.raises(ConflictError, match=r"contributions\[0\]: flagged needs_evidence"):
        _sign(world, p.employee, review.id)
    draft.contributions = []  # resolved by removing the item
    world.lc.edit(p.manager, review.id, base_version=2, draft=draft)
    _sign(world, p.employee, review.id)


def test_objection_is_kept_with_the_signed_record_and_voids_earlier_signature(world: World) -> None:
    p = world.people
    review = world.new_review()
    _sign(world, p.manager, review.id)
    with pytest.raises(InputError, match="objection needs a statement"):
        world.lc.respond(
            p.employee, review.id, field_path="improvement_areas[0]", decision="acknowledge_with_objection"
        )
    with pytest.raises(PermissionDenied):
        world.lc.respond(p.manager, review.id, field_path="summary[0]", decision="agree")
    with pytest.raises(InputError, match="does not exist"):
        world.lc.respond(p.employee, review.id, field_path="summary[9]", decision="agree")
    world.lc.respond(
        p.employee,
        review.id,
        field_path="improvement_areas[0]",
        decision="acknowledge_with_objection",
        statement="Delays were posted in the team channel.",
    )
    assert world.lc.get(p.manager, review.id).state is ReviewState.in_review  # manager signed without it
    sign_both(world.lc, p, review.id)
    bundle = json.loads(world.lc.export(p.employee, review.id, "json"))
    assert bundle["field_responses"][0]["statement"] == "Delays were posted in the team channel."
    assert verify_bundle(bundle).ok
    bundle["field_responses"][0]["statement"] = "No objection."
    assert "field responses differ" in " ".join(verify_bundle(bundle).problems)


def test_permissions(world: World) -> None:
    p = world.people
    draft_only = world.new_review(send=False)
    with pytest.raises(PermissionDenied, match="not found"):
        world.lc.get(p.employee, draft_only.id)  # not sent yet
    review = world.new_review()
    for outsider in (p.other_employee, p.admin):
        with pytest.raises(PermissionDenied, match="not found"):
            world.lc.get(outsider, review.id)
    for reader in (p.hr, p.auditor):
        assert world.lc.get(reader, review.id).id == review.id
        with pytest.raises(PermissionDenied):
            _edited(world, review.id, reader, "HR rewrites")
        with pytest.raises(PermissionDenied):
            world.lc.intent_for(reader, review.id)
    with pytest.raises(PermissionDenied):
        world.lc.send(p.employee, review.id)
    with pytest.raises(PermissionDenied):
        world.lc.verify_audit(p.employee)
    with pytest.raises(PermissionDenied):
        world.lc.overdue(p.manager)


def test_comments_reopen_and_history(world: World) -> None:
    p = world.people
    review = world.new_review()
    world.lc.comment(p.employee, review.id, field_path="action_items[0].due", body="Friday is tight.")
    with pytest.raises(InputError, match="does not exist"):
        world.lc.comment(p.employee, review.id, field_path="action_items[7]", body="?")
    _edited(world, review.id, p.manager, "Second wording.")
    history = world.lc.history(p.employee, review.id)
    assert [v.version for v in history] == [1, 2]
    assert history[1].changes[0]["path"] == "summary[0].text"
    assert history[1].author_id == p.manager
    sign_both(world.lc, p, review.id)
    with pytest.raises(PermissionDenied):
        world.lc.reopen(p.employee, review.id, reason="typo")
    amendment = world.lc.reopen(p.hr, review.id, reason="Fix a typo in the summary")
    assert amendment.state is ReviewState.reopened and amendment.id != review.id
    assert world.lc.get(p.hr, review.id).state is ReviewState.signed  # the original is untouched
    _edited(world, amendment.id, p.manager, "Corrected wording.")
    world.lc.send(p.manager, amendment.id)
    sign_both(world.lc, p, amendment.id)
    assert world.lc.verify_audit(None).ok


def test_overdue_expires_and_escalates_once_per_level(world: World) -> None:
    p = world.people
    review = world.new_review()
    assert world.lc.overdue(p.hr) == []
    world.clock.advance(hours=49)
    first = world.lc.overdue(p.hr)
    assert [(r.review_id, r.level, r.new_escalation, r.state) for r in first] == [(review.id, 1, True, "expired")]
    assert [r.new_escalation for r in world.lc.overdue(p.hr)] == [False]  # idempotent
    world.clock.advance(hours=24)
    assert [(r.level, r.new_escalation) for r in world.lc.overdue(None)] == [(2, True)]
    with world.db.session() as s:
        assert sorted(s.scalars(text("SELECT level FROM escalations"))) == [1, 2]  # type: ignore[call-overload]
        assert s.query(EscalationRow).count() == 2
    with pytest.raises(ConflictError, match="deadline passed"):
        _sign(world, p.employee, review.id)
    world.lc.send(p.manager, review.id)  # re-sent: a new deadline
    assert world.lc.overdue(p.hr) == []
    sign_both(world.lc, p, review.id)


def test_action_items_tracking_ics_and_carry_over(world: World) -> None:
    p = world.people
    review = world.new_review()
    items = world.lc.action_items(p.employee, owner_user_id=p.employee)
    assert [i.task for i in items] == ["Send the latency plan", "Post a status update every Monday"]
    with pytest.raises(ConflictError, match="not signed yet"):
        world.lc.set_item_status(p.employee, items[0].id, "done")
    sign_both(world.lc, p, review.id)
    world.clock.advance(days=10)  # past the 2026-11-27 due dates
    overdue = [i.task for i in world.lc.action_items(p.manager, open_only=True) if i.overdue]
    assert overdue == ["Book an architecture review with the platform team", "Send the latency plan"]
    done = world.lc.set_item_status(p.employee, items[0].id, "done")
    assert (done.status, done.overdue) == ("done", False)
    with pytest.raises(PermissionDenied):
        world.lc.set_item_status(p.hr, items[1].id, "dropped")
    ics = world.lc.calendar(p.manager, p.manager)
    assert ics.count("BEGIN:VEVENT") == 1 and "SUMMARY:Book an architecture review" in ics
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert world.lc.calendar(p.employee, p.employee).count("BEGIN:VEVENT") == 0  # the dated one is done
    with pytest.raises(PermissionDenied):
        world.lc.calendar(p.other_employee, p.employee)
    carried = world.lc.carry_over(p.manager, p.employee)
    assert [c.task for c in carried] == [
        "Book an architecture review with the platform team",
        "Post a status update every Monday",
    ]
    nxt = world.new_review()
    assert [c.task for c in nxt.draft.previous_action_items] == [c.task for c in carried]
    with world.db.session() as s:
        updated = s.query(OutboxRow).filter(OutboxRow.event_type == "action_item.updated").count()
    assert updated == 1


def test_exports_are_audited_and_pdf_has_the_record(world: World) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    p = world.people
    review = world.new_review()
    with pytest.raises(ConflictError, match="only signed reviews"):
        world.lc.export(p.hr, review.id, "pdf")
    sign_both(world.lc, p, review.id)
    pdf = world.lc.export(p.hr, review.id, "pdf")
    pages = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for expected in (
        "Performance review: Priya Shah",
        "Action items",
        "Send the latency plan",
        "#5 00:20",
        "Certificate of Completion",
        "Dana Lee",
        "Audit summary",
    ):
        assert expected in pages, expected
    md = world.lc.export(p.employee, review.id, "markdown").decode()
    assert "# Signed review, meeting of 2026-11-20" in md and "## Certificate of Completion" in md
    with world.db.session() as s:
        actions = list(s.scalars(text("SELECT action FROM audit_events ORDER BY seq")))  # type: ignore[call-overload]
    assert actions.count("review.export") == 2


def test_reads_of_archived_records_are_audited(world: World) -> None:
    p = world.people
    review = world.new_review()
    world.lc.get(p.hr, review.id)  # not archived yet: no read event
    sign_both(world.lc, p, review.id)
    world.lc.get(p.hr, review.id)
    world.lc.history(p.auditor, review.id)
    world.lc.responses(p.employee, review.id)
    with world.db.session() as s:
        reads = (
            s.execute(text("SELECT actor_id FROM audit_events WHERE action = 'review.read' ORDER BY seq"))
            .scalars()
            .all()
        )
    assert reads == [p.hr, p.auditor, p.employee]


def test_listing_is_scoped(world: World) -> None:
    p = world.people
    unsent = world.new_review(send=False)
    sent = world.new_review()
    assert {r.id for r in world.lc.list_reviews(p.manager)} == {unsent.id, sent.id}
    assert {r.id for r in world.lc.list_reviews(p.hr)} == {unsent.id, sent.id}
    assert [r.id for r in world.lc.list_reviews(p.employee)] == [sent.id]  # drafts stay the manager's
    assert world.lc.list_reviews(p.other_employee) == [] and world.lc.list_reviews(p.admin) == []
    assert world.lc.list_reviews(p.employee)[0].employee == "Priya Shah"


def test_latest_response_counts_even_within_the_same_instant(world: World) -> None:
    p = world.people
    review = world.new_review()  # the fake clock does not move between the two responses
    world.lc.respond(p.employee, review.id, field_path="summary[0]", decision="agree")
    world.lc.respond(
        p.employee,
        review.id,
        field_path="summary[0]",
        decision="acknowledge_with_objection",
        statement="On reflection, no.",
    )
    world.lc.respond(p.employee, review.id, field_path="okr_progress[0]", decision="agree")
    assert [(r["field_path"], r["decision"]) for r in world.lc.responses(p.manager, review.id)] == [
        ("okr_progress[0]", "agree"),
        ("summary[0]", "acknowledge_with_objection"),
    ]


def test_pdf_of_a_chinese_review_uses_a_cid_font(world: World) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    p = world.people
    review = world.new_review()
    draft = review.draft.model_copy(deep=True)
    draft.summary[0].text = "数据管道迁移已完成，延迟仍然落后。"
    world.lc.edit(p.manager, review.id, base_version=1, draft=draft)
    sign_both(world.lc, p, review.id)
    pdf = world.lc.export(p.hr, review.id, "pdf")
    assert b"STSong-Light" in pdf
    assert "数据管道迁移已完成" in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_sensitive_action_items_stay_out_of_the_hris_sync(world: World) -> None:
    """An item the summariser flagged sensitive is signed and kept, but never queued for the HRIS."""
    p = world.people
    draft = demo_draft(world.transcript)
    flagged = draft.action_items[0].model_copy(update={"flags": [Flag.sensitive]})
    draft = draft.model_copy(update={"action_items": [flagged, *draft.action_items[1:]]})
    review = world.lc.create(p.manager, employee_id=p.employee, draft=draft, transcript=world.transcript)
    world.lc.send(p.manager, review.id)
    _sign(world, p.manager, review.id)
    _sign(world, p.employee, review.id)
    with world.db.session() as s:
        rows = s.query(OutboxRow).all()
        synced_tasks = [r.payload["task"] for r in rows if r.event_type == "action_item.created"]
        [signed] = [r.payload for r in rows if r.event_type == "review.signed"]
    assert flagged.task not in synced_tasks
    assert len(synced_tasks) == len(draft.action_items) - 1
    assert signed["private_items_withheld"] == 1
    assert world.lc.get(p.hr, review.id).draft.action_items[0].task == flagged.task  # kept in the record itself
