"""Authentication: argon2 passwords, login sessions, personal API tokens, lock-out.

Tokens are random opaque strings shown to the user once; the database keeps
only their sha256, so a stolen backup cannot be replayed. A login yields a
short-lived access token plus a refresh token; refreshing rotates both, and
logging out or disabling the user revokes them. Every check also requires the
user to be active, so a disabled account stops working even mid-session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from copilot.domain.permissions import Actor, can_manage_users
from copilot.errors import AuthenticationError, InputError, NotFound, PermissionDenied, RateLimited
from copilot.ports import Clock, SystemClock
from copilot.schema import Role, UserPublic
from copilot.settings import Settings
from copilot.storage import Database, repo
from copilot.storage.auth_models import ApiTokenRow, AuthSessionRow, LoginAttemptRow
from copilot.storage.models import UserRow, new_id

log = logging.getLogger("copilot.auth")

ACCESS_PREFIX = "rca_"
REFRESH_PREFIX = "rcr_"
API_TOKEN_PREFIX = "rcp_"
SCOPES = ("read", "write")
"""`read` allows GET requests; `write` allows changes. Object rules apply on top of either."""

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
# verified against when the email is unknown, so a miss costs as long as a hit
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """argon2id hash with the library's recommended parameters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Principal:
    """Who is calling and with what: the rule actor plus the token's scopes."""

    actor: Actor
    name: str
    scopes: frozenset[str]
    session_id: str | None = None
    api_token_id: str | None = None


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str


@dataclass(frozen=True)
class ApiTokenInfo:
    id: str
    name: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool
    last_used_at: dt.datetime | None


class AuthService:
    """Logins, sessions, API tokens and user administration, over one database."""

    def __init__(self, db: Database, settings: Settings, clock: Clock | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock or SystemClock()

    # ------------------------------------------------------------------ login

    def login(self, email: str, password: str) -> IssuedTokens:
        """Password login; refuses (429) while the email is locked out, even with the right password."""
        email = email.strip().lower()
        now = self.clock.now()
        with self.db.session() as sess:
            locked = self._locked_out(sess, email, now)
            user = repo.find_user_by_email(sess, email=email)
            user_id, stored, active = (user.id, user.password_hash, user.active) if user else (None, None, False)
        if locked:
            log.warning("login refused: locked out", extra={"event": "auth.locked_out"})
            raise RateLimited("too many failed logins; try again later")
        ok = verify_password(stored, password) and active  # outside any transaction: argon2 is slow on purpose
        with self.db.session() as sess:
            sess.add(LoginAttemptRow(email=email, at=now, success=ok))
            issued = self._start_session(sess, user_id, now) if ok and user_id else None
        if issued is None:
            log.warning("login failed", extra={"event": "auth.login_failed"})
            raise AuthenticationError("wrong email or password")
        log.info("login", extra={"event": "auth.login", "actor_id": user_id})
        return issued

    def _locked_out(self, sess: Session, email: str, now: dt.datetime) -> bool:
        since = now - dt.timedelta(seconds=self.settings.login_lockout_s)
        last_ok = sess.scalar(
            select(func.max(LoginAttemptRow.at)).where(LoginAttemptRow.email == email, LoginAttemptRow.success)
        )
        if last_ok is not None and _aware(last_ok) > since:
            since = _aware(last_ok)
        failures = sess.scalar(
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(LoginAttemptRow.email == email, ~LoginAttemptRow.success, LoginAttemptRow.at > since)
        )
        return int(failures or 0) >= self.settings.login_max_failures

    def _start_session(self, sess: Session, user_id: str, now: dt.datetime) -> IssuedTokens:
        access, refresh = _new_token(ACCESS_PREFIX), _new_token(REFRESH_PREFIX)
        row = AuthSessionRow(
            id=new_id(),
            user_id=user_id,
            refresh_hash=token_hash(refresh),
            access_hash=token_hash(access),
            access_expires_at=now + dt.timedelta(seconds=self.settings.access_token_ttl_s),
            expires_at=now + dt.timedelta(seconds=self.settings.refresh_token_ttl_s),
            created_at=now,
        )
        sess.add(row)
        sess.flush()
        return IssuedTokens(access, refresh, self.settings.access_token_ttl_s, row.id)

    def refresh(self, refresh_token: str) -> IssuedTokens:
        """Rotate both tokens of a live session; an old refresh token then stops working."""
        now = self.clock.now()
        with self.db.session() as sess:
            row = sess.scalar(select(AuthSessionRow).where(AuthSessionRow.refresh_hash == token_hash(refresh_token)))
            if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
                raise AuthenticationError("refresh token is invalid, expired or revoked")
            user = sess.get(UserRow, row.user_id)
            if user is None or not user.active:
                raise AuthenticationError("refresh token is invalid, expired or revoked")
            access, refresh = _new_token(ACCESS_PREFIX), _new_token(REFRESH_PREFIX)
            row.access_hash, row.refresh_hash = token_hash(access), token_hash(refresh)
            row.access_expires_at = now + dt.timedelta(seconds=self.settings.access_token_ttl_s)
            return IssuedTokens(access, refresh, self.settings.access_token_ttl_s, row.id)

    def logout(self, principal: Principal) -> None:
        """Revoke the calling session (access and refresh token alike)."""
        if principal.session_id is None:
            raise InputError("logout needs a login session; revoke API tokens with DELETE /auth/tokens/{id}")
        with self.db.session() as sess:
            row = sess.get(AuthSessionRow, principal.session_id)
            if row is not None and row.revoked_at is None:
                row.revoked_at = self.clock.now()

    # ------------------------------------------------------------------ per request

    def authenticate(self, token: str) -> Principal:
        """Resolve a bearer token (access token or personal API token) to a live, active user."""
        now = self.clock.now()
        with self.db.session() as sess:
            if token.startswith(API_TOKEN_PREFIX):
                api = sess.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash(token)))
                if api is None or api.revoked_at is not None or (api.expires_at and _aware(api.expires_at) <= now):
                    raise AuthenticationError("API token is invalid, expired or revoked")
                user = self._active_user(sess, api.user_id)
                api.last_used_at = now
                return Principal(_actor(user), user.name, frozenset(api.scopes), api_token_id=api.id)
            row = sess.scalar(select(AuthSessionRow).where(AuthSessionRow.access_hash == token_hash(token)))
            if row is None or row.revoked_at is not None or _aware(row.access_expires_at) <= now:
                raise AuthenticationError("access token is invalid, expired or revoked")
            user = self._active_user(sess, row.user_id)
            return Principal(_actor(user), user.name, frozenset(SCOPES), session_id=row.id)

    @staticmethod
    def _active_user(sess: Session, user_id: str) -> UserRow:
        user = sess.get(UserRow, user_id)
        if user is None or not user.active:
            raise AuthenticationError("this account is disabled")
        return user

    # ------------------------------------------------------------------ API tokens

    def create_api_token(
        self, principal: Principal, *, name: str, scopes: list[str], expires_in_days: int | None
    ) -> tuple[ApiTokenInfo, str]:
        """A personal token for an integration; the raw token is returned once and never stored."""
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise InputError(f"scopes must be a non-empty subset of {list(SCOPES)}; got {scopes}")
        if principal.api_token_id is not None:
            raise PermissionDenied("API tokens cannot mint further tokens; log in with a password")
        now = self.clock.now()
        raw = _new_token(API_TOKEN_PREFIX)
        with self.db.session() as sess:
            row = ApiTokenRow(
                id=new_id(),
                user_id=principal.actor.id,
                name=name,
                token_hash=token_hash(raw),
                scopes=sorted(set(scopes)),
                created_at=now,
                expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
            )
            sess.add(row)
            sess.flush()
            info = _token_info(row)
        log.info("api token created", extra={"event": "auth.token_created", "actor_id": principal.actor.id})
        return info, raw

    def list_api_tokens(self, principal: Principal) -> list[ApiTokenInfo]:
        with self.db.session() as sess:
            rows = sess.scalars(
                select(ApiTokenRow).where(ApiTokenRow.user_id == principal.actor.id).order_by(ApiTokenRow.created_at)
            )
            return [_token_info(r) for r in rows]

    def revoke_api_token(self, principal: Principal, token_id: str) -> None:
        with self.db.session() as sess:
            row = sess.get(ApiTokenRow, token_id)
            if row is None or row.user_id != principal.actor.id:
                raise NotFound(f"API token {token_id} not found")
            if row.revoked_at is None:
                row.revoked_at = self.clock.now()

    # ------------------------------------------------------------------ users (admin)

    def create_user(
        self, principal: Principal, *, name: str, email: str, role: Role, manager_id: str | None, password: str
    ) -> UserPublic:
        self._require_admin(principal)
        with self.db.session() as sess:
            row = repo.add_user(
                sess, name=name, email=email, role=role, manager_id=manager_id, password_hash=hash_password(password)
            )
            repo.append_audit(
                sess,
                actor_id=principal.actor.id,
                action="user.create",
                object_type="user",
                object_id=row.id,
                details={"role": role.value},
            )
            return repo.user_public(row)

    def list_users(self, principal: Principal) -> list[UserPublic]:
        self._require_admin(principal)
        with self.db.session() as sess:
            return [repo.user_public(r) for r in repo.list_users(sess)]

    def disable_user(self, user_id: str, *, actor_id: str | None) -> UserPublic:
        """Disable an account and revoke every session and API token it holds."""
        now = self.clock.now()
        with self.db.session() as sess:
            row = repo.get_user(sess, user_id=user_id)
            row.active = False
            revoke_all_credentials(sess, user_id=user_id, now=now)
            repo.append_audit(sess, actor_id=actor_id, action="user.disable", object_type="user", object_id=user_id)
            return repo.user_public(row)

    def disable_user_as(self, principal: Principal, user_id: str) -> UserPublic:
        self._require_admin(principal)
        if user_id == principal.actor.id:
            raise InputError("you cannot disable your own account")
        return self.disable_user(user_id, actor_id=principal.actor.id)

    def set_password(self, principal: Principal, user_id: str, password: str) -> None:
        """Admins reset anyone's password; users change their own. Existing sessions end either way."""
        if principal.actor.id != user_id:
            self._require_admin(principal)
        self.reset_password(user_id, password, actor_id=principal.actor.id)

    def reset_password(self, user_id: str, password: str, *, actor_id: str | None) -> None:
        """Set a password (operator or checked caller) and end the user's login sessions."""
        new_hash = hash_password(password)
        with self.db.session() as sess:
            row = repo.get_user(sess, user_id=user_id)
            row.password_hash = new_hash
            revoke_all_credentials(sess, user_id=user_id, now=self.clock.now(), api_tokens=False)
            repo.append_audit(sess, actor_id=actor_id, action="user.password", object_type="user", object_id=user_id)

    def _require_admin(self, principal: Principal) -> None:
        if not can_manage_users(principal.actor):
            log.warning(
                "access denied",
                extra={
                    "event": "access.denied",
                    "actor_id": principal.actor.id,
                    "role": principal.actor.role.value,
                    "action": "users.manage",
                },
            )
            raise PermissionDenied("not found")


def revoke_all_credentials(sess: Session, *, user_id: str, now: dt.datetime, api_tokens: bool = True) -> None:
    """End every login session (and by default every API token) of a user, inside the caller's transaction."""
    sess.execute(
        update(AuthSessionRow)
        .where(AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if api_tokens:
        sess.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _actor(user: UserRow) -> Actor:
    return Actor(id=user.id, role=Role(user.role))


def _token_info(row: ApiTokenRow) -> ApiTokenInfo:
    return ApiTokenInfo(
        id=row.id,
        name=row.name,
        scopes=list(row.scopes),
        created_at=_aware(row.created_at),
        expires_at=_aware(row.expires_at) if row.expires_at else None,
        revoked=row.revoked_at is not None,
        last_used_at=_aware(row.last_used_at) if row.last_used_at else None,
    )
