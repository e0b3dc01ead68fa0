"""Review lifecycle use cases: send, co-edit, comment, respond, sign, archive, reopen, deadlines, tasks.

Every method takes the acting user's id and checks permissions here, so the
CLI and the API cannot disagree. Every mutation is one transaction that also
appends exactly one audit event (and, for signing, the HRIS outbox rows), so a
crash leaves either all of it or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from copilot import signing_keys
from copilot.access import ReviewAccess, ReviewAction
from copilot.domain import lifecycle as rules
from copilot.domain import permissions
from copilot.domain.audit import GENESIS_HASH, verify_chain
from copilot.domain.canonical import content_hash, sha256_hex
from copilot.domain.diff import diff, overlapping, resolve
from copilot.domain.lifecycle import Action, Party
from copilot.domain.permissions import Actor
from copilot.domain.signing import SignatureRecord, SignedRecord, check_signed, intent_statement, responses_digest
from copilot.errors import ConflictError, InputError, NotFound, PermissionDenied
from copilot.export.bundle import build_bundle
from copilot.export.ics import CalendarItem, action_items_ics
from copilot.ports import Clock
from copilot.schema import (
    ActionItem,
    Flag,
    PreviousActionReview,
    ReviewDraft,
    ReviewPublic,
    ReviewState,
    Role,
    Transcript,
)
from copilot.signing_keys import KeyStore
from copilot.storage import Database, repo
from copilot.storage.lifecycle_models import (
    AuditHeadRow,
    CommentRow,
    EscalationRow,
    FieldAgreementRow,
    OutboxRow,
    SignatureRow,
    SigningKeyRow,
)
from copilot.storage.models import ActionItemRow, AuditEventRow, ReviewRow, ReviewVersionRow, UserRow, new_id

Decision = Literal["agree", "acknowledge_with_objection"]
ItemStatus = Literal["open", "done", "dropped"]
ExportFormat = Literal["json", "markdown", "pdf"]


@dataclass(frozen=True)
class VersionInfo:
    version: int
    author_id: str | None
    created_at: dt.datetime
    content_sha256: str
    changes: list[dict[str, Any]]


@dataclass(frozen=True)
class ReviewSummary:
    id: str
    employee: str
    manager: str
    state: str
    version: int
    meeting_date: dt.date
    deadline_at: dt.datetime | None
    amends_review_id: str | None


@dataclass(frozen=True)
class OverdueReview:
    review_id: str
    employee: str
    manager: str
    state: str
    deadline_at: dt.datetime
    hours_overdue: float
    level: int
    new_escalation: bool


@dataclass(frozen=True)
class TrackedItem:
    id: str
    review_id: str
    owner: str
    owner_user_id: str | None
    task: str
    due: dt.date | None
    status: str
    overdue: bool


@dataclass
class AuditReport:
    """Result of `audit verify`: ok, or the first bad row and every invalid signature."""

    events_checked: int = 0
    signatures_checked: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class ReviewLifecycle:
    """The review lifecycle over one database; see the module docstring."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        keys: KeyStore,
        deadline_hours: float = 48.0,
        escalation_step_hours: float = 24.0,
        managers_see_all_reports: bool = False,
    ) -> None:
        self.db = db
        self.clock = clock
        self.keys = keys
        self.deadline_hours = deadline_hours
        self.escalation_step_hours = escalation_step_hours
        self.access = ReviewAccess(managers_see_all_reports=managers_see_all_reports)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _actor(sess: Session, actor_id: str) -> tuple[UserRow, Actor]:
        try:
            user = repo.get_user(sess, user_id=actor_id)
        except NotFound:
            raise PermissionDenied("unknown user") from None
        if not user.active:
            raise PermissionDenied(f"user {user.email} is disabled")
        return user, Actor(id=user.id, role=Role(user.role))

    def _review(self, sess: Session, actor: Actor, review_id: str, action: ReviewAction) -> ReviewRow:
        """Load with a row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers)."""
        row = self.access.review(sess, actor, review_id, action)
        if action is not ReviewAction.view:
            sess.refresh(row, with_for_update=True)
        if actor.role is Role.employee and not rules.visible_to_employee(ReviewState(row.state)):
            raise PermissionDenied(f"review {review_id} not found")
        return row

    @staticmethod
    def _party(actor: Actor, review: ReviewRow) -> Party | None:
        if actor.role is Role.manager and actor.id == review.manager_id:
            return Party.manager
        if actor.role is Role.employee and actor.id == review.employee_id:
            return Party.employee
        return None

    def _check(self, actor: Actor, review: ReviewRow, action: Action) -> Party | None:
        party = self._party(actor, review)
        rules.check(ReviewState(review.state), action, party)
        return party

    @staticmethod
    def _content(sess: Session, review: ReviewRow, version: int | None = None) -> dict[str, Any]:
        return dict(repo.get_version(sess, review_id=review.id, version=version or review.current_version).content)

    @staticmethod
    def _responses(sess: Session, review_id: str) -> list[FieldAgreementRow]:
        """The employee's response in force per field: the latest one."""
        rows = sess.scalars(
            select(FieldAgreementRow)
            .where(FieldAgreementRow.review_id == review_id)
            .order_by(FieldAgreementRow.created_at, FieldAgreementRow.id)
        )
        latest: dict[str, FieldAgreementRow] = {}
        for row in rows:
            latest.pop(row.field_path, None)
            latest[row.field_path] = row
        return sorted(latest.values(), key=lambda r: r.field_path)

    @staticmethod
    def response_dicts(rows: list[FieldAgreementRow]) -> list[dict[str, Any]]:
        return [
            {
                "field_path": r.field_path,
                "decision": r.decision,
                "statement": r.statement,
                "version": r.version,
                "at": _aware(r.created_at).isoformat(),
            }
            for r in rows
        ]

    def _current_signatures(self, sess: Session, review: ReviewRow) -> list[SignatureRow]:
        """Signatures that still count: on the current version and covering the current responses."""
        digest = responses_digest(self.response_dicts(self._responses(sess, review.id)))
        rows = sess.scalars(
            select(SignatureRow)
            .where(SignatureRow.review_id == review.id, SignatureRow.version == review.current_version)
            .order_by(SignatureRow.signed_at)
        )
        return [r for r in rows if r.record.get("responses_sha256") == digest]

    def _audit(
        self,
        sess: Session,
        actor_id: str | None,
        action: str,
        review_id: str,
        *,
        before: str | None = None,
        after: str | None = None,
        **details: Any,
    ) -> AuditEventRow:
        return repo.append_audit(
            sess,
            actor_id=actor_id,
            action=action,
            object_type="review",
            object_id=review_id,
            before_hash=before,
            after_hash=after,
            details=details,
        )

    def _public(self, sess: Session, review: ReviewRow) -> ReviewPublic:
        return repo.review_public(sess, review)

    # ------------------------------------------------------------------ create, read

    def create(
        self,
        actor_id: str,
        *,
        employee_id: str,
        draft: ReviewDraft,
        transcript: Transcript | None = None,
    ) -> ReviewPublic:
        """A manager starts a review of a report from a draft; open items of past reviews are carried over."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            self.access.employee_for_recording(sess, actor, employee_id)
            if not draft.previous_action_items:
                carried = self._carry_over(sess, employee_id)
                if carried:
                    draft = draft.model_copy(update={"previous_action_items": carried})
            transcript_id = repo.add_transcript(sess, transcript=transcript, audio_path=None).id if transcript else None
            review = repo.create_review(
                sess,
                employee_id=employee_id,
                manager_id=actor.id,
                draft=draft,
                transcript_id=transcript_id,
                author_id=actor.id,
            )
            self._link_item_owners(sess, review)
            self._audit(sess, actor.id, "review.create", review.id, after=content_hash(draft), version=1)
            return self._public(sess, review)

    def get(self, actor_id: str, review_id: str) -> ReviewPublic:
        """Read a review; reading an archived record is audited (who looked at which signed review)."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.view)
            self._audit_archived_read(sess, actor, review, "review")
            return self._public(sess, review)

    def _audit_archived_read(self, sess: Session, actor: Actor, review: ReviewRow, what: str) -> None:
        """Who looked at which archived record is itself part of the record."""
        if review.state == ReviewState.signed.value:
            version = repo.get_version(sess, review_id=review.id, version=review.current_version)
            self._audit(sess, actor.id, "review.read", review.id, after=version.content_sha256, part=what)

    def list_reviews(self, actor_id: str) -> list[ReviewSummary]:
        """The reviews the actor may see, newest meeting first (no content, so no read is audited)."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            query = self.access.visible_reviews(sess, actor)
            if actor.role is Role.employee:
                query = query.where(ReviewRow.state.not_in([ReviewState.draft.value, ReviewState.reopened.value]))
            names = {u.id: u.name for u in repo.list_users(sess)}
            return [
                ReviewSummary(
                    r.id,
                    names.get(r.employee_id, "?"),
                    names.get(r.manager_id, "?"),
                    r.state,
                    r.current_version,
                    r.meeting_date,
                    _aware(r.deadline_at) if r.deadline_at else None,
                    r.amends_review_id,
                )
                for r in sess.scalars(query.order_by(ReviewRow.meeting_date.desc(), ReviewRow.created_at.desc()))
            ]

    def history(self, actor_id: str, review_id: str) -> list[VersionInfo]:
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.view)
            self._audit_archived_read(sess, actor, review, "history")
            rows = sess.scalars(
                select(ReviewVersionRow)
                .where(ReviewVersionRow.review_id == review.id)
                .order_by(ReviewVersionRow.version)
            )
            return [
                VersionInfo(
                    r.version,
                    r.author_id,
                    _aware(r.created_at),
                    r.content_sha256,
                    list((r.diff or {}).get("changes", [])),
                )
                for r in rows
            ]

    def comments(self, actor_id: str, review_id: str) -> list[CommentRow]:
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.view)
            self._audit_archived_read(sess, actor, review, "comments")
            return list(
                sess.scalars(
                    select(CommentRow).where(CommentRow.review_id == review.id).order_by(CommentRow.created_at)
                )
            )

    def responses(self, actor_id: str, review_id: str) -> list[dict[str, Any]]:
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.view)
            self._audit_archived_read(sess, actor, review, "responses")
            return self.response_dicts(self._responses(sess, review.id))

    # ------------------------------------------------------------------ send, edit

    def send(self, actor_id: str, review_id: str) -> ReviewPublic:
        """The manager sends the draft (or re-sends an expired review); the signing deadline starts now."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.send)
            self._check(actor, review, Action.send)
            now = self.clock.now()
            review.state = rules.next_state(ReviewState(review.state), Action.send).value
            review.sent_at = now
            review.deadline_at = rules.signing_deadline(now, self.deadline_hours)
            self._audit(sess, actor.id, "review.send", review.id, deadline_at=review.deadline_at.isoformat())
            return self._public(sess, review)

    def edit(self, actor_id: str, review_id: str, *, base_version: int, draft: ReviewDraft) -> ReviewPublic:
        """Save a new immutable version; a save based on a stale version is refused with the other changes."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.edit)
            self._check(actor, review, Action.edit)
            current = self._content(sess, review)
            if not 1 <= base_version <= review.current_version:
                raise InputError(f"base version {base_version} does not exist (latest is {review.current_version})")
            if base_version != review.current_version:
                base = self._content(sess, review, base_version)
                theirs = diff(base, current)
                mine = diff(base, draft.model_dump(mode="json"))
                authors = [
                    r.author_id
                    for r in sess.scalars(
                        select(ReviewVersionRow).where(
                            ReviewVersionRow.review_id == review.id, ReviewVersionRow.version > base_version
                        )
                    )
                ]
                raise ConflictError(
                    f"review {review.id} changed since version {base_version} (now version {review.current_version}); "
                    "nothing was saved: apply your change to the latest version and save again",
                    details={
                        "current_version": review.current_version,
                        "their_changes": [c.as_dict() for c in theirs],
                        "changed_by": sorted({a for a in authors if a}),
                        "overlapping_fields": overlapping(mine, theirs),
                    },
                )
            new = draft.model_dump(mode="json")
            changes = diff(current, new)
            if not changes:
                raise InputError("no changes to save")
            before = review.current_version
            old_state = ReviewState(review.state)
            review.current_version = before + 1
            review.state = rules.next_state(old_state, Action.edit).value
            version = repo.add_version(
                sess,
                review=review,
                version=review.current_version,
                draft=draft,
                author_id=actor.id,
                diff={"from_version": before, "changes": [c.as_dict() for c in changes]},
            )
            repo.replace_action_items(sess, review_id=review.id, draft=draft)
            self._link_item_owners(sess, review)
            self._audit(
                sess,
                actor.id,
                "review.edit",
                review.id,
                before=content_hash(current),
                after=version.content_sha256,
                version=review.current_version,
                fields=[c.path for c in changes][:50],
                signatures_voided=old_state is ReviewState.partially_signed,
            )
            return self._public(sess, review)

    # ------------------------------------------------------------------ comments, responses

    def comment(self, actor_id: str, review_id: str, *, field_path: str, body: str) -> CommentRow:
        body = body.strip()
        if not body:
            raise InputError("a comment needs text")
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.comment)
            self._check(actor, review, Action.comment)
            if field_path != "review":
                resolve(self._content(sess, review), field_path)
            row = CommentRow(
                id=new_id(),
                review_id=review.id,
                version=review.current_version,
                field_path=field_path,
                author_id=actor.id,
                body=body,
                created_at=self.clock.now(),
            )
            sess.add(row)
            sess.flush()
            self._audit(
                sess,
                actor.id,
                "review.comment",
                review.id,
                after=content_hash(body),
                comment_id=row.id,
                field_path=field_path,
            )
            return row

    def respond(
        self, actor_id: str, review_id: str, *, field_path: str, decision: Decision, statement: str = ""
    ) -> ReviewPublic:
        """The employee agrees with a field or acknowledges it with an objection, kept with the signed record.

        A response changes what is signed, so a signature given before it no longer counts.
        """
        if decision not in ("agree", "acknowledge_with_objection"):
            raise InputError(f"decision must be agree or acknowledge_with_objection, not {decision!r}")
        statement = statement.strip()
        if decision == "acknowledge_with_objection" and not statement:
            raise InputError("an objection needs a statement")
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.respond)
            self._check(actor, review, Action.respond)
            resolve(self._content(sess, review), field_path)
            had = self._current_signatures(sess, review)
            # the latest response per field is the one in force, so times must strictly increase
            last = sess.scalar(
                select(func.max(FieldAgreementRow.created_at)).where(FieldAgreementRow.review_id == review.id)
            )
            now = self.clock.now()
            if last is not None and _aware(last) >= now:
                now = _aware(last) + dt.timedelta(microseconds=1)
            row = FieldAgreementRow(
                id=new_id(),
                review_id=review.id,
                version=review.current_version,
                field_path=field_path,
                employee_id=actor.id,
                decision=decision,
                statement=statement,
                created_at=now,
            )
            sess.add(row)
            sess.flush()
            if had and not self._current_signatures(sess, review):
                review.state = ReviewState.in_review.value
            self._audit(
                sess,
                actor.id,
                "review.respond",
                review.id,
                after=content_hash(statement),
                field_path=field_path,
                decision=decision,
                signatures_voided=bool(had),
            )
            return self._public(sess, review)

    # ------------------------------------------------------------------ signing

    def intent_for(self, actor_id: str, review_id: str) -> tuple[int, str]:
        """The version a signer would sign now and the intent statement they must affirm for it."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.sign)
            party = self._check(actor, review, Action.sign)
            version = repo.get_version(sess, review_id=review.id, version=review.current_version)
            return review.current_version, intent_statement(str(party), review.current_version, version.content_sha256)

    def sign(self, actor_id: str, review_id: str, *, version: int, intent: str) -> SignedRecord:
        """Sign the exact current version with the actor's Ed25519 key; the second signature archives it.

        The signature, the state change, the audit event and the HRIS outbox
        rows are one transaction.
        """
        with self.db.session() as sess:
            user, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.sign)
            party = self._check(actor, review, Action.sign)
            assert party is not None  # check() refused non-parties
            if version != review.current_version:
                raise ConflictError(
                    f"cannot sign version {version}: the current version is {review.current_version}; "
                    "read it and sign that one",
                    details={"current_version": review.current_version},
                )
            vrow = repo.get_version(sess, review_id=review.id, version=version)
            expected = intent_statement(party.value, version, vrow.content_sha256)
            if intent.strip() != expected:
                raise InputError("the intent statement does not match the one for this version; nothing was signed")
            current = self._current_signatures(sess, review)
            if any(s.signer_id == actor.id for s in current):
                raise ConflictError(f"you have already signed version {version}")
            draft = ReviewDraft.model_validate(vrow.content)
            transcript = repo.get_transcript(sess, transcript_id=review.transcript_id) if review.transcript_id else None
            blocking = rules.unresolved_evidence(draft, transcript)
            if blocking:
                raise ConflictError(
                    "resolve the evidence flags before signing: " + "; ".join(blocking[:5]),
                    details={"unresolved": blocking},
                )
            pem = self.keys.public_pem(actor.id)
            key_id = signing_keys.fingerprint(pem)
            if sess.get(SigningKeyRow, key_id) is None:
                sess.add(
                    SigningKeyRow(key_id=key_id, user_id=actor.id, public_key_pem=pem, created_at=self.clock.now())
                )
                sess.flush()
            head = sess.execute(
                select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
            ).first()
            record = SignatureRecord(
                id=new_id(),
                review_id=review.id,
                version=version,
                content_sha256=vrow.content_sha256,
                signer_id=actor.id,
                signer_name=user.name,
                signer_email=user.email,
                signer_role=party.value,
                intent=expected,
                signed_at=self.clock.now(),
                responses_sha256=responses_digest(self.response_dicts(self._responses(sess, review.id))),
                key_id=key_id,
                audit_head_seq=int(head[0]) if head else 0,
                audit_head_hash=str(head[1]) if head else GENESIS_HASH,
            )
            signed = SignedRecord(
                record=record, signature_b64=self.keys.sign(actor.id, record.payload()), public_key_pem=pem
            )
            sess.add(
                SignatureRow(
                    id=record.id,
                    review_id=review.id,
                    version=version,
                    signer_id=actor.id,
                    signer_role=party.value,
                    key_id=key_id,
                    content_sha256=vrow.content_sha256,
                    record=record.model_dump(mode="json"),
                    signature_b64=signed.signature_b64,
                    signed_at=record.signed_at,
                )
            )
            sess.flush()
            parties = {Party(s.signer_role) for s in current} | {party}
            new_state = rules.state_after_signing(parties)
            archived = new_state is ReviewState.signed
            if archived:
                self._enqueue_signed(sess, review, vrow)
            review.state = new_state.value
            self._audit(
                sess,
                actor.id,
                "review.sign",
                review.id,
                before=vrow.content_sha256,
                after=vrow.content_sha256,
                signature_id=record.id,
                version=version,
                role=party.value,
                archived=archived,
            )
            return signed

    def signatures(self, sess: Session, review_id: str) -> list[SignedRecord]:
        """Every signature ever given on a review, with the signer's public key (inside a caller's session)."""
        rows = sess.scalars(
            select(SignatureRow).where(SignatureRow.review_id == review_id).order_by(SignatureRow.signed_at)
        )
        return [self._signed(sess, row) for row in rows]

    def _enqueue_signed(self, sess: Session, review: ReviewRow, vrow: ReviewVersionRow) -> None:
        """HRIS events for an archived review, in the signing transaction (transactional outbox)."""
        now = self.clock.now()
        # items the summariser marked sensitive (health, family, religion, union) stay private: not synced
        signed = ReviewDraft.model_validate(vrow.content)
        private = {(a.owner, a.task) for a in signed.action_items if Flag.sensitive in a.flags}
        all_items = repo.list_action_items(sess, review_id=review.id)
        items = [i for i in all_items if (i.owner, i.task) not in private]
        objections = [
            r
            for r in self.response_dicts(self._responses(sess, review.id))
            if r["decision"] == "acknowledge_with_objection"
        ]
        payload = {
            "review_id": review.id,
            "employee_id": review.employee_id,
            "manager_id": review.manager_id,
            "meeting_date": review.meeting_date.isoformat(),
            "version": vrow.version,
            "content_sha256": vrow.content_sha256,
            "signed_at": now.isoformat(),
            "amends_review_id": review.amends_review_id,
            "objections": objections,
            "action_item_ids": [i.id for i in items],
            "private_items_withheld": len(all_items) - len(items),
        }
        self._outbox(sess, "review.signed", review.id, f"review.signed:{review.id}", payload)
        for item in items:
            self._outbox(sess, "action_item.created", item.id, f"action_item.created:{item.id}", _item_payload(item))

    def _outbox(self, sess: Session, event_type: str, aggregate_id: str, key: str, payload: dict[str, Any]) -> None:
        now = self.clock.now()
        sess.add(
            OutboxRow(
                id=new_id(),
                event_type=event_type,
                aggregate_id=aggregate_id,
                idempotency_key=key,
                payload=payload,
                created_at=now,
                attempts=0,
                next_attempt_at=now,
            )
        )
        sess.flush()

    # ------------------------------------------------------------------ reopen

    def reopen(self, actor_id: str, review_id: str, *, reason: str) -> ReviewPublic:
        """An amendment: a new review linked to the signed one, which stays untouched."""
        reason = reason.strip()
        if not reason:
            raise InputError("say why the review is reopened")
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            signed = self._review(sess, actor, review_id, ReviewAction.reopen)
            rules.check(ReviewState(signed.state), Action.reopen, None)
            draft = ReviewDraft.model_validate(self._content(sess, signed))
            review = repo.create_review(
                sess,
                employee_id=signed.employee_id,
                manager_id=signed.manager_id,
                draft=draft,
                transcript_id=signed.transcript_id,
                author_id=actor.id,
            )
            review.state = ReviewState.reopened.value
            review.amends_review_id = signed.id
            self._link_item_owners(sess, review)
            self._audit(
                sess, actor.id, "review.reopen", review.id, after=content_hash(draft), amends=signed.id, reason=reason
            )
            return self._public(sess, review)

    # ------------------------------------------------------------------ deadlines

    def overdue(self, actor_id: str | None, *, record: bool = True) -> list[OverdueReview]:
        """Reviews past their signing deadline; with `record`, expire them and write escalation records.

        `actor_id=None` is the scheduled sweep run by the operator; people need the HR role.
        """
        now = self.clock.now()
        out: list[OverdueReview] = []
        with self.db.session() as sess:
            if actor_id is not None:
                _, actor = self._actor(sess, actor_id)
                if actor.role is not Role.hr:
                    raise PermissionDenied("only HR sees overdue reviews")
            rows = sess.scalars(
                select(ReviewRow)
                .where(
                    ReviewRow.state.in_(
                        [ReviewState.in_review.value, ReviewState.partially_signed.value, ReviewState.expired.value]
                    ),
                    ReviewRow.deadline_at.is_not(None),
                )
                .order_by(ReviewRow.deadline_at)
            )
            for review in list(rows):
                assert review.deadline_at is not None
                deadline = _aware(review.deadline_at)
                state = ReviewState(review.state)
                if not rules.is_overdue(state, deadline, now):
                    continue
                level = rules.escalation_level(deadline, now, step_hours=self.escalation_step_hours)
                known = set(sess.scalars(select(EscalationRow.level).where(EscalationRow.review_id == review.id)))
                new = record and level not in known
                if record and state is not ReviewState.expired:
                    review.state = rules.next_state(state, Action.expire).value
                    self._audit(sess, actor_id, "review.expire", review.id, deadline_at=deadline.isoformat())
                if new:
                    sess.add(
                        EscalationRow(
                            id=new_id(),
                            review_id=review.id,
                            level=level,
                            deadline_at=deadline,
                            detected_at=now,
                            escalated_to="hr",
                            created_by=actor_id,
                        )
                    )
                    sess.flush()
                    self._audit(sess, actor_id, "review.escalate", review.id, level=level)
                emp = repo.get_user(sess, user_id=review.employee_id)
                mgr = repo.get_user(sess, user_id=review.manager_id)
                out.append(
                    OverdueReview(
                        review.id,
                        emp.name,
                        mgr.name,
                        review.state,
                        deadline,
                        round((now - deadline).total_seconds() / 3600, 1),
                        level,
                        new,
                    )
                )
        return out

    # ------------------------------------------------------------------ action items

    def _link_item_owners(self, sess: Session, review: ReviewRow) -> None:
        """Resolve 'employee' / 'manager' / a person's name to a user id, so items are tracked per person."""
        names = {u.name.casefold(): u.id for u in repo.list_users(sess)}
        for item in repo.list_action_items(sess, review_id=review.id):
            owner = item.owner.strip().casefold()
            item.owner_user_id = {"employee": review.employee_id, "manager": review.manager_id}.get(
                owner, names.get(owner)
            )
        sess.flush()

    def _carry_over(self, sess: Session, employee_id: str) -> list[PreviousActionReview]:
        """Open items of the employee's signed reviews that no signed amendment replaced."""
        return [
            PreviousActionReview(task=item.task, owner=item.owner, status="not_discussed")
            for item in repo.open_items_of_signed_reviews(sess, employee_id=employee_id)
        ]

    def carry_over(self, actor_id: str, employee_id: str) -> list[PreviousActionReview]:
        """What the next review of this employee should follow up on."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            allowed = (
                actor.id == employee_id
                or actor.role is Role.hr
                or (
                    actor.role is Role.manager
                    and self.access.org_chart(sess).manages(actor.id, employee_id, transitive=self.access.transitive)
                )
            )
            if not allowed:
                raise PermissionDenied(f"employee {employee_id} not found")
            return self._carry_over(sess, employee_id)

    def action_items(
        self, actor_id: str, *, owner_user_id: str | None = None, open_only: bool = False
    ) -> list[TrackedItem]:
        """Tracked items of the reviews the actor may see (optionally one person's), with overdue marked."""
        today = self.clock.now().date()
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            visible = self.access.visible_reviews(sess, actor).where(
                ReviewRow.state.not_in([ReviewState.draft.value, ReviewState.reopened.value])
                if actor.role is Role.employee
                else ReviewRow.id.is_not(None)
            )
            review_ids = [r.id for r in sess.scalars(visible)]
            query = select(ActionItemRow).where(ActionItemRow.review_id.in_(review_ids))
            if owner_user_id:
                query = query.where(ActionItemRow.owner_user_id == owner_user_id)
            if open_only:
                query = query.where(ActionItemRow.status == "open")
            rows = sess.scalars(query.order_by(ActionItemRow.due.is_(None), ActionItemRow.due, ActionItemRow.task))
            return [
                TrackedItem(
                    r.id,
                    r.review_id,
                    r.owner,
                    r.owner_user_id,
                    r.task,
                    r.due,
                    r.status,
                    rules.action_item_overdue(r.status, r.due, today),
                )
                for r in rows
            ]

    def set_item_status(self, actor_id: str, item_id: str, status: ItemStatus) -> TrackedItem:
        """Track an item of a signed review (before signing, items are edited in the review itself)."""
        if status not in ("open", "done", "dropped"):
            raise InputError(f"status must be open, done or dropped, not {status!r}")
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            item = sess.get(ActionItemRow, item_id)
            if item is None:
                raise NotFound(f"action item {item_id} not found")
            review = self._review(sess, actor, item.review_id, ReviewAction.update_action_item)
            if review.state != ReviewState.signed.value:
                raise ConflictError("this review is not signed yet: change the item by editing the review")
            if item.status == status:
                raise InputError(f"action item is already {status}")
            before = item.status
            item.status, item.updated_at = status, self.clock.now()
            sess.flush()
            self._outbox(
                sess, "action_item.updated", item.id, f"action_item.updated:{item.id}:{new_id()}", _item_payload(item)
            )
            repo.append_audit(
                sess,
                actor_id=actor.id,
                action="action_item.status",
                object_type="action_item",
                object_id=item.id,
                details={"review_id": review.id, "from": before, "to": status},
            )
            today = self.clock.now().date()
            return TrackedItem(
                item.id,
                item.review_id,
                item.owner,
                item.owner_user_id,
                item.task,
                item.due,
                item.status,
                rules.action_item_overdue(item.status, item.due, today),
            )

    # ------------------------------------------------------------------ exports

    def bundle(self, sess: Session, review: ReviewRow) -> dict[str, Any]:
        """The verifiable JSON export of an archived review (inside a caller's session)."""
        vrow = repo.get_version(sess, review_id=review.id, version=review.current_version)
        emp = repo.get_user(sess, user_id=review.employee_id)
        mgr = repo.get_user(sess, user_id=review.manager_id)
        times: dict[str, float] = {}
        if review.transcript_id:
            transcript = repo.get_transcript(sess, transcript_id=review.transcript_id)
            times = {str(seg.id): seg.start for seg in transcript.segments}
        events = sess.scalars(
            select(AuditEventRow).where(AuditEventRow.object_id == review.id).order_by(AuditEventRow.seq)
        )
        head = sess.execute(
            select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
        ).one()
        comments = sess.scalars(
            select(CommentRow).where(CommentRow.review_id == review.id).order_by(CommentRow.created_at)
        )
        return build_bundle(
            review={
                "id": review.id,
                "version": review.current_version,
                "state": review.state,
                "meeting_date": review.meeting_date.isoformat(),
                "amends_review_id": review.amends_review_id,
                "employee": {"id": emp.id, "name": emp.name, "email": emp.email},
                "manager": {"id": mgr.id, "name": mgr.name, "email": mgr.email},
                "sent_at": _aware(review.sent_at).isoformat() if review.sent_at else None,
            },
            content=dict(vrow.content),
            signatures=[self._signed(sess, row) for row in self._current_signatures(sess, review)],
            responses=self.response_dicts(self._responses(sess, review.id)),
            comments=[
                {
                    "field_path": c.field_path,
                    "author_id": c.author_id,
                    "body": c.body,
                    "version": c.version,
                    "at": _aware(c.created_at).isoformat(),
                }
                for c in comments
            ],
            evidence_times=times,
            audit_events=[
                {
                    "seq": e.seq,
                    "at": _aware(e.at).isoformat(),
                    "action": e.action,
                    "actor_id": e.actor_id,
                    "before_hash": e.before_hash,
                    "after_hash": e.after_hash,
                    "hash": e.hash,
                }
                for e in events
            ],
            audit_head={"seq": int(head[0]), "hash": str(head[1])},
            exported_at=self.clock.now(),
        )

    def export(self, actor_id: str, review_id: str, fmt: ExportFormat) -> bytes:
        """Export an archived review as JSON (verifiable), Markdown or PDF; the export itself is audited."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            review = self._review(sess, actor, review_id, ReviewAction.view)
            if review.state != ReviewState.signed.value:
                raise ConflictError(f"only signed reviews are exported; review {review.id} is {review.state}")
            data = self.bundle(sess, review)
            if fmt == "json":
                out = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            elif fmt == "markdown":
                from copilot.export.markdown import bundle_to_markdown

                transcript = (
                    repo.get_transcript(sess, transcript_id=review.transcript_id) if review.transcript_id else None
                )
                out = bundle_to_markdown(data, transcript).encode("utf-8")
            elif fmt == "pdf":
                from copilot.export.pdf import bundle_to_pdf  # reportlab loads only when a PDF is wanted

                out = bundle_to_pdf(data)
            else:
                raise InputError(f"unknown export format {fmt!r}: use json, markdown or pdf")
            self._audit(sess, actor.id, "review.export", review.id, after=sha256_hex(out), format=fmt)
            return out

    def calendar(self, actor_id: str, user_id: str) -> str:
        """ICS of one person's open, dated action items (their own, or for HR and their manager)."""
        with self.db.session() as sess:
            _, actor = self._actor(sess, actor_id)
            person = repo.get_user(sess, user_id=user_id)
            if not (
                actor.id == user_id
                or actor.role is Role.hr
                or (actor.role is Role.manager and self.access.org_chart(sess).manages(actor.id, user_id))
            ):
                raise PermissionDenied(f"user {user_id} not found")
            rows = sess.scalars(
                select(ActionItemRow)
                .join(ReviewRow, ReviewRow.id == ActionItemRow.review_id)
                .where(
                    ActionItemRow.owner_user_id == user_id,
                    ActionItemRow.status == "open",
                    ActionItemRow.due.is_not(None),
                    ReviewRow.state == ReviewState.signed.value,
                )
                .order_by(ActionItemRow.due)
            )
            items = [CalendarItem(r.id, r.task, r.due, r.review_id, r.owner, r.status) for r in rows if r.due]
            return action_items_ics(items, person=person.name, now=self.clock.now())

    @staticmethod
    def _signed(sess: Session, row: SignatureRow) -> SignedRecord:
        key = sess.get(SigningKeyRow, row.key_id)
        return SignedRecord(
            record=SignatureRecord.model_validate(row.record),
            signature_b64=row.signature_b64,
            public_key_pem=key.public_key_pem if key else "",
        )

    # ------------------------------------------------------------------ audit

    def verify_audit(self, actor_id: str | None, *, anchors: list[tuple[int, str]] | None = None) -> AuditReport:
        """Re-check the chain, its head, and every signature; name the first bad row and each bad signature.

        `actor_id=None` is the operator with direct database access (the CLI).
        """
        report = AuditReport()
        with self.db.session() as sess:
            if actor_id is not None:
                _, actor = self._actor(sess, actor_id)
                if not permissions.can_verify_audit(actor):
                    raise PermissionDenied("only auditors and HR verify the audit trail")
            chain = repo.audit_chain(sess)
            result = verify_chain(chain)
            report.events_checked = result.checked
            if not result.ok:
                report.first_bad_seq = result.first_bad_seq
                report.problems.append(f"audit chain broken at row seq {result.first_bad_seq}: {result.reason}")
            hashes = {row.seq: row.hash for row in chain}
            for seq, digest in anchors or []:
                if hashes.get(seq) != digest:
                    report.problems.append(f"anchor seq {seq} ({digest[:16]}…) is missing or changed in the chain")
                    if report.first_bad_seq is None or seq < report.first_bad_seq:
                        report.first_bad_seq = seq
            head = sess.get(AuditHeadRow, 1)
            last = chain[-1] if chain else None
            if head is not None and (last is None or (head.seq, head.hash) != (last.seq, last.hash)):
                report.problems.append(
                    f"audit head is seq {head.seq} but the last row is seq {last.seq if last else 0}: "
                    "rows at the end of the chain were removed or replaced"
                )
                if report.first_bad_seq is None:
                    report.first_bad_seq = (last.seq + 1) if last else 1
            sign_events = {
                str(row.event["details"].get("signature_id")): row.seq
                for row in chain
                if row.event["action"] == "review.sign"
            }
            for review_id in sess.scalars(select(SignatureRow.review_id).distinct()):
                review = repo.get_review_row(sess, review_id=review_id)
                for signed in self.signatures(sess, review_id):
                    report.signatures_checked += 1
                    problem = self._signature_problem(sess, signed, hashes, sign_events)
                    if problem:
                        report.problems.append(problem)
                if review.state == ReviewState.signed.value:
                    parties = {s.signer_role for s in self._current_signatures(sess, review)}
                    if parties != {Party.manager.value, Party.employee.value}:
                        report.problems.append(
                            f"review {review.id} is archived but its signatures do not cover its current "
                            "version and field responses (they were changed after signing)"
                        )
        return report

    @staticmethod
    def _signature_problem(
        sess: Session, signed: SignedRecord, hashes: dict[int, str], sign_events: dict[str, int]
    ) -> str | None:
        rec = signed.record
        who = f"{rec.signer_role} {rec.signer_name} <{rec.signer_email}>"
        content = repo.get_version(sess, review_id=rec.review_id, version=rec.version).content
        problem = check_signed(signed, content, signing_keys.verify, signing_keys.fingerprint_or_empty)
        if problem:
            return problem
        if rec.audit_head_seq and hashes.get(rec.audit_head_seq) != rec.audit_head_hash:
            return f"signature {rec.id} by {who} is anchored at audit seq {rec.audit_head_seq}, now missing or changed"
        if rec.id not in sign_events:
            return f"signature {rec.id} by {who} has no audit event"
        return None


def _item_payload(item: ActionItemRow) -> dict[str, Any]:
    return {
        "action_item_id": item.id,
        "review_id": item.review_id,
        "owner": item.owner,
        "owner_user_id": item.owner_user_id,
        "task": item.task,
        "due": item.due.isoformat() if item.due else None,
        "status": item.status,
    }


def action_item_model(item: TrackedItem) -> ActionItem:
    return ActionItem(owner=item.owner, task=item.task, due=item.due, status=item.status)
