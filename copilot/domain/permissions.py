"""Who may do what to which review: pure rules, one rule set for every face.

Services call these before touching an object and turn a refusal into
`PermissionDenied` (shown as 404 by the API so existence does not leak).
No I/O here: callers pass the facts (actor, the review's parties, the org chart).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from copilot.domain.lifecycle import visible_to_employee
from copilot.schema import ReviewState, Role


@dataclass(frozen=True)
class Actor:
    """The authenticated person acting, as far as the rules care."""

    id: str
    role: Role


@dataclass(frozen=True)
class OrgChart:
    """Who reports to whom: user id → manager id (None at the top)."""

    manager_of: Mapping[str, str | None] = field(default_factory=dict)

    def manages(self, manager_id: str, employee_id: str, *, transitive: bool = False) -> bool:
        """True when `employee_id` reports to `manager_id` (directly, or at any depth if transitive)."""
        seen: set[str] = set()
        current = self.manager_of.get(employee_id)
        while current is not None and current not in seen:
            if current == manager_id:
                return True
            if not transitive:
                return False
            seen.add(current)
            current = self.manager_of.get(current)
        return False


def is_party(actor: Actor, review_employee_id: str, review_manager_id: str) -> bool:
    """The two people a review is between: the employee reviewed and the reviewing manager."""
    return (actor.role is Role.employee and actor.id == review_employee_id) or (
        actor.role is Role.manager and actor.id == review_manager_id
    )


def can_view_review(
    actor: Actor,
    review_employee_id: str,
    review_manager_id: str,
    org: OrgChart,
    *,
    transitive: bool = False,
    state: ReviewState | None = None,
) -> bool:
    """Employees see their own once sent; managers their reports'; HR and auditors all; admins none."""
    if actor.role in (Role.hr, Role.auditor):
        return True
    if actor.role is Role.employee:
        return actor.id == review_employee_id and (state is None or visible_to_employee(state))
    if actor.role is Role.manager:
        return actor.id in (review_manager_id, review_employee_id) or org.manages(
            actor.id, review_employee_id, transitive=transitive
        )
    return False


def can_edit_review(actor: Actor, review_employee_id: str, review_manager_id: str) -> bool:
    """Only the two parties co-edit, comment on and sign a review; HR, auditors and admins never do."""
    return is_party(actor, review_employee_id, review_manager_id)


can_comment_review = can_edit_review
can_sign_review = can_edit_review
can_update_action_item = can_edit_review
can_relabel_speakers = can_edit_review


def can_respond_to_field(actor: Actor, review_employee_id: str) -> bool:
    """Agreement or objection to a field is the employee's voice only."""
    return actor.role is Role.employee and actor.id == review_employee_id


def can_send_review(actor: Actor, review_manager_id: str) -> bool:
    """The reviewing manager sends the draft to the employee."""
    return actor.role is Role.manager and actor.id == review_manager_id


def can_reopen_review(actor: Actor, review_manager_id: str) -> bool:
    """An amendment is started by the reviewing manager or by HR."""
    return actor.role is Role.hr or (actor.role is Role.manager and actor.id == review_manager_id)


def can_record_meeting(actor: Actor, employee_id: str, org: OrgChart, *, transitive: bool = False) -> bool:
    """A manager records a review meeting with someone who reports to them."""
    return actor.role is Role.manager and org.manages(actor.id, employee_id, transitive=transitive)


def can_search_reviews(actor: Actor) -> bool:
    """Full-text and cross-employee search is for HR."""
    return actor.role is Role.hr


def can_import_kpis(actor: Actor) -> bool:
    """KPI data comes from HR systems."""
    return actor.role is Role.hr


def can_verify_audit(actor: Actor) -> bool:
    """Checking the audit chain reveals no content, and is the auditor's (and HR's) job."""
    return actor.role in (Role.auditor, Role.hr)


def can_manage_users(actor: Actor) -> bool:
    """Admins manage accounts and never see review content."""
    return actor.role is Role.admin
