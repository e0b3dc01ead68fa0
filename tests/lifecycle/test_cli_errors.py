"""Bad input on the lifecycle commands: one clear error, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from copilot.cli import app
from copilot.errors import ConfigError, InputError, IntegrityError, NotFound, PermissionDenied
from copilot.services import build_services
from copilot.storage import repo

runner = CliRunner()


def run(*args: str) -> BaseException | None:
    result = runner.invoke(app, list(args))
    return result.exception


def test_bad_inputs_give_one_clear_error(tmp_path: Path) -> None:
    assert run("users", "add", "--name", "Dana", "--email", "dana@example.com", "--role", "manager") is None
    assert run("users", "add", "--name", "Priya", "--email", "p@example.com", "--role", "employee") is None
    err = run("users", "add", "--name", "Dana", "--email", "dana@example.com", "--role", "manager")
    assert isinstance(err, InputError) and "already exists" in str(err)
    err = run("users", "add", "--name", "X", "--email", "x@example.com", "--role", "employee", "--manager", "no@x")
    assert isinstance(err, InputError) and "manager no@x does not exist" in str(err)
    assert isinstance(run("reviews", "send", "nope", "--as", "ghost@example.com"), NotFound)
    assert isinstance(run("reviews", "show", "nope", "--as", "dana@example.com"), NotFound)
    (tmp_path / "draft.json").write_text('{"meeting_date": "2026-11-20", "surprise": 1}', encoding="utf-8")
    err = run(
        "reviews",
        "create",
        "--as",
        "dana@example.com",
        "--employee",
        "p@example.com",
        "--draft",
        str(tmp_path / "draft.json"),
    )
    assert isinstance(err, InputError) and "is not a review draft: surprise" in str(err)
    (tmp_path / "ok.json").write_text('{"meeting_date": "2026-11-20"}', encoding="utf-8")
    err = run(
        "reviews",
        "create",
        "--as",
        "dana@example.com",
        "--employee",
        "p@example.com",
        "--draft",
        str(tmp_path / "ok.json"),
    )
    assert isinstance(err, PermissionDenied)  # Priya does not report to Dana
    (tmp_path / "other.json").write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    err = run("verify", str(tmp_path / "other.json"))
    assert isinstance(err, InputError) and "not a Review Copilot signed-review export" in str(err)
    assert isinstance(run("verify", str(tmp_path / "missing.json")), InputError)
    assert isinstance(
        run("reviews", "export", "x", "--as", "dana@example.com", "--format", "docx", "--out", str(tmp_path / "x")),
        InputError,
    )
    err = run("hris", "deliver")
    assert isinstance(err, ConfigError) and "COPILOT_HRIS_WEBHOOK_URL" in str(err)
    assert run("audit", "verify") is None
    services = build_services()
    with services.db.session() as s:  # nothing half-written: only the two users and their audit events
        assert repo.audit_count(s) == 2
        assert s.scalar(text("SELECT count(*) FROM reviews")) == 0
    services.db.dispose()


def test_audit_verify_exit_code_on_tampering() -> None:
    assert run("users", "add", "--name", "Dana", "--email", "dana@example.com", "--role", "manager") is None
    services = build_services()
    with services.db.session() as s:
        s.execute(text("DROP TRIGGER audit_events_no_update"))
        s.execute(text("UPDATE audit_events SET action = 'user.delete' WHERE seq = 1"))
    err = run("audit", "verify")
    assert isinstance(err, IntegrityError) and "audit chain broken at row seq 1" in str(err)
    assert err.exit_code == 76
    services.db.dispose()
