"""Ed25519 key adapter: one key pair per signer, private half on disk, public half exportable.

The server holds each user's private key (like a remote signing service) in
`$COPILOT_HOME/keys/`, readable by the service user only; the public key is
recorded in the database and embedded in every export, so anyone can verify
a signature offline with nothing but the export and `copilot verify`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from copilot.errors import ConfigError, InputError


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InputError("public key is not an Ed25519 key")
    return key


def fingerprint(pem: str) -> str:
    """Key id: sha256 of the raw 32-byte public key."""
    raw = load_public(pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def fingerprint_or_empty(pem: str) -> str:
    """Fingerprint, or '' for a malformed key, so a check reports a mismatch instead of crashing."""
    try:
        return fingerprint(pem)
    except InputError:
        return ""


def verify(pem: str, payload: bytes, signature_b64: str) -> bool:
    """True when `signature_b64` is a valid Ed25519 signature of `payload` by `pem`'s key."""
    try:
        load_public(pem).verify(base64.b64decode(signature_b64, validate=True), payload)
    except (InvalidSignature, InputError, binascii.Error, ValueError):
        return False
    return True


class KeyStore:
    """Per-user Ed25519 keys in one directory (mode 0700, files 0600)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, user_id: str) -> Path:
        if not user_id or "/" in user_id or user_id.startswith("."):
            raise InputError(f"bad user id for a key file: {user_id!r}")
        return self.directory / f"{user_id}.ed25519.pem"

    def private_key(self, user_id: str) -> Ed25519PrivateKey:
        """The user's key, created on first use; written atomically so a crash leaves no half file."""
        path = self._path(user_id)
        if not path.exists():
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, pem)
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, path)  # fails if another process created it first: keep theirs
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        try:
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"signing key file {path} is unreadable: {exc}") from exc
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ConfigError(f"signing key file {path} is not an Ed25519 key")
        return loaded

    def public_pem(self, user_id: str) -> str:
        return public_pem(self.private_key(user_id).public_key())

    def sign(self, user_id: str, payload: bytes) -> str:
        """Base64 Ed25519 signature of `payload` with the user's key."""
        return base64.b64encode(self.private_key(user_id).sign(payload)).decode("ascii")
