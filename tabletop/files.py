"""Writing files so that nothing is clobbered and nothing is left half-written.

The one place that opens files besides the log's own reader and writer (:mod:`tabletop.logfile`):
:func:`read_text` / :func:`read_bytes` read whole files. Every file the engine writes besides the log itself (reports, reviewer notes, the replay
index, state dumps, forks, AAR pieces, generated scenarios) goes through here:

- :func:`write_atomic` writes one file: a temporary file in the same folder, write, flush,
  fsync, ``os.replace`` over the target, fsync the folder. A reader sees the old file or
  the new one, never part of one; a full disk or a read-only folder leaves the old file
  (if any) as it was and no temporary file behind.
- :func:`write_tree_atomic` writes several files of one folder (a report's
  ``index.html``, ``report.md``, ``score.json``): every file is staged and fsync'd first,
  and only when all are complete are they renamed into place, so a full disk changes none.
- :func:`user_cache_dir` is the per-user cache folder (the replay index of a log on
  read-only media lives there).

Failures raise :class:`FileProblem`, which carries a translation key and its parameters
(never rendered text), so the CLI prints it in zh_TW or English and exits 2.
"""

from __future__ import annotations

import errno
import os
import stat
import secrets
import sys
from typing import Any, BinaryIO, Callable, Iterable, Mapping

#: errno -> the key of the reason shown to the user (others show the system's own text).
REASONS = {
    errno.ENOSPC: "files.reason.disk_full",
    errno.EDQUOT: "files.reason.disk_full",
    errno.EROFS: "files.reason.read_only",
    errno.EACCES: "files.reason.denied",
    errno.EPERM: "files.reason.denied",
    errno.EEXIST: "files.reason.exists",
    errno.ENOTDIR: "files.reason.not_a_folder",
    errno.EISDIR: "files.reason.is_a_folder",
    errno.ENOENT: "files.reason.not_found",
}
#: Folder fsync is not supported everywhere (some filesystems, Windows): then it is skipped.
_NO_DIR_SYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.EACCES, errno.EPERM, errno.EISDIR}


class FileProblem(Exception):
    """A file could not be written (or must not be): a message key and its parameters.

    ``key`` names an entry of the translation table (``tabletop/i18n/files.yaml``);
    ``params`` always hold ``path`` and ``reason`` (a translation key or the system's
    text). :meth:`text` renders it; ``str()`` gives the default language.
    """

    def __init__(self, key: str, path: str, reason: str = "", errno_: int | None = None, **params: Any) -> None:
        self.key = key
        self.path = path
        self.errno = errno_
        self.params: dict[str, Any] = {"path": path, "reason": reason, **params}
        super().__init__(key, path)

    def text(self, lang: str | None = None) -> str:
        from tabletop import i18n

        lang = lang or i18n.DEFAULT_LANG
        params = dict(self.params)
        params["reason"] = i18n.t(str(params.get("reason") or "files.reason.unknown"), lang)
        return i18n.t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.text()


def os_reason(err: BaseException) -> Any:
    """Why the OS refused a file, as a message parameter: a nested message ``{"key"}`` where the
    error is one we word ourselves (folder, missing, denied ...), else the OS's own text."""
    number = getattr(err, "errno", None)
    if number in REASONS:
        return {"key": REASONS[number]}
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def problem(err: BaseException, path: str, key: str = "files.cannot_write", **params: Any) -> FileProblem:
    """A :class:`FileProblem` for the OS (or SQLite) error ``err`` met while writing ``path``."""
    if isinstance(err, FileProblem):
        return err
    number = getattr(err, "errno", None)
    reason = REASONS.get(number) if number is not None else None
    if reason is None:
        text = getattr(err, "strerror", None) or str(err) or type(err).__name__
        reason = "files.reason.disk_full" if "full" in text.lower() and "disk" in text.lower() else text
        if "readonly" in text.lower() or "read-only" in text.lower():
            reason = "files.reason.read_only"
    return FileProblem(key, path, reason, number, **params)


def user_cache_dir() -> str:
    """The per-user cache folder of tabletop: ``$XDG_CACHE_HOME/tabletop`` (else
    ``~/.cache/tabletop``; ``%LOCALAPPDATA%\\tabletop\\cache`` on Windows). Not created here."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "tabletop", "cache")
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tabletop")


def temp_path(path: str) -> str:
    """A fresh temporary name beside ``path`` (same folder, so the rename is atomic)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def sweep_temps(path: str) -> int:
    """Remove temporary files :func:`temp_path` made for ``path`` by processes no longer
    running (killed mid-write). Returns how many were removed; never raises."""
    folder, name = os.path.split(os.path.abspath(path))
    prefix = f".{name}."
    removed = 0
    try:
        entries = os.listdir(folder)
    except OSError:
        return 0
    for entry in entries:
        if not (entry.startswith(prefix) and ".tmp" in entry[len(prefix):]):
            continue
        pid = entry[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        try:
            os.remove(os.path.join(folder, entry))
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill there terminates the process: never ask
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # not ours to judge (another user's process, or no way to ask)
    return True


def discard(tmp: str | None) -> None:
    """Remove a temporary file if it is there (never raises)."""
    if not tmp:
        return
    try:
        os.remove(tmp)
    except OSError:
        pass


def fsync_dir(folder: str) -> None:
    """fsync a folder so a rename in it survives a power cut (skipped where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as err:
        if err.errno in _NO_DIR_SYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in _NO_DIR_SYNC:
            raise
    finally:
        os.close(fd)


def make_folder(folder: str, path: str | None = None) -> None:
    """``os.makedirs(folder, exist_ok=True)``, as a :class:`FileProblem` on failure."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as err:
        raise problem(err, path or folder) from err


def _payload(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def _stage(path: str, payload: bytes, mode: int = 0o666) -> str:
    """Write ``payload`` to a new temporary file beside ``path`` and fsync it; returns its name.
    On any error the temporary file is removed and the OSError propagates."""
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(tmp)
        raise
    return tmp


def publish(tmp: str, path: str, exclusive: bool = False) -> None:
    """Move the complete, fsync'd file ``tmp`` to ``path`` (same folder) and fsync the folder.

    ``exclusive``: never replace an existing ``path`` (a hard link, which fails if the name
    is taken, where the filesystem has them; else a check then a rename). On failure
    ``tmp`` is removed and a :class:`FileProblem` raised.
    """
    try:
        if exclusive:
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path)
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # no hard links here (FAT, some network shares)
                if os.path.lexists(path):
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path) from None
                os.replace(tmp, path)
            else:
                os.remove(tmp)
        else:
            os.replace(tmp, path)
        fsync_dir(os.path.dirname(os.path.abspath(path)))
    except OSError as err:
        discard(tmp)
        raise problem(err, path) from err
    except BaseException:
        discard(tmp)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes | str, exclusive: bool = False, mode: int = 0o666) -> str:
    """Write ``data`` (text is UTF-8, newlines as given) to ``path`` atomically; returns the path.

    The folder is created if needed. ``exclusive`` refuses to replace an existing file; ``mode``
    (before the umask) is 0o600 for files holding secrets (the seats' tokens).
    Raises :class:`FileProblem` (the old file, if any, untouched; no temporary file left).
    """
    path = os.fspath(path)
    payload = _payload(data)
    make_folder(os.path.dirname(os.path.abspath(path)), path)
    if exclusive and os.path.lexists(path):
        raise FileProblem("files.cannot_write", path, "files.reason.exists", errno.EEXIST)
    sweep_temps(path)
    try:
        tmp = _stage(path, payload, mode)
    except OSError as err:
        raise problem(err, path) from err
    publish(tmp, path, exclusive)
    return path


def fsync_file(path: str) -> None:
    """Make a complete file durable (a library wrote it by name)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_via(path: str | os.PathLike[str], write: Callable[[str], Any], suffix: str = "",
              errors: tuple[type[BaseException], ...] = ()) -> str:
    """Write ``path`` atomically with a library that writes files by name (pyarrow, shutil,
    pygame): ``write(tmp)`` makes the whole file under a temporary name beside it (ending in
    ``suffix``, for libraries that pick the format by it), which is fsync'd and renamed over
    ``path``. ``OSError`` and the library's own ``errors`` become a :class:`FileProblem`; no
    temporary file is left."""
    path = os.fspath(path)
    make_folder(os.path.dirname(os.path.abspath(path)), path)
    sweep_temps(path)
    tmp = temp_path(path) + suffix
    caught: tuple[type[BaseException], ...] = (OSError, *errors)
    try:
        write(tmp)
        fsync_file(tmp)
    except caught as err:
        discard(tmp)
        raise problem(err, path) from err
    except BaseException:
        discard(tmp)
        raise
    publish(tmp, path)
    return path


def write_lines(path: str | os.PathLike[str], items: Iterable[bytes]) -> str:
    """Write the byte lines ``items`` (each without its newline) as one file, atomically."""
    return write_atomic(path, b"".join(item + b"\n" for item in items))


def read_text(path: str | os.PathLike[str], newline: str | None = None) -> str:
    """A whole UTF-8 text file (``newline`` as :func:`open`'s: ``""`` for CSV). Raises
    ``OSError`` or ``UnicodeDecodeError`` for the caller to report in the user's language."""
    with open(path, encoding="utf-8", newline=newline) as handle:
        return handle.read()


def open_read(path: str | os.PathLike[str]) -> BinaryIO:
    """A file opened for reading bytes (the replay viewer maps a log through it)."""
    return open(path, "rb")


def open_append(path: str | os.PathLike[str]) -> BinaryIO:
    """A file opened to append bytes, created if missing (the room's client journal)."""
    return open(path, "ab")


def create_new(path: str | os.PathLike[str]) -> None:
    """Create an empty file that must not exist yet (OSError with its errno otherwise)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


def copy_mode(like: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Give ``path`` the read and write permissions of ``like`` (a file derived from another is
    readable by exactly whom that one is: the scoring view cache beside its log)."""
    os.chmod(path, stat.S_IMODE(os.stat(like).st_mode) & 0o666)


def package_text(entry: Any) -> str:
    """A text file shipped in the package (an ``importlib.resources`` entry), as UTF-8."""
    text: str = entry.read_text(encoding="utf-8")
    return text


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A whole file's bytes. Raises ``OSError`` for the caller to report."""
    with open(path, "rb") as handle:
        return handle.read()


def write_tree_atomic(folder: str | os.PathLike[str], files: Mapping[str, bytes | str] | Iterable[tuple[str, bytes | str]]) -> list[str]:
    """Write several files into ``folder``: all complete, or none changed.

    Each file is staged (temporary file, write, fsync) first; only when every one is on
    disk are they renamed into place, in the order given, then the folder is fsync'd.
    Returns the paths. Raises :class:`FileProblem` with no temporary file left behind.
    """
    folder = os.fspath(folder)
    items = list(files.items() if isinstance(files, Mapping) else files)
    make_folder(folder)
    staged: list[tuple[str, str]] = []
    try:
        for name, data in items:
            path = os.path.join(folder, name)
            sweep_temps(path)
            try:
                staged.append((_stage(path, _payload(data)), path))
            except OSError as err:
                raise problem(err, path) from err
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as err:
                raise problem(err, path) from err
        try:
            fsync_dir(os.path.abspath(folder))
        except OSError as err:
            raise problem(err, folder) from err
    except BaseException:
        for tmp, _ in staged:
            discard(tmp)
        raise
    return [path for _, path in staged]


def refuse_existing(path: str, key: str = "files.exists", **params: Any) -> None:
    """Raise :class:`FileProblem` ``key`` if ``path`` already exists (a log never clobbered)."""
    if os.path.lexists(path):
        raise FileProblem(key, path, "files.reason.exists", errno.EEXIST, **params)


def free_path(path: str) -> str:
    """``path`` if no file has that name yet, else ``STEM-2.EXT``, ``STEM-3.EXT`` ... (the first free one)."""
    if not os.path.lexists(path):
        return path
    stem, ext = os.path.splitext(path)
    n = 2
    while os.path.lexists(f"{stem}-{n}{ext}"):
        n += 1
    return f"{stem}-{n}{ext}"


__all__ = ["FileProblem", "problem", "user_cache_dir", "temp_path", "sweep_temps", "discard", "fsync_dir", "make_folder", "publish",
           "write_atomic", "write_tree_atomic", "refuse_existing", "free_path"]
