"""The full loop from the command line on the demo meeting (fake transcript and drafter, no model needed).

draft → send → both edit → employee objects to one field → both sign → archived → PDF and JSON exports →
`copilot verify` offline in a separate process → webhook delivered → `audit verify`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from copilot.cli import app
from copilot.errors import ConflictError
from tests.lifecycle.helpers import REPO_ROOT, demo_draft, demo_transcript
from tests.lifecycle.test_hris import SECRET, FlakyReceiver, serve

runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def copilot_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in its own process, as a person would run it."""
    return subprocess.run(
        [sys.executable, "-m", "copilot", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.mark.e2e
def test_full_review_loop_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("users", "add", "--name", "Dana Lee", "--email", "dana@example.com", "--role", "manager")
    cli(
        "users",
        "add",
        "--name",
        "Priya Shah",
        "--email",
        "priya@example.com",
        "--role",
        "employee",
        "--manager",
        "dana@example.com",
    )
    cli("users", "add", "--name", "Hana Ruiz", "--email", "hr@example.com", "--role", "hr")
    assert "Priya Shah" in cli("users", "list")
    transcript = demo_transcript()
    (tmp_path / "transcript.json").write_text(transcript.model_dump_json(), encoding="utf-8")
    (tmp_path / "draft.json").write_text(demo_draft(transcript).model_dump_json(), encoding="utf-8")

    review_id = cli(
        "reviews",
        "create",
        "--as",
        "dana@example.com",
        "--employee",
        "priya@example.com",
        "--draft",
        str(tmp_path / "draft.json"),
        "--transcript",
        str(tmp_path / "transcript.json"),
    ).strip()
    assert "in_review" in cli("reviews", "send", review_id, "--as", "dana@example.com")
    cli(
        "reviews",
        "edit",
        review_id,
        "--as",
        "dana@example.com",
        "--set",
        "summary[0].text=Migration finished on time; latency work continues.",
    )
    cli(
        "reviews",
        "edit",
        review_id,
        "--as",
        "priya@example.com",
        "--set",
        "contributions[0].statement=Moved all twelve jobs, with zero downtime.",
    )
    cli(
        "reviews",
        "comment",
        review_id,
        "--as",
        "priya@example.com",
        "--field",
        "action_items[0].due",
        "--text",
        "Friday works.",
    )
    cli(
        "reviews",
        "respond",
        review_id,
        "--as",
        "priya@example.com",
        "--field",
        "improvement_areas[0]",
        "--objection",
        "Two of those delays were announced in the team channel first.",
    )
    history = cli("reviews", "history", review_id, "--as", "priya@example.com")
    assert "v3" in history and "contributions[0].statement" in history
    for who in ("dana@example.com", "priya@example.com"):
        assert "signed: signature" in cli("reviews", "sign", review_id, "--as", who, "--version", "3", "--yes")
    shown = json.loads(cli("reviews", "show", review_id, "--as", "hr@example.com"))
    assert (shown["state"], shown["version"]) == ("signed", 3)

    with pytest.raises(ConflictError, match="signed and archived"):
        cli("reviews", "edit", review_id, "--as", "dana@example.com", "--set", "summary[0].text=Sneaky change")

    exports = tmp_path / "exports"
    for fmt, name in (("pdf", "review.pdf"), ("json", "review.json"), ("markdown", "review.md")):
        cli("reviews", "export", review_id, "--as", "hr@example.com", "--format", fmt, "--out", str(exports / name))
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(BytesIO((exports / "review.pdf").read_bytes())).pages)
    assert "acknowledges with objection" in pdf_text and "Certificate of Completion" in pdf_text
    assert "announced in the team channel" in (exports / "review.md").read_text(encoding="utf-8")

    keys = tmp_path / "keys"
    keys.mkdir()
    for who in ("dana", "priya"):
        (keys / f"{who}.pem").write_text(cli("users", "public-key", f"{who}@example.com"), encoding="utf-8")

    # offline: a separate process with no usable database at all
    offline = {"COPILOT_HOME": str(tmp_path / "elsewhere"), "COPILOT_DATABASE_URL": "sqlite:////nonexistent/x.db"}
    ok = copilot_process(
        "verify",
        str(exports / "review.json"),
        "--key",
        str(keys / "dana.pem"),
        "--key",
        str(keys / "priya.pem"),
        env=offline,
    )
    assert ok.returncode == 0, ok.stderr
    assert "both signatures valid with trusted keys" in ok.stdout and "employee Priya Shah" in ok.stdout

    tampered = json.loads((exports / "review.json").read_text(encoding="utf-8"))
    tampered["content"]["summary"][0]["text"] = "Migration was late."
    tampered["content_sha256"] = __import__("copilot.domain.canonical", fromlist=["x"]).content_hash(
        tampered["content"]
    )
    (tmp_path / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    bad = copilot_process("verify", str(tmp_path / "tampered.json"), env=offline)
    assert bad.returncode == 76
    assert "by manager Dana Lee <dana@example.com> is invalid" in " ".join(bad.stderr.split())

    receiver = FlakyReceiver(fail=0.3, drop_before=0.05, drop_after=0.05, seed=11)
    with serve(receiver) as url:
        monkeypatch.setenv("COPILOT_HRIS_WEBHOOK_URL", url)
        monkeypatch.setenv("COPILOT_HRIS_WEBHOOK_SECRET", SECRET.decode())
        monkeypatch.setenv("COPILOT_HRIS_BACKOFF_BASE_S", "0.01")
        monkeypatch.setenv("COPILOT_HRIS_BACKOFF_MAX_S", "0.1")
        assert "pending 0" in cli("hris", "deliver", "--max-seconds", "60")
    types = sorted(e["type"] for e in receiver.effects.values())  # type: ignore[type-var]
    assert types == ["action_item.created"] * 3 + ["review.signed"]
    assert set(receiver.applied.values()) == {1}
    assert "delivered 4, pending 0, dead 0" in cli("hris", "status")

    audit = copilot_process("audit", "verify", "--anchor", str(exports / "review.json"))
    assert audit.returncode == 0, audit.stderr
    assert "signatures valid, 1 anchors found" in audit.stdout
    cli(
        "reviews",
        "ics",
        "--as",
        "priya@example.com",
        "--person",
        "priya@example.com",
        "--out",
        str(tmp_path / "priya.ics"),
    )
    assert "SUMMARY:Send the latency plan" in (tmp_path / "priya.ics").read_text(encoding="utf-8")
    assert "0 overdue" in cli("reviews", "overdue", "--as", "hr@example.com")
