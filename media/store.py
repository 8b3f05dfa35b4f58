"""Content-addressed audio files: ``<root>/<sha256[:2]>/<sha256>.<ext>``."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class AssetStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, relpath: str) -> Path:
        return self.root / Path(relpath)

    def adopt(self, source: Path) -> tuple[str, str]:
        """Move ``source`` into the store; returns (sha256, path relative to the store)."""
        sha = sha256_file(source)
        rel = f"{sha[:2]}/{sha}{source.suffix.lower()}"
        target = self.path_for(rel)
        if target.exists() and sha256_file(target) == sha:
            source.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        return sha, rel
