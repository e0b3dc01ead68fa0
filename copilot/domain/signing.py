"""Signature records: what exactly a signer affirms, as canonical bytes.

A record binds the signer, their role, the intent statement they affirmed,
the UTC time, the sha256 of the canonical JSON of the exact version signed
and the audit chain head at that moment (an anchor: deleting later audit rows
cannot hide that the chain once reached that point). Ed25519 signs the
canonical payload; key handling lives in the `copilot.signing_keys` adapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from pydantic import Field

from copilot.domain.canonical import canonical_json, content_hash
from copilot.schema import StrictModel

ALGORITHM = "Ed25519"

SignatureVerifier = Callable[[str, bytes, str], bool]
"""(public key PEM, payload bytes, base64 signature) → valid?"""


def intent_statement(role: str, version: int, content_sha256: str) -> str:
    """The words a signer affirms; they name the exact version so no other text can be meant."""
    return (
        f"I, the {role}, have read version {version} of this performance review "
        f"(sha256 {content_sha256}) and sign it electronically. I agree that it records our review meeting, "
        "together with any objections noted in it."
    )


class SignatureRecord(StrictModel):
    """Everything a signature covers; its canonical JSON is the signed payload."""

    id: str = Field(description="Signature id (UUID).")
    review_id: str = Field(description="Review signed.")
    version: int = Field(ge=1, description="Exact version signed.")
    content_sha256: str = Field(description="sha256 of the canonical JSON of that version.")
    signer_id: str = Field(description="User id of the signer.")
    signer_name: str = Field(description="Signer's display name at signing time.")
    signer_email: str = Field(description="Signer's email at signing time.")
    signer_role: Literal["manager", "employee"] = Field(description="Which party signed.")
    intent: str = Field(description="Intent statement the signer affirmed.")
    signed_at: dt.datetime = Field(description="UTC time of signing.")
    responses_sha256: str = Field(
        description="sha256 of the employee's field responses (agreements, objections) in force at signing."
    )
    key_id: str = Field(description="Fingerprint (sha256 of the raw public key) of the signing key.")
    algorithm: Literal["Ed25519"] = Field(default="Ed25519", description="Signature algorithm.")
    audit_head_seq: int = Field(ge=0, description="Last audit event sequence number before this signature.")
    audit_head_hash: str = Field(description="Hash of that audit event (genesis hash when none).")

    def payload(self) -> bytes:
        """The canonical bytes Ed25519 signs."""
        return canonical_json(self.model_dump(mode="json"))


class SignedRecord(StrictModel):
    """A record with its Ed25519 signature and the signer's public key, verifiable offline."""

    record: SignatureRecord
    signature_b64: str = Field(description="Base64 Ed25519 signature over record.payload().")
    public_key_pem: str = Field(description="Signer's public key (PEM, SubjectPublicKeyInfo).")


def responses_digest(responses: Iterable[Mapping[str, Any]]) -> str:
    """Hash of the field responses a signature covers: field, decision and statement, by field."""
    core = sorted(
        ({"field_path": r["field_path"], "decision": r["decision"], "statement": r["statement"]} for r in responses),
        key=lambda r: str(r["field_path"]),
    )
    return content_hash(core)


def check_signed(
    signed: SignedRecord,
    content: Any,
    verify: SignatureVerifier,
    fingerprint: Callable[[str], str],
    responses: Iterable[Mapping[str, Any]] | None = None,
) -> str | None:
    """None when the signature holds for `content`; otherwise why it does not, naming the signer."""
    rec = signed.record
    who = f"{rec.signer_role} {rec.signer_name} <{rec.signer_email}>"
    if fingerprint(signed.public_key_pem) != rec.key_id:
        return f"signature {rec.id} by {who} is invalid: public key does not match key id {rec.key_id}"
    if content_hash(content) != rec.content_sha256:
        return f"signature {rec.id} by {who} is invalid: version {rec.version} no longer matches what was signed"
    if responses is not None and responses_digest(responses) != rec.responses_sha256:
        return f"signature {rec.id} by {who} is invalid: the field responses differ from what was signed"
    if not verify(signed.public_key_pem, rec.payload(), signed.signature_b64):
        return f"signature {rec.id} by {who} is invalid: Ed25519 check failed"
    return None
