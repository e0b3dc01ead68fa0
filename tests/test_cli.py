"""The public CLI contracts and their bad-input behaviour, through a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, shared_data

COPILOT = [sys.executable, "-m", "copilot"]
JFK_WORDS = (
    "and so my fellow americans ask not what your country can do for you ask what you can do for your country"
).split()


def run(
    *args: str, home: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    full_env.update({"COPILOT_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"})
    full_env.update(env or {})
    return subprocess.run(
        [*COPILOT, *args], capture_output=True, text=True, env=full_env, cwd=REPO_ROOT, timeout=timeout, check=False
    )


def assert_clean_error(proc: subprocess.CompletedProcess[str], pattern: str) -> None:
    """Expected errors: non-zero exit, one line on stderr, no traceback."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip() and "━" not in line and "%" not in line]
    assert len(lines) == 1, proc.stderr
    assert re.search(pattern, lines[0]), lines[0]


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (None, "audio file not found"),
        (b"", "audio file is empty"),
        (b"this is a text file, not audio\n" * 20, "cannot decode|no audio stream"),
        (b"RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00" + b"\x00" * 7, "cannot decode|no audio"),
    ],
    ids=["missing", "empty", "text", "corrupt-header"],
)
def test_transcribe_bad_input_is_one_clear_line(tmp_path: Path, content: bytes | None, pattern: str) -> None:
    audio = tmp_path / "meeting.wav"
    if content is not None:
        audio.write_bytes(content)
    proc = run("transcribe", str(audio), home=tmp_path / "home", timeout=120)
    assert_clean_error(proc, pattern)
    assert proc.returncode == 65


def test_transcribe_missing_model_says_how_to_fix(tmp_path: Path) -> None:
    proc = run(
        "transcribe",
        str(shared_data("audio", "jfk.flac")),
        home=tmp_path / "home",
        env={"COPILOT_ASR_MODEL": str(tmp_path / "no-such-model")},
        timeout=120,
    )
    assert_clean_error(proc, "COPILOT_ASR_MODEL")
    assert proc.returncode == 69


def test_transcribe_rejects_unknown_language(tmp_path: Path) -> None:
    proc = run("transcribe", str(shared_data("audio", "jfk.flac")), "--language", "fr", home=tmp_path / "home")
    assert_clean_error(proc, "unknown language")


@pytest.mark.parametrize(
    ("content", "date", "pattern"),
    [
        ("{not json", "2026-11-30", "not valid JSON"),
        ('{"language": "en", "segments": []}', "2026-11-30", "duration_s"),
        ('{"language": "en", "duration_s": 1, "segments": []}', "30/11/2026", "YYYY-MM-DD"),
    ],
    ids=["malformed", "missing-key", "bad-date"],
)
def test_summarize_bad_input_is_one_clear_line(tmp_path: Path, content: str, date: str, pattern: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(content)
    proc = run("summarize", str(path), "--meeting-date", date, home=tmp_path / "home", timeout=120)
    assert_clean_error(proc, pattern)


@pytest.mark.e2e
@pytest.mark.slow
def test_transcribe_contract_on_real_speech(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    proc = run("transcribe", str(shared_data("audio", "jfk.flac")), "--out", str(out), home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert set(data) >= {"language", "duration_s", "segments"}
    assert data["language"] == "en"
    assert 10.5 < data["duration_s"] < 11.5
    for seg in data["segments"]:
        assert set(seg) >= {"id", "start", "end", "speaker", "text"}
    words = re.sub(r"[^a-z ]", "", " ".join(s["text"] for s in data["segments"]).lower()).split()
    assert words == JFK_WORDS


def test_a_commands_exit_code_reaches_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """typer.Exit(code) inside a command must become the exit status (click only returns it otherwise)."""
    import typer

    from copilot.cli import app, main

    def probe() -> None:
        raise typer.Exit(code=75)

    app.command("exit-probe")(probe)
    try:
        monkeypatch.setattr(sys, "argv", ["copilot", "exit-probe"])
        with pytest.raises(SystemExit) as raised:
            main()
        assert raised.value.code == 75
        monkeypatch.setattr(sys, "argv", ["copilot", "--help"])
        with pytest.raises(SystemExit) as raised:
            main()
        assert raised.value.code == 0
    finally:
        app.registered_commands.pop()


@pytest.mark.parametrize(
    ("args", "env", "code", "pattern"),
    [
        (["--meeting-kind", "bogus"], {}, 2, r"Invalid value for '--meeting-kind'.*'auto', 'review', 'check_in'"),
        (["--nope"], {}, 2, r"No such option: --nope"),
        ([], {"COPILOT_MEETING_KIND": "bogus"}, 78, r"invalid setting: COPILOT_MEETING_KIND: Input should be"),
    ],
    ids=["bad-choice", "unknown-option", "bad-setting"],
)
def test_a_bad_option_or_setting_is_a_clear_error_not_a_traceback(
    tmp_path: Path, args: list[str], env: dict[str, str], code: int, pattern: str
) -> None:
    transcript = tmp_path / "transcript.json"
    transcript.write_text(
        '{"language": "en", "duration_s": 5, "segments": '
        '[{"id": 0, "start": 0, "end": 4, "speaker": "manager", "text": "Just a quick check-in."}]}'
    )
    proc = run("summarize", str(transcript), "--meeting-date", "2026-11-30", *args, home=tmp_path / "home", env=env)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert re.search(pattern, proc.stderr), proc.stderr
    assert proc.stdout == ""  # no half-written draft
