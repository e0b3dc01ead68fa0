"""Co-editing, comments, agreement/objection, send, sign, reopen and tracked action items.

Thin over `ReviewLifecycle`, which checks permissions and state for every call
(through the same `ReviewAccess` rules) and audits every change.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import Field

from copilot.api.deps import AccessDep, PrincipalDep, ServicesDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.domain.signing import SignedRecord
from copilot.errors import CopilotError, InputError
from copilot.lifecycle import ExportFormat, TrackedItem
from copilot.schema import ReviewDraft, ReviewPublic, StrictModel

router = APIRouter(tags=["lifecycle"], responses=ERROR_RESPONSES)
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


class PreconditionRequired(CopilotError):
    """An edit must say which version it is based on (If-Match or base_version)."""

    exit_code = 65
    http_status = 428


class EditRequest(StrictModel):
    draft: ReviewDraft = Field(description="The full new content of the review.")
    base_version: int | None = Field(
        default=None, ge=1, description="Version this edit is based on; or send it as the If-Match header."
    )


class CommentCreate(StrictModel):
    field_path: str = Field(
        min_length=1, max_length=200, description="Field commented on, e.g. 'summary[0]', or 'review'."
    )
    body: str = Field(min_length=1, max_length=10_000, description="The comment.")


class CommentPublic(StrictModel):
    id: str = Field(description="Comment id.")
    version: int = Field(description="Version commented on.")
    field_path: str = Field(description="Field commented on, e.g. 'summary[0]', or 'review'.")
    author_id: str = Field(description="Who wrote it.")
    body: str = Field(description="The comment.")
    created_at: dt.datetime = Field(description="When (UTC).")


class ResponseCreate(StrictModel):
    field_path: str = Field(
        min_length=1, max_length=200, description="Field responded to, e.g. 'action_items[0].task'."
    )
    decision: Literal["agree", "acknowledge_with_objection"] = Field(description="The employee's position.")
    statement: str = Field(default="", max_length=10_000, description="Required with an objection.")


class FieldResponse(StrictModel):
    field_path: str = Field(description="Field responded to.")
    decision: Literal["agree", "acknowledge_with_objection"] = Field(description="The employee's position.")
    statement: str = Field(description="The employee's statement.")
    version: int = Field(description="Version responded to.")
    at: str = Field(description="When (UTC, ISO 8601).")


class Intent(StrictModel):
    version: int = Field(description="The version you would sign now.")
    intent: str = Field(description="The statement to affirm, verbatim, when signing.")


class SignRequest(StrictModel):
    version: int = Field(ge=1, description="The exact version you read and sign.")
    intent: str = Field(min_length=1, max_length=2000, description="The intent statement from GET .../intent.")


class ReopenRequest(StrictModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why the signed review is amended.")


class VersionSummary(StrictModel):
    version: int = Field(description="Version number, from 1.")
    author_id: str | None = Field(default=None, description="Who saved it (none for a generated draft).")
    created_at: dt.datetime = Field(description="When it was saved (UTC).")
    content_sha256: str = Field(description="sha256 of the canonical JSON of the draft.")
    changes: list[dict[str, Any]] = Field(description="Field-level diff against the previous version.")


class ActionItemTracked(StrictModel):
    id: str = Field(description="Action item id.")
    review_id: str = Field(description="Review it came from.")
    owner: str = Field(description="Who does it, as said.")
    owner_user_id: str | None = Field(default=None, description="The owner's user id, when resolved.")
    task: str = Field(description="What to do.")
    due: dt.date | None = Field(default=None, description="Due date.")
    status: str = Field(description="open, done or dropped.")
    overdue: bool = Field(description="Open and past its due date.")


class ItemStatusChange(StrictModel):
    status: Literal["open", "done", "dropped"] = Field(description="New status.")


def _tracked(item: TrackedItem) -> ActionItemTracked:
    return ActionItemTracked(
        id=item.id,
        review_id=item.review_id,
        owner=item.owner,
        owner_user_id=item.owner_user_id,
        task=item.task,
        due=item.due,
        status=item.status,
        overdue=item.overdue,
    )


def base_version(if_match: str | None, body_version: int | None) -> int:
    """The version an edit is based on: If-Match (ETag) wins, then the body; one is required."""
    if if_match is not None:
        found = _ETAG.match(if_match.strip())
        if found is None:
            raise InputError('If-Match must be the review ETag, e.g. "3"')
        return int(found.group(1))
    if body_version is None:
        raise PreconditionRequired('say which version you edited: send If-Match: "<version>" or base_version')
    return body_version


@router.get("/reviews/{review_id}", response_model=ReviewPublic)
def get_review(review_id: str, response: Response, principal: PrincipalDep, services: ServicesDep) -> ReviewPublic:
    """One review with its latest version; the ETag is the version number, for If-Match on edits."""
    review = services.lifecycle.get(principal.actor.id, review_id)
    response.headers["ETag"] = f'"{review.version}"'
    return review


@router.get("/reviews/{review_id}/versions", response_model=list[VersionSummary])
def list_versions(review_id: str, principal: PrincipalDep, services: ServicesDep) -> list[VersionSummary]:
    """Every saved version with its field-level diff, oldest first."""
    return [
        VersionSummary(
            version=v.version,
            author_id=v.author_id,
            created_at=v.created_at,
            content_sha256=v.content_sha256,
            changes=v.changes,
        )
        for v in services.lifecycle.history(principal.actor.id, review_id)
    ]


@router.put(
    "/reviews/{review_id}",
    response_model=ReviewPublic,
    responses={428: {"description": "Neither If-Match nor base_version was given."}},
)
def edit_review(
    review_id: str,
    body: EditRequest,
    response: Response,
    principal: PrincipalDep,
    services: ServicesDep,
    if_match: Annotated[str | None, Header(description='The ETag you read, e.g. "3".')] = None,
) -> ReviewPublic:
    """Save a new version; a stale base version answers 409 with the other party's changes and saves nothing."""
    review = services.lifecycle.edit(
        principal.actor.id, review_id, base_version=base_version(if_match, body.base_version), draft=body.draft
    )
    response.headers["ETag"] = f'"{review.version}"'
    return review


@router.get("/reviews/{review_id}/comments", response_model=list[CommentPublic])
def list_comments(review_id: str, principal: PrincipalDep, services: ServicesDep) -> list[CommentPublic]:
    """Comments on the review's fields, oldest first."""
    return [
        CommentPublic(
            id=c.id,
            version=c.version,
            field_path=c.field_path,
            author_id=c.author_id,
            body=c.body,
            created_at=c.created_at,
        )
        for c in services.lifecycle.comments(principal.actor.id, review_id)
    ]


@router.post("/reviews/{review_id}/comments", response_model=CommentPublic, status_code=status.HTTP_201_CREATED)
def add_comment(review_id: str, body: CommentCreate, principal: PrincipalDep, services: ServicesDep) -> CommentPublic:
    """Comment on a field (or on the whole review with field_path 'review')."""
    c = services.lifecycle.comment(principal.actor.id, review_id, field_path=body.field_path, body=body.body)
    return CommentPublic(
        id=c.id, version=c.version, field_path=c.field_path, author_id=c.author_id, body=c.body, created_at=c.created_at
    )


@router.get("/reviews/{review_id}/responses", response_model=list[FieldResponse])
def list_responses(review_id: str, principal: PrincipalDep, services: ServicesDep) -> list[FieldResponse]:
    """The employee's agreement or objection per field, as in force now."""
    return [FieldResponse.model_validate(r) for r in services.lifecycle.responses(principal.actor.id, review_id)]


@router.post("/reviews/{review_id}/responses", response_model=ReviewPublic)
def respond(review_id: str, body: ResponseCreate, principal: PrincipalDep, services: ServicesDep) -> ReviewPublic:
    """The employee agrees with a field or acknowledges it with an objection (kept with the signed record)."""
    return services.lifecycle.respond(
        principal.actor.id, review_id, field_path=body.field_path, decision=body.decision, statement=body.statement
    )


@router.post("/reviews/{review_id}/send", response_model=ReviewPublic)
def send(review_id: str, principal: PrincipalDep, services: ServicesDep) -> ReviewPublic:
    """The manager sends the draft to the employee; the signing deadline starts."""
    return services.lifecycle.send(principal.actor.id, review_id)


@router.get("/reviews/{review_id}/intent", response_model=Intent)
def intent(review_id: str, principal: PrincipalDep, services: ServicesDep) -> Intent:
    """The version you would sign and the intent statement to affirm for it."""
    version, statement = services.lifecycle.intent_for(principal.actor.id, review_id)
    return Intent(version=version, intent=statement)


@router.post("/reviews/{review_id}/sign", response_model=SignedRecord, status_code=status.HTTP_201_CREATED)
def sign(review_id: str, body: SignRequest, principal: PrincipalDep, services: ServicesDep) -> SignedRecord:
    """Sign the exact version you read, affirming the intent statement; the second signature archives it."""
    return services.lifecycle.sign(principal.actor.id, review_id, version=body.version, intent=body.intent)


@router.post("/reviews/{review_id}/reopen", response_model=ReviewPublic, status_code=status.HTTP_201_CREATED)
def reopen(review_id: str, body: ReopenRequest, principal: PrincipalDep, services: ServicesDep) -> ReviewPublic:
    """Start an amendment of a signed review: a new linked review; the signed one stays untouched."""
    return services.lifecycle.reopen(principal.actor.id, review_id, reason=body.reason)


@router.get("/action-items", response_model=list[ActionItemTracked])
def tracked_items(
    principal: PrincipalDep,
    services: ServicesDep,
    owner_user_id: Annotated[str | None, Query(max_length=36, description="Only this person's items.")] = None,
    open_only: Annotated[bool, Query(description="Only open items.")] = False,
) -> list[ActionItemTracked]:
    """Action items of the reviews you may see, with overdue marked."""
    items = services.lifecycle.action_items(principal.actor.id, owner_user_id=owner_user_id, open_only=open_only)
    return [_tracked(i) for i in items]


@router.patch("/action-items/{item_id}", response_model=ActionItemTracked)
def set_item_status(
    item_id: str, body: ItemStatusChange, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> ActionItemTracked:
    """Track an item of a signed review: open, done or dropped."""
    with services.db.session() as sess:  # an item of a review you cannot see is as missing as a missing one
        access.action_item(sess, principal.actor, item_id)
    return _tracked(services.lifecycle.set_item_status(principal.actor.id, item_id, body.status))


EXPORT_MEDIA = {"json": "application/json", "markdown": "text/markdown; charset=utf-8", "pdf": "application/pdf"}
EXPORT_SUFFIX = {"json": "json", "markdown": "md", "pdf": "pdf"}


@router.get(
    "/reviews/{review_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The signed review: JSON (verifiable offline), Markdown or PDF.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/markdown": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def export_review(
    review_id: str,
    principal: PrincipalDep,
    services: ServicesDep,
    fmt: Annotated[ExportFormat, Query(alias="format", description="json, markdown or pdf.")] = "json",
) -> Response:
    """Export a signed review with its signatures, certificate and audit summary (the export is audited)."""
    data = services.lifecycle.export(principal.actor.id, review_id, fmt)
    filename = f"review-{review_id}.{EXPORT_SUFFIX[fmt]}"
    return Response(
        data, media_type=EXPORT_MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(
    "/users/{user_id}/action-items.ics",
    response_class=Response,
    responses={200: {"description": "iCalendar of open, dated items.", "content": {"text/calendar": {}}}},
)
def action_items_calendar(user_id: str, principal: PrincipalDep, services: ServicesDep) -> Response:
    """A person's open, dated action items as an ICS calendar (yours, your reports', or anyone's for HR)."""
    return Response(services.lifecycle.calendar(principal.actor.id, user_id), media_type="text/calendar; charset=utf-8")
