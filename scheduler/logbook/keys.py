"""The station's Ed25519 signing key: made once, kept in the data folder, never replaced
silently (a new key is a new identity for the centre)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from media.errors import LoaxaError
from scheduler.logbook.chain import fingerprint, station_id_from_public_key

_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


@dataclass(frozen=True)
class StationKey:
    private: Ed25519PrivateKey

    @property
    def public_hex(self) -> str:
        return self.private.public_key().public_bytes(*_RAW).hex()

    @property
    def station_id(self) -> str:
        return station_id_from_public_key(self.public_hex)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_hex)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def verify_signature(public_key_hex: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def read_key(path: Path) -> StationKey:
    """The key in ``path``; a clear error when it is missing or not an Ed25519 key."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoaxaError("station_key_missing", path=str(path)) from None
    except OSError as exc:
        raise LoaxaError("file_unreadable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise LoaxaError("station_key_corrupt", path=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LoaxaError("station_key_corrupt", path=str(path))
    return StationKey(key)


def _write_private(path: Path, data: bytes, *, exclusive: bool) -> bool:
    """Writes ``data`` atomically with mode 0600. With ``exclusive`` an existing file wins
    (returns False): two processes starting on a fresh install end with one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not exclusive:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # atomic, and fails when the file exists
        except FileExistsError:
            return False
        except OSError:
            # File systems without hard links (FAT on a USB stick): a plain rename.
            if path.exists():
                return False
            os.replace(tmp, path)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def create_key(path: Path) -> StationKey:
    """A new key in ``path`` unless one is already there (then that one is returned)."""
    key = Ed25519PrivateKey.generate()
    try:
        created = _write_private(path, _pem(key), exclusive=True)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    return StationKey(key) if created else read_key(path)


def replace_key(path: Path) -> StationKey:
    """The recovery path (``loaxa station new-key --confirm``): a new key; a file that was
    there is kept beside it as ``<name>.replaced-<n>``."""
    key = Ed25519PrivateKey.generate()
    try:
        if path.exists():
            n = 1
            while path.with_name(f"{path.name}.replaced-{n}").exists():
                n += 1
            os.replace(path, path.with_name(f"{path.name}.replaced-{n}"))
        _write_private(path, _pem(key), exclusive=False)
    except OSError as exc:
        raise LoaxaError("file_unwritable", path=str(path), reason=exc.strerror or str(exc)) \
            from None
    return StationKey(key)
