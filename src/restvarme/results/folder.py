"""Atomic, owned run folders: how ``restvarme run`` writes its output folder and how every reader
checks it.

Writing (:func:`output_folder`, used by ``restvarme run``/``plan`` and
:func:`restvarme.results.io.write_results`):

1. *Before any work* the target is checked: a path that is a file, a folder that cannot be
   created or written, a folder another restvarme process is writing into, and a folder holding
   files named like restvarme's outputs that no earlier run listed in its manifest are refused
   with a :class:`RunFolderError` (the last one unless ``overwrite``).
2. A lock (``.restvarme.lock`` in the folder, an OS lock that the kernel drops when its process
   ends, even by SIGKILL) is held until the command is done: a second run into the same folder
   fails at once.
3. Every file is written into a hidden staging folder inside the target (same file system),
   flushed to disk and hashed; ``manifest.json`` (files, sizes, SHA-256, restvarme version,
   format version, creation time) is written last.
4. The staged files are renamed into place: first a journal naming every file this run and the
   previous one own is written and the old ``manifest.json`` removed (from here on, until the
   new manifest is in place, every reader rejects the folder), then the previous run's files that
   this run does not write are removed, the new files renamed in, and the new ``manifest.json``
   renamed in last.

A run killed at any point therefore leaves either the previous complete result, or a folder
without a ``manifest.json`` that every reader rejects and that the next run into it replaces
without ``--overwrite`` (the journal and the staging folder say which files were restvarme's).
Files in the folder that are not named like restvarme's outputs (a user's notes, scripts) are
never touched.

Reading (:func:`verify_run_folder`, called by :func:`restvarme.results.io.read_results` and so by
``accounts``, ``waste-heat-value``, ``report`` and ``compare``): ``manifest.json`` must be there,
of a format this restvarme reads, and every file it lists present with its size and SHA-256;
otherwise :class:`IncompleteRunFolderError` ("incomplete run folder: ..."). Hashing costs about
half a second per GB (0.02 s for 39 MB; the Lund example's run folder is 9.3 MB, its
``results.nc`` deflated to 3.9 MB, :mod:`restvarme.results.io`), less than reading
``results.nc``.

Files that restvarme writes into a run folder after the run (``report.html``, ``figures/``,
waste-heat price lists, ``accounts --csv`` tables, a plan's ``aggregation_check.csv``) are
*derived*: listed by name in the
manifest's ``derived`` list, not hashed (they may be written again), and removed by the next run
into the folder, since they describe the results it replaces.

Messages name folders as given, and in server mode (:func:`restvarme.errors.server_mode`) by
their last name only. See docs/security.md, "Writing: output folders".
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fnmatch
import hashlib
import json
import os
import secrets
import shutil
import socket
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeGuard

from restvarme.errors import RestvarmeError, server_mode, show_path

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "restvarme run folder"
FORMAT_VERSION = 1
"""Version of the run-folder format; readers refuse folders of a newer one."""
LOCK_FILE = ".restvarme.lock"
STAGING_PREFIX = ".restvarme-staging-"
JOURNAL_FILE = ".restvarme-replacing.json"
"""Written while a run replaces the files of a folder: every name restvarme owns there."""

OUTPUT_NAMES = frozenset(
    {
        MANIFEST_FILE,
        "results.nc",
        "scenario.resolved.json",
        "units.csv",
        "networks.csv",
        "cooling_networks.csv",
        "waste_heat.csv",
        "costs.csv",
        "emissions.csv",
        "emissions_by_sector.csv",
        "costs_by_sector.csv",
        "key_figures.csv",
        "targets.csv",
        "aggregation_check.csv",
        "capacity_groups.csv",
        "connections.csv",
        "report.html",
        "figures",
    }
)
"""Names restvarme writes into a run folder (``OUTPUT_PATTERNS`` adds families of names)."""
OUTPUT_PATTERNS = ("hourly_*.csv", "waste_heat_price_list_*.csv", "accounts_*.csv", "operate_*")

Writer = Callable[[Path], object]
"""Writes one output file to the path it is given."""


class RunFolderError(RestvarmeError):
    """An output or run folder cannot be used: it is a file, cannot be written, another restvarme
    process is writing into it, it holds files restvarme would overwrite, or it is no run
    folder."""


class RunFolderBusyError(RunFolderError):
    """Another restvarme process holds the folder's lock."""


class IncompleteRunFolderError(RunFolderError):
    """A run folder whose ``manifest.json`` is missing or does not match its files: the run that
    wrote it was interrupted, or the folder was changed since."""

    def __init__(self, folder: str, problems: list[str], hint: str) -> None:
        self.folder, self.problems, self.hint = folder, problems, hint
        super().__init__(str(self))

    def __reduce__(
        self,
    ) -> tuple[
        type, tuple[str, list[str], str]
    ]:  # pickled as it was made (e.g. from a worker process)
        return (type(self), (self.folder, self.problems, self.hint))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            text = f"incomplete run folder: {self.folder}: {self.problems[0]}"
        else:
            text = "\n".join(
                [
                    f"incomplete run folder: {self.folder}: {len(self.problems)} problems:",
                    *(f"  {p}" for p in self.problems),
                ]
            )
        return f"{text}\n{self.hint}" if self.hint else text


def named_like_output(name: str) -> bool:
    """Whether restvarme writes files of this name into run folders."""
    return name in OUTPUT_NAMES or any(fnmatch.fnmatchcase(name, p) for p in OUTPUT_PATTERNS)


def _bookkeeping(name: str) -> bool:
    return name in (LOCK_FILE, JOURNAL_FILE) or name.startswith(STAGING_PREFIX)


# --- the few file-system steps that change a folder (a kill test interrupts each of them) ------


def _write_new(path: Path, write: Writer) -> None:
    """Write a new file with ``write`` (flushed to disk by :func:`_flushed` after)."""
    write(path)


def _flushed(path: Path) -> dict:
    """Flush a written file to disk; its size and SHA-256, for the manifest.

    A file's data reaches the disk only by an fsync of that file (an fsync of its folder flushes
    the folder's entries, not the files' data; ``os.sync`` flushes every file system of the
    machine), so each file takes one; :meth:`OutputFolder.commit` runs them in a thread while
    it writes the next file, and writes the manifest only when all are done."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
        os.fsync(f.fileno())
        size = os.fstat(f.fileno()).st_size
    return {"bytes": size, "sha256": h.hexdigest()}


def _move(src: Path, dst: Path) -> None:
    """Rename ``src`` over ``dst`` (atomic on one file system)."""
    os.replace(src, dst)


def _delete(path: Path) -> None:
    """Remove a file or symlink, or a folder with everything in it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _sync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, removals) to disk where the OS allows it."""
    if os.name != "posix":  # pragma: no cover - Windows has no directory fsync
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- manifest ----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _json_bytes(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _read_json(path: Path) -> dict | None:
    """A JSON object from ``path``, or None if it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _valid_manifest(data: dict | None) -> TypeGuard[dict]:
    if not data or data.get("format") != MANIFEST_FORMAT:
        return False
    files = data.get("files")
    if not isinstance(files, dict) or not isinstance(data.get("derived", []), list):
        return False
    return all(
        isinstance(e, dict) and isinstance(e.get("bytes"), int) and isinstance(e.get("sha256"), str)
        for e in files.values()
    )


def _owned_names(names: Iterable[object]) -> set[str]:
    """The names of ``names`` that a run may replace or remove: plain names of outputs only, so
    that a doctored manifest cannot make a run delete other files."""
    return {n for n in map(str, names) if Path(n).name == n and named_like_output(n)} | {
        MANIFEST_FILE
    }


def _manifest_names(manifest: dict) -> set[str]:
    return _owned_names([*manifest["files"], *manifest.get("derived", [])])


RERUN_HINT = (
    "The run that wrote it was interrupted, or the folder was changed since: run the scenario "
    "again into it."
)


def verify_run_folder(path: str | Path, *, hashes: bool = True) -> dict:
    """Check a run folder (or a file in one) against its ``manifest.json``; return the manifest.

    Every file the manifest lists must be there, as a regular file, with the size and (with
    ``hashes``) the SHA-256 it lists. Raises :class:`IncompleteRunFolderError` ("incomplete run
    folder: ...") otherwise, and :class:`RunFolderError` for a path that is no run folder at all.
    """
    given = Path(path)
    shown = show_path(path)
    member = None
    folder = given
    if given.is_file():
        folder, member = given.parent, given.name
    if not folder.is_dir():
        raise RunFolderError(
            f"{shown}: no such run folder; give a folder written by "
            "`restvarme run SCENARIO --out FOLDER`."
        )
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.exists():
        if (folder / JOURNAL_FILE).exists():
            raise IncompleteRunFolderError(
                shown,
                [f"no {MANIFEST_FILE}: a run was interrupted while replacing its files"],
                "Run the scenario again into this folder to replace them.",
            )
        if any(named_like_output(n) for n in os.listdir(folder)):
            raise IncompleteRunFolderError(
                shown,
                [
                    f"no {MANIFEST_FILE} (`restvarme run` writes it last: the run that wrote this "
                    "folder was interrupted, or it was written by a restvarme without manifests)"
                ],
                "Run the scenario again (with --overwrite to replace these files).",
            )
        raise RunFolderError(
            f"{shown}: not a run folder: no results.nc or {MANIFEST_FILE} here; give a folder "
            "written by `restvarme run SCENARIO --out FOLDER`."
        )
    manifest = _read_json(manifest_path)
    if not _valid_manifest(manifest):
        raise IncompleteRunFolderError(
            shown, [f"{MANIFEST_FILE} is damaged or not written by restvarme"], RERUN_HINT
        )
    assert manifest is not None
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise RunFolderError(
            f"{shown}: written by a newer restvarme ({manifest.get('restvarme_version', '?')}, "
            f"run-folder format {version}; this one reads format {FORMAT_VERSION}): "
            "upgrade restvarme to read it."
        )
    problems = []
    for name, entry in sorted(manifest["files"].items()):
        file = folder / name
        if Path(name).name != name or name in (".", ".."):
            problems.append(f"{name!r}: not a plain file name")
            continue
        try:
            st = file.lstat()
        except FileNotFoundError:
            problems.append(f"{name}: missing")
            continue
        if not file.is_file() or file.is_symlink():
            problems.append(f"{name}: not a regular file")
        elif st.st_size != entry["bytes"]:
            listed = entry["bytes"]
            problems.append(f"{name}: {st.st_size:,} bytes, {MANIFEST_FILE} lists {listed:,}")
        elif hashes and _sha256(file) != entry["sha256"]:
            problems.append(f"{name}: its contents differ from {MANIFEST_FILE} (SHA-256)")
    if member is not None and member not in manifest["files"] and not problems:
        raise RunFolderError(
            f"{shown}: not a file of the run in {show_path(folder)} (its {MANIFEST_FILE} does "
            f"not list {member}); give the run folder."
        )
    if problems:
        raise IncompleteRunFolderError(shown, problems, RERUN_HINT)
    return manifest


def manifest_files(path: str | Path) -> dict | None:
    """The ``files`` of a run folder's manifest as it is now, unchecked (None without one)."""
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    manifest = _read_json(folder / MANIFEST_FILE)
    return manifest["files"] if _valid_manifest(manifest) else None


# --- the lock ----------------------------------------------------------------------------------


class _Lock:
    """An exclusive OS lock on ``FOLDER/.restvarme.lock``, taken without waiting.

    The kernel holds it (``flock`` on POSIX, ``msvcrt.locking`` on Windows) and drops it when the
    process ends in any way, SIGKILL included: a killed run never blocks the next one. The file
    only tells who holds the lock; it is removed on release and may be left behind by a killed
    run, which does no harm. After locking, the file at the path must still be the one locked
    (another process may have removed it in between), else we try again.
    """

    def __init__(self, folder: Path, shown: str, purpose: str) -> None:
        self.path, self.shown, self.purpose = folder / LOCK_FILE, shown, purpose
        self.fd: int | None = None

    def acquire(self) -> None:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        for _ in range(10):
            try:
                fd = os.open(self.path, flags, 0o644)
            except OSError as error:
                raise _cannot_write(self.shown, error) from None
            try:
                _lock_fd(fd)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise RunFolderBusyError(
                    f"{self.shown}: another restvarme process{holder} is writing into this "
                    "folder; wait for it to finish or choose another output folder."
                ) from None
            except OSError as error:
                os.close(fd)
                raise RunFolderError(
                    f"{self.shown}: cannot lock {LOCK_FILE} ({error.strerror}); this file system "
                    "does not support locks: choose an output folder on a local disk."
                ) from None
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                _write_holder(fd, self.purpose)
                return
            os.close(fd)  # removed by its last holder while we opened it: take the new one
        raise RunFolderBusyError(f"{self.shown}: could not take {LOCK_FILE}; try again.")

    def release(self, remove: bool = True) -> None:
        if self.fd is None:
            return
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(self.fd)  # closing drops the OS lock
        self.fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as error:
            raise BlockingIOError(errno.EAGAIN, "locked") from error

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _write_holder(fd: int, purpose: str) -> None:
    """Say in the lock file who holds it (after byte 0, which Windows locks)."""
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": purpose,
        "since": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (" " + json.dumps(info) + "\n").encode())


def _read_holder(fd: int) -> str:
    """`` (restvarme run, pid 123 on host, since ...)`` from a lock file, or ''."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096))
    except (OSError, ValueError):
        return ""
    if not isinstance(data, dict) or "pid" not in data:
        return ""
    host = "" if server_mode() else f" on {data.get('host', '?')}"  # no server names
    since = data.get("since", "?")
    return f" ({data.get('command', 'restvarme')}, pid {data['pid']}{host}, since {since})"


def _cannot_write(shown: str, error: OSError) -> RunFolderError:
    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOSPC: "no space left on the device",
        errno.ELOOP: f"{LOCK_FILE} is a symbolic link",
        errno.ENOTDIR: "a part of the path is a file",
    }.get(error.errno or 0, error.strerror or type(error).__name__)
    return RunFolderError(f"{shown}: cannot write into this folder ({reason}).")


# --- the output folder -------------------------------------------------------------------------


class OutputFolder:
    """A locked output folder, checked and ready to receive a run's files.

    Made by :func:`output_folder`; :meth:`commit` writes a run's files atomically,
    :meth:`add_derived` a file written from its results afterwards.
    """

    def __init__(self, path: Path, shown: str, overwrite: bool, purpose: str) -> None:
        self.path, self.shown, self.overwrite = path, shown, overwrite
        self._lock = _Lock(path, shown, purpose)
        self._created: list[Path] = []  # folders made here, innermost first
        self._committed = False
        self._owned: set[str] = set()
        self._staging: Path | None = None
        self.manifest: dict | None = None

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> None:
        path, shown = self.path, self.shown
        if path.exists() and not path.is_dir():
            raise RunFolderError(f"{shown}: is a file, not a folder; give a folder for results.")
        if not path.exists():
            missing = [path]
            while not missing[-1].parent.exists() and missing[-1].parent != missing[-1]:
                missing.append(missing[-1].parent)
            ancestor = missing[-1].parent
            if not ancestor.is_dir():
                raise RunFolderError(
                    f"{shown}: cannot create this folder "
                    f"({show_path(ancestor)} is a file, not a folder)."
                )
            try:
                path.mkdir(parents=True)
            except FileExistsError:
                pass  # made by someone else meanwhile: lock it like any folder
            except OSError as error:
                raise _cannot_write(shown, error) from None
            else:
                self._created = missing
        self._lock.acquire()
        try:
            self._recover()
            staging = path / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            try:
                staging.mkdir()
            except OSError as error:
                raise _cannot_write(shown, error) from None
            self._staging = staging
        except BaseException:
            self._close(failed=True)
            raise

    def _recover(self) -> None:
        """Under the lock: drop staging folders of killed runs, and learn which files of the
        folder are restvarme's (the manifest's, and a journal's if a run was interrupted)."""
        for entry in self.path.iterdir():
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
        manifest = _read_json(self.path / MANIFEST_FILE)
        if _valid_manifest(manifest):
            assert manifest is not None
            self.manifest = manifest
            self._owned |= _manifest_names(manifest)
        journal = _read_json(self.path / JOURNAL_FILE)
        if journal and isinstance(journal.get("owned"), list):
            self._owned |= _owned_names(journal["owned"])

    def check_conflicts(self) -> None:
        """Refuse files named like outputs that no earlier run owns (unless ``overwrite``)."""
        strangers = sorted(
            e.name
            for e in self.path.iterdir()
            if not _bookkeeping(e.name) and named_like_output(e.name) and e.name not in self._owned
        )
        folders = [n for n in strangers if (self.path / n).is_dir()]
        if folders:
            raise RunFolderError(
                f"{self.shown}: holds the folder {', '.join(folders)}, named like restvarme's "
                "output but not written by it; move it away or choose another output folder."
            )
        if strangers and not self.overwrite:
            shown = ", ".join(strangers[:6]) + (" ..." if len(strangers) > 6 else "")
            raise RunFolderError(
                f"{self.shown}: holds {shown}, named like restvarme's output but not written by "
                f"a run into this folder (no {MANIFEST_FILE} lists them); move them away, choose "
                "another output folder, or pass --overwrite to replace them."
            )
        self._owned |= set(strangers)

    def _close(self, failed: bool) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        self._lock.release()
        if failed and not self._committed:
            for made in self._created:  # only while nothing else was put there
                try:
                    made.rmdir()
                except OSError:
                    break

    # -- writing -------------------------------------------------------------------------------

    def commit(self, files: Mapping[str, Writer]) -> dict:
        """Write a run's files (name -> writer) atomically, replacing the previous run's; return
        the new manifest."""
        import restvarme

        staging = self._staging
        if staging is None or self._committed:
            raise RuntimeError("commit once, inside `with output_folder(...)`")
        # each file flushed and hashed in a thread (fsync and hashlib release the GIL) while
        # the next is written; the manifest only once every file is on disk
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="restvarme-fsync") as pool:
            flushing = {}
            for name, write in files.items():
                _check_name(name)
                staged = staging / name
                _write_new(staged, write)
                flushing[name] = pool.submit(_flushed, staged)
            entries = {name: done.result() for name, done in flushing.items()}
        manifest = {
            "format": MANIFEST_FORMAT,
            "format_version": FORMAT_VERSION,
            "restvarme_version": restvarme.__version__,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "files": entries,
            "derived": [],
        }
        _write_new(staging / MANIFEST_FILE, lambda p: p.write_bytes(_json_bytes(manifest)))
        _flushed(staging / MANIFEST_FILE)
        _sync_dir(staging)

        target = self.path
        owned_before = self._owned - {MANIFEST_FILE}
        journal = {"owned": sorted(self._owned | set(entries) | {MANIFEST_FILE})}
        _write_new(staging / JOURNAL_FILE, lambda p: p.write_bytes(_json_bytes(journal)))
        _flushed(staging / JOURNAL_FILE)
        _move(staging / JOURNAL_FILE, target / JOURNAL_FILE)
        _sync_dir(target)
        if (target / MANIFEST_FILE).exists():
            _delete(target / MANIFEST_FILE)  # from here on readers reject the folder
        for name in sorted(owned_before - set(entries)):
            if (target / name).exists() or (target / name).is_symlink():
                _delete(target / name)
        for name in entries:
            _move(staging / name, target / name)
        _sync_dir(target)  # every file in place on disk before the manifest that lists it
        _move(staging / MANIFEST_FILE, target / MANIFEST_FILE)
        _sync_dir(target)
        _delete(target / JOURNAL_FILE)
        self._committed = True
        self.manifest = manifest
        self._owned = _manifest_names(manifest)
        return manifest

    def add_derived(self, name: str, write: Writer, *, directory: bool = False) -> Path:
        """Write a file made from the run's results (a report, a price list) into the folder and
        list it as derived in the manifest; ``directory``: a folder written in place."""
        _check_name(name)
        if self.manifest is None or self._staging is None:
            raise RuntimeError("add_derived needs a run folder with a manifest, inside `with`")
        derived = [str(n) for n in self.manifest.get("derived", [])]
        if name not in derived:  # listed first: a kill in between leaves it owned, never foreign
            manifest = {**self.manifest, "derived": sorted([*derived, name])}
            staged = self._staging / MANIFEST_FILE
            _write_new(staged, lambda p: p.write_bytes(_json_bytes(manifest)))
            _flushed(staged)
            _move(staged, self.path / MANIFEST_FILE)
            _sync_dir(self.path)
            self.manifest = manifest
            self._owned.add(name)
        target = self.path / name
        if directory:
            target.mkdir(exist_ok=True)
            write(target)
            return target
        staged = self._staging / name
        _write_new(staged, write)
        _flushed(staged)
        _move(staged, target)
        _sync_dir(self.path)
        return target


def _check_name(name: str) -> None:
    if Path(name).name != name or not named_like_output(name) or name == MANIFEST_FILE:
        raise ValueError(f"not a name restvarme writes into run folders: {name!r}")


@contextlib.contextmanager
def output_folder(
    path: str | Path, *, overwrite: bool = False, purpose: str = "restvarme run"
) -> Iterator[OutputFolder]:
    """Check and lock an output folder before a run starts; hold the lock until the block ends.

    Raises :class:`RunFolderError` at once if ``path`` is a file, cannot be created or written,
    is locked by another restvarme process, or holds files named like outputs that no earlier
    run into it wrote (unless ``overwrite``). Inside the block, :meth:`OutputFolder.commit` writes
    the results. A folder made here and left without results is removed again.
    """
    folder = OutputFolder(Path(path), show_path(path), overwrite, purpose)
    folder._open()
    try:
        folder.check_conflicts()
    except BaseException:
        folder._close(failed=True)
        raise
    failed = True
    try:
        yield folder
        failed = False
    finally:
        folder._close(failed=failed)


@contextlib.contextmanager
def run_folder(path: str | Path, *, purpose: str) -> Iterator[OutputFolder]:
    """Lock an existing, complete run folder to add derived files to it
    (:meth:`OutputFolder.add_derived`)."""
    verify_run_folder(path, hashes=False)
    folder = OutputFolder(Path(path), show_path(path), False, purpose)
    folder._open()
    try:
        if folder.manifest is None:  # replaced by an unfinished run since we checked
            verify_run_folder(path, hashes=False)
        yield folder
    finally:
        folder._close(failed=False)


def add_derived(
    run_dir: str | Path,
    name: str,
    write: Writer,
    *,
    directory: bool = False,
    purpose: str = "restvarme",
) -> Path:
    """Write ``name`` into a complete run folder under its lock and list it as derived;
    ``purpose`` tells a command that finds the folder locked who holds it."""
    with run_folder(run_dir, purpose=purpose) as folder:
        return folder.add_derived(name, write, directory=directory)
