"""Signature records and the Ed25519 key store."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from copilot import signing_keys
from copilot.domain.canonical import content_hash
from copilot.domain.signing import SignatureRecord, SignedRecord, check_signed, intent_statement, responses_digest
from copilot.signing_keys import KeyStore

CONTENT = {"summary": [{"text": "Pipeline finished."}]}


def _signed(keys: KeyStore, user: str = "u1", responses: list[dict[str, str]] | None = None) -> SignedRecord:
    pem = keys.public_pem(user)
    rec = SignatureRecord(
        id="s1",
        review_id="r1",
        version=3,
        content_sha256=content_hash(CONTENT),
        signer_id=user,
        signer_name="Priya Shah",
        signer_email="priya@example.com",
        signer_role="employee",
        intent=intent_statement("employee", 3, content_hash(CONTENT)),
        signed_at=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC),
        responses_sha256=responses_digest(responses or []),
        key_id=signing_keys.fingerprint(pem),
        audit_head_seq=7,
        audit_head_hash="a" * 64,
    )
    return SignedRecord(record=rec, signature_b64=keys.sign(user, rec.payload()), public_key_pem=pem)


def check(s: SignedRecord, content: object, responses: list[dict[str, str]] | None = None) -> str | None:
    return check_signed(s, content, signing_keys.verify, signing_keys.fingerprint_or_empty, responses)


def test_valid_signature_and_each_kind_of_tampering(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys")
    s = _signed(keys)
    assert check(s, CONTENT) is None
    changed = {"summary": [{"text": "Pipeline NOT finished."}]}
    assert "employee Priya Shah <priya@example.com> is invalid: version 3 no longer matches" in str(check(s, changed))
    forged = s.model_copy(
        update={"record": s.record.model_copy(update={"signed_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})}
    )
    assert "Ed25519 check failed" in str(check(forged, CONTENT))
    other_key = s.model_copy(update={"public_key_pem": keys.public_pem("u2")})
    assert "public key does not match" in str(check(other_key, CONTENT))


def test_responses_are_covered(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys")
    objection = {"field_path": "summary[0]", "decision": "acknowledge_with_objection", "statement": "Not quite."}
    s = _signed(keys, responses=[objection])
    assert check(s, CONTENT, [objection]) is None
    softened = dict(objection, statement="Fine.")
    assert "field responses differ" in str(check(s, CONTENT, [softened]))


def test_intent_names_version_and_hash() -> None:
    text = intent_statement("manager", 4, "f" * 64)
    assert "the manager" in text and "version 4" in text and "f" * 64 in text


def test_keys_are_private_stable_and_per_user(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys")
    first = keys.public_pem("u1")
    assert KeyStore(tmp_path / "keys").public_pem("u1") == first  # reloaded from disk
    assert keys.public_pem("u2") != first
    key_file = tmp_path / "keys" / "u1.ed25519.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert len(signing_keys.fingerprint(first)) == 64
    assert not signing_keys.verify(first, b"x", "not base64!")
