"""Files by content: every scenario and result file is stored once, named by its SHA-256.

``<root>/ab/abcdef…`` holds the bytes whose SHA-256 is ``abcdef…``. A file is written into a
temporary file in the same folder, flushed to disk and renamed into place (``os.replace``), so a
reader never sees a partial file under a hash name, and a writer killed half-way leaves only a
temporary file (``.tmp-*``), which is never read. Since a name is its content, writing the same
content twice is harmless, and two processes can store files at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

_HASH = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    """Content-addressed files under ``root``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the file with this hash is (or would be)."""
        if not _HASH.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        """Store ``data``; return its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(data):
            return sha
        target.parent.mkdir(exist_ok=True)
        tmp = target.parent / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return sha

    def put_file(self, source: Path) -> tuple[str, int]:
        """Store a copy of the file ``source``; return its SHA-256 and size [bytes]."""
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        size = source.stat().st_size
        target = self.path(sha)
        if not (target.is_file() and target.stat().st_size == size):
            target.parent.mkdir(exist_ok=True)
            tmp = target.parent / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
            try:
                shutil.copyfile(source, tmp)
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        return sha, size

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def materialise(self, files: Mapping[str, str], folder: Path) -> Path:
        """Copy files (relative POSIX path -> SHA-256) into a new ``folder``, atomically: they
        are copied into a sibling temporary folder, which is renamed to ``folder`` when complete.
        Paths were checked when stored (:func:`restvarme.store.upload.check_name`); they are
        checked again here to stay inside ``folder``."""
        folder = Path(folder)
        tmp = folder.parent / f".tmp-{folder.name}-{secrets.token_hex(4)}"
        tmp.mkdir(parents=True)
        try:
            root = tmp.resolve()
            for rel, sha in files.items():
                target = (tmp / rel).resolve()
                if root not in target.parents:
                    raise ValueError(f"file path outside the folder: {rel[:80]!r}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.path(sha), target)
            try:
                os.rename(tmp, folder)
            except OSError:
                if not folder.is_dir():  # not made by another process meanwhile
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return folder
