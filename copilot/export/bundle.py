"""The JSON export of a signed review: self-contained and verifiable offline.

It carries the exact content signed, both signature records with their
signatures and public keys, the employee's field responses (which the
signatures cover), the Certificate of Completion and the review's audit
events with the chain head at export time (an anchor to compare later
chains against). `verify_bundle` needs nothing but this file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from copilot import signing_keys
from copilot.domain.canonical import content_hash
from copilot.domain.signing import SignedRecord, check_signed
from copilot.errors import InputError

FORMAT = "review-copilot/signed-review"
FORMAT_VERSION = 1


def certificate(review: dict[str, Any], content_sha256: str, signatures: list[SignedRecord]) -> dict[str, Any]:
    """Certificate of Completion: who signed what (by hash), when, affirming which intent."""
    records = sorted((s.record for s in signatures), key=lambda r: r.signed_at)
    return {
        "title": "Certificate of Completion",
        "review_id": review["id"],
        "version": review["version"],
        "content_sha256": content_sha256,
        "completed_at": records[-1].signed_at.isoformat() if records else None,
        "signers": [
            {
                "name": r.signer_name,
                "email": r.signer_email,
                "role": r.signer_role,
                "signed_at": r.signed_at.isoformat(),
                "intent": r.intent,
                "signature_id": r.id,
                "key_id": r.key_id,
                "algorithm": r.algorithm,
            }
            for r in records
        ],
    }


def build_bundle(
    *,
    review: dict[str, Any],
    content: dict[str, Any],
    signatures: list[SignedRecord],
    responses: list[dict[str, Any]],
    comments: list[dict[str, Any]],
    evidence_times: dict[str, float],
    audit_events: list[dict[str, Any]],
    audit_head: dict[str, Any],
    exported_at: dt.datetime,
) -> dict[str, Any]:
    digest = content_hash(content)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at.isoformat(),
        "review": review,
        "content": content,
        "content_sha256": digest,
        "field_responses": responses,
        "comments": comments,
        "evidence_times": evidence_times,
        "signatures": [s.model_dump(mode="json") for s in signatures],
        "certificate": certificate(review, digest, signatures),
        "audit": {"events": audit_events, "head": audit_head},
    }


@dataclass
class BundleReport:
    """Outcome of an offline check of a JSON export."""

    content_sha256: str | None = None
    signers: list[str] = field(default_factory=list)
    key_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(data: Any, *, trusted_key_ids: set[str] | None = None) -> BundleReport:
    """Check hashes, both Ed25519 signatures, the responses they cover and the certificate.

    With `trusted_key_ids`, every signing key must also be one of them (keys
    embedded in the file prove integrity, pinned keys prove who).
    """
    report = BundleReport()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a Review Copilot signed-review export (format {FORMAT!r} expected)")
    try:
        review, content = data["review"], data["content"]
        responses = list(data["field_responses"])
        signed = [SignedRecord.model_validate(s) for s in data["signatures"]]
        cert = data["certificate"]
    except (KeyError, TypeError, ValidationError) as exc:
        raise InputError(f"export is incomplete or malformed: {exc}") from exc
    digest = content_hash(content)
    report.content_sha256 = digest
    if digest != data.get("content_sha256"):
        report.problems.append("content does not match its recorded sha256: the review text was changed")
    roles: set[str] = set()
    for s in signed:
        rec = s.record
        report.signers.append(
            f"{rec.signer_role} {rec.signer_name} <{rec.signer_email}> at {rec.signed_at.isoformat()}"
        )
        report.key_ids.append(rec.key_id)
        if rec.review_id != review.get("id") or rec.version != review.get("version"):
            report.problems.append(f"signature {rec.id} by {rec.signer_name} is for another review or version")
            continue
        problem = check_signed(s, content, signing_keys.verify, signing_keys.fingerprint_or_empty, responses)
        if problem:
            report.problems.append(problem)
            continue
        if trusted_key_ids is not None and rec.key_id not in trusted_key_ids:
            report.problems.append(
                f"signature {rec.id} by {rec.signer_name} uses key {rec.key_id}, which is not trusted"
            )
            continue
        roles.add(rec.signer_role)
    if not report.problems and roles != {"manager", "employee"}:
        report.problems.append("the export does not carry valid signatures of both the manager and the employee")
    if cert != certificate(review, digest, signed):
        report.problems.append("the Certificate of Completion does not match the signatures and content")
    return report
