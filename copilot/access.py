"""Object access checks for every face, in one place, on top of the pure rules.

Services call `ReviewAccess` before reading or changing a review, so the API,
CLI and UI cannot disagree. A refusal raises `PermissionDenied` (a 404 at the
API, like a missing object) and logs who tried what on which id, never content.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from copilot.domain import permissions as rules
from copilot.domain.lifecycle import visible_to_employee
from copilot.domain.permissions import Actor, OrgChart
from copilot.errors import NotFound, PermissionDenied
from copilot.schema import ReviewState, Role
from copilot.storage import repo
from copilot.storage.models import ActionItemRow, JobRow, ReviewRow, UserRow

log = logging.getLogger("copilot.access")


class ReviewAction(StrEnum):
    view = "view"
    edit = "edit"
    comment = "comment"
    respond = "respond"
    send = "send"
    sign = "sign"
    reopen = "reopen"
    update_action_item = "update_action_item"
    relabel_speakers = "relabel_speakers"


class ReviewAccess:
    """Loads objects for an actor and refuses, identically to 'not found', what the rules forbid."""

    def __init__(self, *, managers_see_all_reports: bool = False) -> None:
        self.transitive = managers_see_all_reports

    @staticmethod
    def org_chart(sess: Session) -> OrgChart:
        return OrgChart({row[0]: row[1] for row in sess.execute(select(UserRow.id, UserRow.manager_id))})

    def allowed(self, sess: Session, actor: Actor, review: ReviewRow, action: ReviewAction) -> bool:
        emp, mgr = review.employee_id, review.manager_id
        if action is ReviewAction.view:
            org = self.org_chart(sess) if actor.role is Role.manager else OrgChart()
            return rules.can_view_review(
                actor, emp, mgr, org, transitive=self.transitive, state=ReviewState(review.state)
            )
        if action is ReviewAction.respond:
            return rules.can_respond_to_field(actor, emp)
        if action is ReviewAction.send:
            return rules.can_send_review(actor, mgr)
        if action is ReviewAction.reopen:
            return rules.can_reopen_review(actor, mgr)
        return rules.can_edit_review(actor, emp, mgr)

    def review(
        self, sess: Session, actor: Actor, review_id: str, action: ReviewAction = ReviewAction.view
    ) -> ReviewRow:
        """The review, if it exists and `actor` may do `action` to it; otherwise a 404-shaped refusal.

        A party who may see a review but not do `action` (e.g. an employee sending) is told
        plainly, since the review's existence is no secret to them.
        """
        try:
            row = repo.get_review_row(sess, review_id=review_id)
        except NotFound:
            raise NotFound(f"review {review_id} not found") from None
        if self.allowed(sess, actor, row, action):
            return row
        visible = action is not ReviewAction.view and self.allowed(sess, actor, row, ReviewAction.view)
        self.deny(actor, action=action.value, object_type="review", object_id=review_id)
        if visible:
            raise PermissionDenied(f"your role may not {action.value.replace('_', ' ')} this review")
        raise PermissionDenied(f"review {review_id} not found")

    def visible_reviews(self, sess: Session, actor: Actor) -> Select[ReviewRow]:
        """A query for exactly the reviews `actor` may view, for listings and batch reads."""
        query = select(ReviewRow)
        if actor.role in (Role.hr, Role.auditor):
            return query
        if actor.role is Role.employee:
            hidden_states = [st.value for st in ReviewState if not visible_to_employee(st)]
            return query.where(ReviewRow.employee_id == actor.id, ReviewRow.state.not_in(hidden_states))
        if actor.role is Role.manager:
            org = self.org_chart(sess)
            reports = [uid for uid in org.manager_of if org.manages(actor.id, uid, transitive=self.transitive)]
            return query.where(
                or_(
                    ReviewRow.manager_id == actor.id,
                    ReviewRow.employee_id == actor.id,
                    ReviewRow.employee_id.in_(reports),
                )
            )
        return query.where(ReviewRow.id.is_(None))  # admins: no review content at all

    def filter_visible(
        self, sess: Session, actor: Actor, review_ids: Sequence[str]
    ) -> tuple[list[ReviewRow], list[str]]:
        """Split requested ids into visible rows and the rest (missing or forbidden look alike)."""
        wanted = list(dict.fromkeys(review_ids))
        rows = {r.id: r for r in sess.scalars(self.visible_reviews(sess, actor).where(ReviewRow.id.in_(wanted)))}
        hidden = [rid for rid in wanted if rid not in rows]
        for rid in hidden:
            self.deny(actor, action="view", object_type="review", object_id=rid)
        return [rows[rid] for rid in wanted if rid in rows], hidden

    def employee_for_recording(self, sess: Session, actor: Actor, employee_id: str) -> UserRow:
        """The employee a manager records a meeting with: must report to them."""
        org = self.org_chart(sess)
        if employee_id not in org.manager_of or not rules.can_record_meeting(
            actor, employee_id, org, transitive=self.transitive
        ):
            self.deny(actor, action="record", object_type="user", object_id=employee_id)
            raise PermissionDenied(f"employee {employee_id} not found")
        return repo.get_user(sess, user_id=employee_id)

    def action_item(self, sess: Session, actor: Actor, item_id: str) -> ActionItemRow:
        """An action item of a review the actor may see; missing and hidden items are refused alike."""
        item = sess.get(ActionItemRow, item_id)
        review = sess.get(ReviewRow, item.review_id) if item is not None else None
        if item is None or review is None or not self.allowed(sess, actor, review, ReviewAction.view):
            if item is not None:
                self.deny(actor, action="view", object_type="action_item", object_id=item_id)
            raise NotFound(f"action item {item_id} not found")
        return item

    def job(self, sess: Session, actor: Actor, job_id: str) -> JobRow:
        """A job is visible to the manager who queued it, and to HR."""
        row = sess.get(JobRow, job_id)
        if row is None:
            raise NotFound(f"job {job_id} not found")
        if actor.role is Role.hr or row.payload.get("manager_id") == actor.id:
            return row
        self.deny(actor, action="view", object_type="job", object_id=job_id)
        raise PermissionDenied(f"job {job_id} not found")

    def require(
        self, actor: Actor, allowed: bool, *, action: str, object_type: str, object_id: str | None = None
    ) -> None:
        """Refuse a non-object action (search, audit verify, KPI import) the rules forbid."""
        if not allowed:
            self.deny(actor, action=action, object_type=object_type, object_id=object_id)
            raise PermissionDenied("not found")

    @staticmethod
    def deny(actor: Actor, *, action: str, object_type: str, object_id: str | None) -> None:
        log.warning(
            "access denied",
            extra={
                "event": "access.denied",
                "actor_id": actor.id,
                "role": actor.role.value,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
            },
        )
