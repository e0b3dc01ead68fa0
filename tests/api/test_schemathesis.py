"""Property-based fuzzing of the live API with schemathesis, as authenticated users.

Every operation in the OpenAPI document gets generated valid and invalid
inputs; any 5xx, or a response (status, content type, headers, body) that the
schema does not describe, fails the run. Bounded (few examples per operation)
so it fits the test budget.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from copilot.services import Services
from copilot.storage import repo
from tests.api.live import live_server
from tests.api.world import build_world

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("role", ["m1", "hr"])
def test_schemathesis_no_5xx_and_schema_conformant(api_services: Services, tmp_path: Path, role: str) -> None:
    st = Path(sys.executable).with_name("st")
    if not st.exists():
        pytest.fail("schemathesis is not installed (pip install -e '.[dev]')")
    with live_server(api_services) as base, httpx.Client(base_url=base) as http:
        world = build_world(api_services, http)  # type: ignore[arg-type]
        report = tmp_path / "report.json"
        # real ids, so generated requests also reach the logic behind the access checks
        with api_services.db.session() as sess:
            item_id = repo.list_action_items(sess, review_id=world.reviews["r1"])[0].id
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            f'[parameters]\nreview_id = "{world.reviews["r1"]}"\nitem_id = "{item_id}"\nuser_id = "{world.ids[role]}"\n'
        )
        proc = subprocess.run(
            [
                str(st),
                "--config-file",
                str(config),
                "run",
                f"{base}/openapi.json",
                "-H",
                f"Authorization: Bearer {world.tokens[role]}",
                "--checks",
                CHECKS,
                "--max-examples",
                "8",
                "--seed",
                "7731",
                "--workers",
                "1",
                "--phases",
                "examples,coverage,fuzzing",
                "--no-color",
                "--exclude-path",
                "/auth/logout",
                "--generation-database",
                "none",
                "--request-timeout",
                "20",
                "--report",
                "json",
                "--report-json-path",
                str(report),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    summary = proc.stdout[-20000:]
    assert proc.returncode == 0, summary
    print(summary.splitlines()[-12:] if summary else "")  # noqa: T201  (counts for the API notes)
    assert report.exists() and json.loads(report.read_text())
