"""Scenario folders uploaded by strangers: a zip archive, or files sent one by one.

Nothing in an upload is trusted. Every file's path is checked before anything is stored
(:func:`check_path`): relative, no ``..`` or ``.`` parts, no empty parts, no backslashes or
control characters, each part made of letters of any script, digits, ``_``, ``.`` and ``-`` and
not starting with ``.`` or ``-``, at most :data:`MAX_DEPTH` folders deep and 255 characters long.
An archive member that is a symbolic link, a device or encrypted is refused (zip has no hard
links), and sizes are checked as the bytes are read, not as the archive claims: a file larger
than :data:`MAX_FILE_BYTES`, a ``scenario.yaml`` larger than the loader reads, more than
:data:`MAX_FILES` files or more than :data:`MAX_UNPACKED_BYTES` in all are refused. The whole
request is limited too (:data:`MAX_UPLOAD_BYTES`, answered 413 by the app).

The scenario file must be ``scenario.yaml`` at the top of the folder, or of the one folder an
archive holds (``lund/scenario.yaml``: the folder ``lund/`` is taken as the scenario folder).
Files are stored as they are; the series paths in the scenario are confined to this folder when
it is loaded (:mod:`restvarme.inputs.series`), since the folder is all a run has.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Iterable

from restvarme.errors import RestvarmeError
from restvarme.inputs.series import MAX_SERIES_FILE_BYTES
from restvarme.scenario.load import MAX_SCENARIO_BYTES
from restvarme.store.runs import SCENARIO_FILE

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""Largest request body the app reads [bytes]; larger ones are answered 413."""
MAX_FILE_BYTES = MAX_SERIES_FILE_BYTES
"""Largest file of a scenario folder [bytes] (the largest series file restvarme reads)."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""Most bytes an archive may unpack to."""
MAX_FILES = 500
"""Most files in a scenario folder (the examples have under 20)."""
MAX_DEPTH = 8
"""Most folders a file may sit in below the scenario folder."""
_PART = re.compile(r"^[^\W][\w.-]{0,127}$")
_IGNORED_TOP = {"__MACOSX"}
"""Archive folders that archivers add and a scenario never holds (macOS's resource forks)."""


class UploadError(RestvarmeError):
    """An upload that is refused; ``where`` names the file or archive member."""

    def __init__(self, where: str, message: str, status_code: int = 422) -> None:
        self.where, self.message, self.status_code = where, message, status_code
        super().__init__(f"{where}: {message}")


def _shown(name: str) -> str:
    """A name as a message may quote it: printable, at most 80 characters."""
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return clean[:80] + ("..." if len(clean) > 80 else "")


def check_path(name: str) -> str:
    """The relative POSIX path of an uploaded file, or :class:`UploadError` saying why not."""
    shown = _shown(name)
    if not name or len(name) > 255:
        raise UploadError(shown or "(empty name)", "a file name must have 1 to 255 characters")
    if "\\" in name or any(not c.isprintable() for c in name):
        raise UploadError(shown, "backslashes and control characters are not allowed in names")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise UploadError(shown, "absolute paths are not allowed; name files inside the folder")
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        raise UploadError(shown, "'..' and '.' are not allowed in paths (files outside the folder)")
    if any(not p for p in parts):
        raise UploadError(shown, "empty folder names ('//', or a trailing '/') are not allowed")
    if len(parts) > MAX_DEPTH + 1:
        raise UploadError(shown, f"folders nested deeper than {MAX_DEPTH} levels")
    for part in parts:
        if not _PART.match(part):
            raise UploadError(
                shown,
                f"{_shown(part)!r}: names may use letters, digits, _, . and - only, at most "
                "128 characters, not starting with . or -",
            )
    return name


def size_limit(path: str) -> int:
    """The largest a file may be: a ``scenario.yaml`` as the loader reads it, others as a
    series file."""
    return MAX_SCENARIO_BYTES if path.rsplit("/", 1)[-1] == SCENARIO_FILE else MAX_FILE_BYTES


def _scenario_root(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files relative to the scenario folder: the top, or the one folder at the top."""
    if SCENARIO_FILE in files:
        return files
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1:
        top = next(iter(tops))
        inner = {p[len(top) + 1 :]: data for p, data in files.items() if "/" in p}
        if SCENARIO_FILE in inner and len(inner) == len(files):
            return inner
    raise UploadError(
        "(upload)",
        f"no {SCENARIO_FILE} at the top of the folder (or of the one folder the archive holds)",
    )


def from_files(items: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Files sent one by one (their names are paths in the scenario folder)."""
    files: dict[str, bytes] = {}
    total = 0
    for name, data in items:
        path = check_path(name)
        if path in files:
            raise UploadError(_shown(name), "sent twice")
        if len(data) > size_limit(path):
            raise UploadError(
                _shown(name), f"larger than {size_limit(path):,} bytes", status_code=413
            )
        total += len(data)
        files[path] = data
        if len(files) > MAX_FILES:
            raise UploadError("(upload)", f"more than {MAX_FILES} files", status_code=413)
    if not files:
        raise UploadError("(upload)", "no files: send a zip archive or the folder's files")
    return _scenario_root(files)


def from_zip(data: bytes, archive: str = "archive") -> dict[str, bytes]:
    """The files of a zip archive of a scenario folder, every member checked (module doc)."""
    shown = _shown(archive)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise UploadError(shown, "not a zip archive") from None
    files: dict[str, bytes] = {}
    total = 0
    with zf:
        members = zf.infolist()
        if len(members) > 4 * MAX_FILES:
            raise UploadError(shown, f"more than {MAX_FILES} files", status_code=413)
        for info in members:
            name = info.filename
            where = f"{shown}: {_shown(name)}"
            if name.split("/", 1)[0] in _IGNORED_TOP:
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UploadError(where, "symbolic links are not allowed in an uploaded folder")
            if info.is_dir():
                check_path(name.rstrip("/"))
                continue
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                raise UploadError(where, "only regular files are allowed in an uploaded folder")
            if info.flag_bits & 0x1:
                raise UploadError(where, "encrypted members are not supported")
            try:
                path = check_path(name)
            except UploadError as error:
                raise UploadError(f"{shown}: {error.where}", error.message) from None
            limit = size_limit(path)
            if info.file_size > limit:
                raise UploadError(where, f"larger than {limit:,} bytes", status_code=413)
            try:
                with zf.open(info) as member:
                    content = member.read(limit + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
                raise UploadError(
                    where, "cannot be unpacked (damaged, or an unknown method)"
                ) from None
            if len(content) > limit:
                raise UploadError(where, f"larger than {limit:,} bytes", status_code=413)
            total += len(content)
            if total > MAX_UNPACKED_BYTES:
                raise UploadError(
                    shown, f"unpacks to more than {MAX_UNPACKED_BYTES:,} bytes", status_code=413
                )
            if path in files:
                raise UploadError(where, "in the archive twice")
            files[path] = content
            if len(files) > MAX_FILES:
                raise UploadError(shown, f"more than {MAX_FILES} files", status_code=413)
    if not files:
        raise UploadError(shown, "the archive holds no files")
    return _scenario_root(files)
