"""`copilot reviews`: the review lifecycle from the shell; `--as EMAIL` names the person acting.

Permissions are checked by the lifecycle service, exactly as for the API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import ValidationError
from rich.table import Table

from copilot.cli._common import console, err_console, read_json, write_json
from copilot.cli.summarize import load_transcript
from copilot.cli.users import user_id_for
from copilot.domain.diff import assign
from copilot.errors import ConflictError, InputError
from copilot.schema import ReviewDraft
from copilot.services import Services, build_services

reviews_app = typer.Typer(help="Co-edit, comment, respond, sign, archive and export reviews.", no_args_is_help=True)

As = Annotated[str, typer.Option("--as", help="Email of the person acting.")]
ReviewId = Annotated[str, typer.Argument(help="Review id.")]


def _ctx(actor_email: str) -> tuple[Services, str]:
    services = build_services()
    return services, user_id_for(services, actor_email)


def load_draft(path: Path) -> ReviewDraft:
    try:
        return ReviewDraft.model_validate(read_json(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"{path} is not a review draft: {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc


def _value(text: str) -> Any:
    """`--set` values are JSON when they parse as JSON, plain text otherwise."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


@reviews_app.command("create")
def create(
    actor: As,
    employee: Annotated[str, typer.Option(help="Email of the employee reviewed (must report to you).")],
    draft: Annotated[Path, typer.Option(help="ReviewDraft JSON (from `copilot summarize`).")],
    transcript: Annotated[Path | None, typer.Option(help="Transcript JSON the draft cites.")] = None,
) -> None:
    """Start a review from a draft; open action items of earlier reviews are carried over."""
    services, actor_id = _ctx(actor)
    review = services.lifecycle.create(
        actor_id,
        employee_id=user_id_for(services, employee),
        draft=load_draft(draft),
        transcript=load_transcript(transcript) if transcript else None,
    )
    typer.echo(review.id)


@reviews_app.command("list")
def list_(actor: As) -> None:
    """The reviews you may see."""
    services, actor_id = _ctx(actor)
    table = Table("id", "employee", "manager", "meeting", "state", "version", "deadline (UTC)")
    for r in services.lifecycle.list_reviews(actor_id):
        deadline = r.deadline_at.isoformat(timespec="minutes") if r.deadline_at else ""
        table.add_row(r.id, r.employee, r.manager, r.meeting_date.isoformat(), r.state, str(r.version), deadline)
    console.print(table)


@reviews_app.command("show")
def show(
    review_id: ReviewId, actor: As, out: Annotated[Path | None, typer.Option(help="Write JSON here.")] = None
) -> None:
    """Print a review with its state and latest version as JSON."""
    services, actor_id = _ctx(actor)
    write_json(services.lifecycle.get(actor_id, review_id).model_dump(mode="json"), out)


@reviews_app.command("history")
def history(review_id: ReviewId, actor: As) -> None:
    """Every version with author, time and field-level changes."""
    services, actor_id = _ctx(actor)
    for v in services.lifecycle.history(actor_id, review_id):
        console.print(
            f"[bold]v{v.version}[/] {v.created_at.isoformat()} by {v.author_id} sha256 {v.content_sha256[:16]}…"
        )
        for c in v.changes:
            console.print(f"  {c['op']:8} {c['path']}: {c['before']!r} → {c['after']!r}", highlight=False, markup=False)


@reviews_app.command("send")
def send(review_id: ReviewId, actor: As) -> None:
    """Send the draft to the employee; the signing deadline starts."""
    services, actor_id = _ctx(actor)
    review = services.lifecycle.send(actor_id, review_id)
    console.print(f"{review.id} is {review.state.value}; sign by {review.deadline_at}", highlight=False)


@reviews_app.command("edit")
def edit(
    review_id: ReviewId,
    actor: As,
    draft: Annotated[Path | None, typer.Option(help="Edited ReviewDraft JSON.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="PATH=VALUE one-field edit (repeatable).")] = None,
    base_version: Annotated[int | None, typer.Option(help="Version your edit is based on (default: latest).")] = None,
) -> None:
    """Save a new version; a stale base version is refused and shows the other party's changes."""
    services, actor_id = _ctx(actor)
    current = services.lifecycle.get(actor_id, review_id)
    base = base_version or current.version
    if draft is not None:
        new = load_draft(draft)
    elif set_:
        content: Any = current.draft.model_dump(mode="json")
        for item in set_:
            path, sep, value = item.partition("=")
            if not sep:
                raise InputError(f"--set wants PATH=VALUE, got {item!r}")
            content = assign(content, path.strip(), _value(value))
        try:
            new = ReviewDraft.model_validate(content)
        except ValidationError as exc:
            raise InputError(f"edit makes the review invalid: {exc.errors()[0]['msg']}") from exc
    else:
        raise InputError("give --draft FILE or --set PATH=VALUE")
    try:
        review = services.lifecycle.edit(actor_id, review_id, base_version=base, draft=new)
    except ConflictError as exc:
        for change in exc.details.get("their_changes", []):  # type: ignore[attr-defined]
            err_console.print(
                f"  changed meanwhile: {change['path']}: {change['after']!r}", highlight=False, markup=False
            )
        raise
    console.print(f"saved version {review.version}; review is {review.state.value}", highlight=False)


@reviews_app.command("comment")
def comment(
    review_id: ReviewId,
    actor: As,
    field: Annotated[str, typer.Option(help="Field path, e.g. action_items[0].task, or 'review'.")],
    text: Annotated[str, typer.Option(help="The comment.")],
) -> None:
    """Comment on a field."""
    services, actor_id = _ctx(actor)
    row = services.lifecycle.comment(actor_id, review_id, field_path=field, body=text)
    console.print(f"comment {row.id} on {row.field_path}", highlight=False)


@reviews_app.command("respond")
def respond(
    review_id: ReviewId,
    actor: As,
    field: Annotated[str, typer.Option(help="Field path the response is about.")],
    agree: Annotated[bool, typer.Option("--agree", help="Agree with the field.")] = False,
    objection: Annotated[str | None, typer.Option(help="Acknowledge with this objection statement.")] = None,
) -> None:
    """The employee agrees with a field or acknowledges it with an objection (kept with the signed record)."""
    if agree == (objection is not None):
        raise InputError("give exactly one of --agree or --objection TEXT")
    services, actor_id = _ctx(actor)
    decision: Literal["agree", "acknowledge_with_objection"] = "agree" if agree else "acknowledge_with_objection"
    review = services.lifecycle.respond(
        actor_id, review_id, field_path=field, decision=decision, statement=objection or ""
    )
    console.print(f"recorded {decision} on {field}; review is {review.state.value}", highlight=False)


@reviews_app.command("sign")
def sign(
    review_id: ReviewId,
    actor: As,
    version: Annotated[int, typer.Option(help="The exact version you read and sign.")],
    yes: Annotated[bool, typer.Option("--yes", help="Affirm the intent statement without a prompt.")] = False,
) -> None:
    """Sign the exact version you read, affirming the intent statement shown."""
    services, actor_id = _ctx(actor)
    current, statement = services.lifecycle.intent_for(actor_id, review_id)
    if current != version:
        raise ConflictError(f"you asked to sign version {version} but the current version is {current}; read it first")
    console.print(statement, highlight=False)
    if not yes and not typer.confirm("Do you affirm this statement and sign?"):
        raise typer.Abort()
    signed = services.lifecycle.sign(actor_id, review_id, version=version, intent=statement)
    console.print(f"signed: signature {signed.record.id} key {signed.record.key_id[:16]}…", highlight=False)


@reviews_app.command("reopen")
def reopen(review_id: ReviewId, actor: As, reason: Annotated[str, typer.Option(help="Why it is amended.")]) -> None:
    """Start an amendment: a new review linked to the signed one, which stays untouched."""
    services, actor_id = _ctx(actor)
    typer.echo(services.lifecycle.reopen(actor_id, review_id, reason=reason).id)


@reviews_app.command("export")
def export(
    review_id: ReviewId,
    actor: As,
    out: Annotated[Path, typer.Option(help="Output file.")],
    format_: Annotated[str, typer.Option("--format", help="json (verifiable), markdown or pdf.")] = "json",
) -> None:
    """Export an archived review."""
    if format_ not in ("json", "markdown", "pdf"):
        raise InputError(f"--format must be json, markdown or pdf, not {format_!r}")
    services, actor_id = _ctx(actor)
    data = services.lifecycle.export(actor_id, review_id, format_)  # type: ignore[arg-type]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    console.print(f"wrote {out} ({len(data)} bytes)", highlight=False)


@reviews_app.command("overdue")
def overdue(
    actor: Annotated[
        str | None, typer.Option("--as", help="HR email; omit for the operator's scheduled sweep.")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="List only; expire nothing and record no escalation.")] = False,
) -> None:
    """Reviews past their signing deadline; expires them and records escalations to HR."""
    services = build_services()
    actor_id = user_id_for(services, actor) if actor else None
    rows = services.lifecycle.overdue(actor_id, record=not dry_run)
    table = Table("review", "employee", "manager", "state", "deadline (UTC)", "hours overdue", "level", "new")
    for r in rows:
        table.add_row(
            r.review_id,
            r.employee,
            r.manager,
            r.state,
            r.deadline_at.isoformat(timespec="minutes"),
            f"{r.hours_overdue:.1f}",
            str(r.level),
            "yes" if r.new_escalation else "",
        )
    console.print(table)
    console.print(f"{len(rows)} overdue", highlight=False)


@reviews_app.command("items")
def items(
    actor: As,
    owner: Annotated[str | None, typer.Option(help="Only this person's items (email).")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open items.")] = False,
) -> None:
    """Tracked action items you may see, with overdue ones marked."""
    services, actor_id = _ctx(actor)
    owner_id = user_id_for(services, owner) if owner else None
    table = Table("id", "owner", "task", "due", "status", "overdue")
    for it in services.lifecycle.action_items(actor_id, owner_user_id=owner_id, open_only=open_only):
        table.add_row(
            it.id, it.owner, it.task, it.due.isoformat() if it.due else "", it.status, "OVERDUE" if it.overdue else ""
        )
    console.print(table)


@reviews_app.command("item-status")
def item_status(
    item_id: Annotated[str, typer.Argument(help="Action item id.")],
    actor: As,
    status: Annotated[str, typer.Option(help="open, done or dropped.")],
) -> None:
    """Track an action item of a signed review."""
    services, actor_id = _ctx(actor)
    item = services.lifecycle.set_item_status(actor_id, item_id, status)  # type: ignore[arg-type]
    console.print(f"{item.id} is {item.status}", highlight=False)


@reviews_app.command("ics")
def ics(
    actor: As,
    person: Annotated[str, typer.Option(help="Whose open items (email).")],
    out: Annotated[Path, typer.Option(help="Output .ics file.")],
) -> None:
    """Calendar (ICS) of one person's open action items with due dates."""
    services, actor_id = _ctx(actor)
    text = services.lifecycle.calendar(actor_id, user_id_for(services, person))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="")
    console.print(f"wrote {out}", highlight=False)


@reviews_app.command("carry-over")
def carry_over(actor: As, employee: Annotated[str, typer.Option(help="Employee email.")]) -> None:
    """Open action items the next review of this employee should follow up on, as JSON."""
    services, actor_id = _ctx(actor)
    items = services.lifecycle.carry_over(actor_id, user_id_for(services, employee))
    write_json([i.model_dump(mode="json") for i in items], None)


def register(app: typer.Typer) -> None:
    app.add_typer(reviews_app, name="reviews")
