"""People and safety, the pure part: roles, PIN hashing, the lockout rule, who is acting,
and the fingerprint an approval is bound to. No database, no clock, no Qt.

- Roles: ``operator`` prepares and schedules, ``approver`` (the commune's leadership)
  approves bulletins for air, ``admin`` changes settings and users. A user may hold several.
- PINs are 4–8 digits, or a passphrase of 8–128 characters. They are stored as
  ``scrypt$N$r$p$salt$hash`` (base64 salt and hash): a per-user random salt, and the cost
  parameters beside the hash, so the cost can be raised later (:func:`needs_rehash`; the
  next successful login stores a new hash) without locking anybody out.
- Lockout: every ``threshold`` failures in a row lock the user for ``base`` × 2^(k−1)
  (k = how many times in a row the threshold was reached), at most ``longest``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from media.errors import LoaxaError


class Role(StrEnum):
    OPERATOR = "operator"
    APPROVER = "approver"
    ADMIN = "admin"


ALL_ROLES = frozenset(Role)


def parse_roles(text: str | list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[Role]:
    """``"operator,approver"`` (or a list of names) → roles; unknown names are refused."""
    names = text.split(",") if isinstance(text, str) else list(text)
    roles = set()
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            raise LoaxaError("user_bad_role", role=name) from None
    return frozenset(roles)


def roles_text(roles: frozenset[Role] | set[Role]) -> str:
    """Roles in a stable order, comma-separated (how they are stored)."""
    return ",".join(r.value for r in Role if r in roles)


# -- who is acting -------------------------------------------------------------------------
SYSTEM_NAME = "system"
MIGRATION_NAME = "migration"


@dataclass(frozen=True)
class Actor:
    """Who is doing what is done through a :class:`Database`: a logged-in user, or the
    station itself (``system``) while no user exists yet (single-user setup) and for what
    the playout process does on its own."""

    name: str
    roles: frozenset[Role] = frozenset()
    user_id: int | None = None

    @property
    def is_user(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


SYSTEM = Actor(SYSTEM_NAME, ALL_ROLES, None)


# -- PINs ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScryptParams:
    n: int = 2 ** 15  # 32 MiB, 0.12–0.25 s on the reference machine (docs/benchmarks.md)
    r: int = 8
    p: int = 1

    @property
    def memory(self) -> int:
        return 128 * self.r * self.n


DEFAULT_PARAMS = ScryptParams()
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN_DIGITS, PIN_MAX_DIGITS = 4, 8
PASSPHRASE_MIN, PASSPHRASE_MAX = 8, 128


def check_pin(pin: str) -> str:
    """The PIN as it is hashed (NFC), or ``pin_bad`` when it is neither 4–8 digits nor a
    passphrase of 8–128 characters (no control characters, not only spaces)."""
    if not isinstance(pin, str):
        raise LoaxaError("pin_bad")
    pin = unicodedata.normalize("NFC", pin)
    if pin.isascii() and pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        return pin
    if PASSPHRASE_MIN <= len(pin) <= PASSPHRASE_MAX and pin.strip() \
            and not any(unicodedata.category(c) in ("Cc", "Cs") for c in pin):
        return pin
    raise LoaxaError("pin_bad")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=params.n, r=params.r,
                          p=params.p, maxmem=params.memory * 2 + (1 << 20), dklen=HASH_BYTES)


def hash_pin(pin: str, params: ScryptParams = DEFAULT_PARAMS, *,
             salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` of a valid PIN with a new random salt."""
    pin = check_pin(pin)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, params)
    return f"scrypt${params.n}${params.r}${params.p}${_b64(salt)}${_b64(digest)}"


def stored_params(stored: str) -> ScryptParams | None:
    """The parameters a stored hash was made with, or None when it is not one of ours."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        return ScryptParams(int(parts[1]), int(parts[2]), int(parts[3]))
    except ValueError:
        return None


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` is the one ``stored`` was made from (constant-time compare)."""
    params = stored_params(stored)
    if params is None:
        return False
    try:
        _, _, _, _, salt_text, hash_text = stored.split("$")
        salt, expected = base64.b64decode(salt_text), base64.b64decode(hash_text)
        pin = unicodedata.normalize("NFC", pin)
        digest = _scrypt(pin, salt, params)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


def dummy_verify(pin: str, params: ScryptParams = DEFAULT_PARAMS) -> None:
    """Spends the time of one verification (for an unknown user name, so a wrong name
    answers as slowly as a wrong PIN)."""
    _scrypt(unicodedata.normalize("NFC", pin), b"\0" * SALT_BYTES, params)


def needs_rehash(stored: str, params: ScryptParams = DEFAULT_PARAMS) -> bool:
    """True when the stored hash was made with other (older, cheaper) parameters."""
    return stored_params(stored) != params


# -- lockout ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int = 5  # failures in a row that lock
    base: timedelta = timedelta(minutes=5)  # the first lock
    longest: timedelta = timedelta(hours=24)  # locks grow ×2 up to this


DEFAULT_LOCKOUT = LockoutPolicy()


def after_failure(failures: int, now: datetime,
                  policy: LockoutPolicy = DEFAULT_LOCKOUT) -> tuple[int, datetime | None]:
    """One more failure after ``failures`` in a row: (new count, locked until or None)."""
    failures += 1
    if failures % policy.threshold:
        return failures, None
    times = failures // policy.threshold
    length = min(policy.base * (2 ** (times - 1)), policy.longest)
    return failures, now + length


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


# -- approval ----------------------------------------------------------------------------------
def approval_fingerprint(level: str, body: str) -> str:
    """What an approval covers: the bulletin's level and text (not its title, which is not
    read on air). An approval whose fingerprint no longer matches counts as none, whatever
    wrote the change. Migration 0006 computes the same formula: never change it without a
    migration that recomputes the stored fingerprints."""
    material = f"{level}\n{body}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(material).hexdigest()


def user_name_ok(name: str) -> str:
    """A login name: 1–40 characters, no control characters, trimmed (NFC)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or len(name) > 40 or any(unicodedata.category(c).startswith("C")
                                         for c in name):
        raise LoaxaError("user_bad_name", name=name[:40])
    if name.lower() in (SYSTEM_NAME, MIGRATION_NAME):
        raise LoaxaError("user_name_reserved", name=name)
    return name
