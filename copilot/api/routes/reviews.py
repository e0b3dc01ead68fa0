"""Reviews: listing, reading, versions, batch reads, HR search, transcripts, action items.

Every handler gets its objects through `ReviewAccess`, which applies the one
rule set and answers 404 for anything not the caller's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import String, cast, func, or_, select

from copilot.access import ReviewAction
from copilot.api.deps import AccessDep, PrincipalDep, ServicesDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.domain import permissions as rules
from copilot.errors import NotFound
from copilot.schema import ReviewDraft, ReviewPublic, ReviewState, StrictModel, Transcript
from copilot.storage import repo
from copilot.storage.models import ActionItemRow, ReviewRow, ReviewVersionRow
from copilot.transcripts import relabel_speakers

router = APIRouter(tags=["reviews"], responses=ERROR_RESPONSES)


class BatchRequest(StrictModel):
    ids: list[str] = Field(min_length=1, max_length=200, description="Review ids to read.")


class BatchResponse(StrictModel):
    reviews: list[ReviewPublic] = Field(description="The reviews you may see, in request order.")
    not_found: list[str] = Field(description="Ids that do not exist or are not yours (indistinguishable).")


class SpeakerRelabel(StrictModel):
    mapping: dict[str, str] = Field(min_length=1, description="Old speaker label → new label.")


class ActionItemPublic(StrictModel):
    id: str = Field(description="Action item id.")
    review_id: str = Field(description="Review it came from.")
    owner: str = Field(description="Who does it.")
    task: str = Field(description="What to do.")
    due: dt.date | None = Field(default=None, description="Due date.")
    status: str = Field(description="open, done or dropped.")


def action_item_public(row: ActionItemRow) -> ActionItemPublic:
    return ActionItemPublic(
        id=row.id, review_id=row.review_id, owner=row.owner, task=row.task, due=row.due, status=row.status
    )


@router.get("/reviews", response_model=list[ReviewPublic])
def list_reviews(
    principal: PrincipalDep,
    services: ServicesDep,
    access: AccessDep,
    state: ReviewState | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ReviewPublic]:
    """The reviews you may see, newest first."""
    with services.db.session() as sess:
        query = access.visible_reviews(sess, principal.actor)
        if state is not None:
            query = query.where(ReviewRow.state == state.value)
        rows = sess.scalars(query.order_by(ReviewRow.created_at.desc(), ReviewRow.id).limit(limit).offset(offset))
        return [repo.review_public(sess, r) for r in rows]


@router.post("/reviews/batch", response_model=BatchResponse)
def batch_reviews(
    body: BatchRequest, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> BatchResponse:
    """Read many reviews at once; ids you may not see are listed as not found, like missing ones."""
    with services.db.session() as sess:
        rows, hidden = access.filter_visible(sess, principal.actor, body.ids)
        return BatchResponse(reviews=[repo.review_public(sess, r) for r in rows], not_found=hidden)


def _stored_forms(query: str) -> set[str]:
    """The query as typed and as the JSON column stores it (non-ASCII as \\u escapes, quotes escaped)."""
    lowered = query.lower()
    return {lowered, json.dumps(lowered)[1:-1]}


@router.get("/reviews/search", response_model=list[ReviewPublic])
def search_reviews(
    principal: PrincipalDep,
    services: ServicesDep,
    access: AccessDep,
    q: Annotated[str, Query(min_length=2, max_length=200, description="Text to find in the current version.")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ReviewPublic]:
    """Full-text search over current review versions (HR only)."""
    access.require(principal.actor, rules.can_search_reviews(principal.actor), action="search", object_type="review")
    text_of = func.lower(cast(ReviewVersionRow.content, String))
    with services.db.session() as sess:
        current = (
            select(ReviewRow)
            .join(
                ReviewVersionRow,
                (ReviewVersionRow.review_id == ReviewRow.id) & (ReviewVersionRow.version == ReviewRow.current_version),
            )
            .where(or_(*(text_of.contains(form, autoescape=True) for form in _stored_forms(q))))
            .order_by(ReviewRow.created_at.desc(), ReviewRow.id)
            .limit(limit)
        )
        return [repo.review_public(sess, r) for r in sess.scalars(current)]


@router.get("/reviews/{review_id}/versions/{version}", response_model=ReviewDraft)
def get_version(
    review_id: str, version: int, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> ReviewDraft:
    """The exact content of one version."""
    with services.db.session() as sess:
        access.review(sess, principal.actor, review_id)
        return ReviewDraft.model_validate(repo.get_version(sess, review_id=review_id, version=version).content)


@router.get("/reviews/{review_id}/transcript", response_model=Transcript)
def get_transcript(review_id: str, principal: PrincipalDep, services: ServicesDep, access: AccessDep) -> Transcript:
    """The transcript the review was drafted from."""
    with services.db.session() as sess:
        row = access.review(sess, principal.actor, review_id)
        if row.transcript_id is None:
            raise NotFound(f"review {review_id} has no transcript")
        return repo.get_transcript(sess, transcript_id=row.transcript_id)


@router.patch("/reviews/{review_id}/transcript/speakers", response_model=Transcript)
def relabel_transcript_speakers(
    review_id: str, body: SpeakerRelabel, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> Transcript:
    """Rename speakers (e.g. speaker_0 → manager); the parties only."""
    with services.db.session() as sess:
        row = access.review(sess, principal.actor, review_id, ReviewAction.relabel_speakers)
        if row.transcript_id is None:
            raise NotFound(f"review {review_id} has no transcript")
        return relabel_speakers(
            sess, transcript_id=row.transcript_id, mapping=body.mapping, actor_id=principal.actor.id
        )


@router.get("/reviews/{review_id}/action-items", response_model=list[ActionItemPublic])
def list_action_items(
    review_id: str, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> list[ActionItemPublic]:
    """The review's tracked action items."""
    with services.db.session() as sess:
        access.review(sess, principal.actor, review_id)
        return [action_item_public(r) for r in repo.list_action_items(sess, review_id=review_id)]
