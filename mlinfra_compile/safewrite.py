"""The one writer of the CLI: init, new, adopt, `compile -o`, the PEM files of `outputs`,
the local state folder.

A repository is input we do not trust: a committed symlink (`.mlinfra -> ~/.ssh`,
`.github -> /etc`) or a FIFO where a file goes must not turn a write into one outside it.
Below a root the user chose (the repository, or init's target folder), every folder is
opened with O_DIRECTORY|O_NOFOLLOW relative to the one above it (openat), a missing one
is created the same way, and the file is created with O_NOFOLLOW (O_EXCL where the
command never overwrites) or replaced by renaming a temporary file over it; a path with
`..`, `.`, an empty or absolute part never leaves the root. A link or a special file
anywhere on the way is `Refused`: the CLI prints `mlinfra: error: PATH: why` and exits 2
(docs/design.md, Exit codes), having written nothing through it."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
TEMP_PREFIX = ".mlinfra-"  # (a temporary file, renamed over the target or removed)
_KINDS = ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Refused(OSError):
    """A path the CLI does not write through (an OSError: the CLI names it, exit 2)."""


def _refused(mode: int, shown: str, want: str) -> Refused:
    if stat.S_ISLNK(mode):
        return Refused(errno.ELOOP, "is a symbolic link; mlinfra writes nothing through a "
                       f"link (it may lead out of the repository): make it a {want}",
                       shown)
    what = next((name for test, name in _KINDS if test(mode)), "of an unknown kind")
    return Refused(errno.EEXIST, f"is {what}, not a {want}; mlinfra writes only regular "
                   "files, in folders", shown)


def _parts(root: str, rel: str) -> list[str]:
    parts = rel.replace(os.sep, "/").split("/")
    if os.path.isabs(rel) or any(p in ("", ".", "..") for p in parts):
        raise Refused(errno.EINVAL, f"not a path inside {root}", rel)
    return parts


def _mode(folder: int, name: str) -> int | None:
    """What `name` in `folder` is (its own mode, a link not followed), or None if missing."""
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None


def _step(folder: int, name: str, shown: str, create: bool) -> int | None:
    """The folder `name` inside `folder`, opened without following a link (created when
    missing and `create`); None when missing."""
    for _ in range(8):  # (a folder created or removed meanwhile: look again)
        try:
            return os.open(name, _FOLDER, dir_fd=folder)
        except FileNotFoundError:
            if not create:
                return None
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o777, dir_fd=folder)
        except OSError as exc:
            mode = _mode(folder, name)
            if mode is not None and not stat.S_ISDIR(mode):
                raise _refused(mode, shown, "folder") from None
            raise OSError(exc.errno, exc.strerror, shown) from None
    raise OSError(errno.EAGAIN, "changed while mlinfra created it", shown)


@contextlib.contextmanager
def _folder(root: str, parts: list[str], *, create: bool) -> Iterator[int | None]:
    """The folder root/parts[0]/..., each part opened inside the one above; None when
    one is missing (and not `create`). The root itself is the user's choice: followed."""
    try:
        fd: int | None = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, root) from None
    try:
        for i, name in enumerate(parts):
            assert fd is not None
            below = _step(fd, name, os.path.join(root, *parts[:i + 1]), create)
            os.close(fd)
            fd = below
            if fd is None:
                break
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


def check(root: str, rel: str) -> bool:
    """Whether root/rel exists (a regular file); Refused when a folder on the way or the
    file is a link or a special file. Creates nothing."""
    parts = _parts(root, rel)
    with _folder(root, parts[:-1], create=False) as folder:
        mode = None if folder is None else _mode(folder, parts[-1])
    if mode is not None and not stat.S_ISREG(mode):
        raise _refused(mode, os.path.join(root, rel), "regular file")
    return mode is not None


def make_folder(root: str, rel: str) -> str:
    """root/rel as a folder, created with its parents when missing; its path."""
    with _folder(root, _parts(root, rel), create=True):
        pass
    return os.path.join(root, rel)


def create(root: str, rel: str, text: str, mode: int = 0o644) -> str:
    """A new file root/rel (folders created as needed); FileExistsError when a regular
    file is there already, which is kept. Its path."""
    parts, shown = _parts(root, rel), os.path.join(root, rel)
    with _folder(root, parts[:-1], create=True) as folder:
        assert folder is not None
        try:
            fd = os.open(parts[-1], _NEW, mode, dir_fd=folder)
        except FileExistsError:
            found = _mode(folder, parts[-1])
            if found is not None and not stat.S_ISREG(found):
                raise _refused(found, shown, "regular file") from None
            raise FileExistsError(errno.EEXIST, "exists", shown) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except BaseException:
            with contextlib.suppress(OSError):  # no half-written file left behind
                os.unlink(parts[-1], dir_fd=folder)
            raise
    return shown


def replace(root: str, rel: str, text: str, shown: str | None = None) -> str:
    """root/rel replaced atomically (readers see the old file or the new one), keeping
    a regular file's mode, else taking the umask's; folders created as needed."""
    parts, shown = _parts(root, rel), shown or os.path.join(root, rel)
    with _folder(root, parts[:-1], create=True) as folder:
        assert folder is not None
        found = _mode(folder, parts[-1])
        if found is not None and not stat.S_ISREG(found):
            raise _refused(found, shown, "regular file")
        _replace_in(folder, parts[-1], text, stat.S_IMODE(found) if found else _umask_mode(),
                    shown)
    return shown


def _umask_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _replace_in(folder: int, name: str, text: str, mode: int, shown: str) -> None:
    """Write a temporary file beside `name` in `folder`, then rename it over `name` (a
    rename replaces a link put there meanwhile; it never writes through it)."""
    for _ in range(8):
        tmp = f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, _NEW, 0o600, dir_fd=folder)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, shown) from None
    else:
        raise OSError(errno.EEXIST, "no free temporary name", shown)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        if isinstance(exc, OSError):  # name the file the user asked for, not ours
            raise OSError(exc.errno, exc.strerror, shown) from None
        raise


def append_missing(root: str, rel: str, lines: Iterable[str],
                   key: Callable[[str], str] = str.strip, limit: int = 1 << 20) -> list[str]:
    """Append to the existing file root/rel each of `lines` whose `key` no line of it
    has, on lines of their own (a last line without its newline gets one first); the
    lines appended."""
    parts, shown = _parts(root, rel), os.path.join(root, rel)
    with _folder(root, parts[:-1], create=False) as folder:
        if folder is None:
            raise FileNotFoundError(errno.ENOENT, "no such file", shown)
        found = _mode(folder, parts[-1])  # (before opening: a device is never opened)
        if found is not None and not stat.S_ISREG(found):
            raise _refused(found, shown, "regular file")
        flags = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
        try:
            fd = os.open(parts[-1], flags, dir_fd=folder)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, shown) from None
        with os.fdopen(fd, "r+b") as fh:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _refused(info.st_mode, shown, "regular file")
            if info.st_size > limit:
                raise Refused(errno.EFBIG, f"is larger than {limit} bytes; mlinfra does not "
                              "read it to add to it", shown)
            old = fh.read(limit + 1).decode("utf-8", "surrogateescape")
            have = {key(line) for line in old.splitlines()}
            missing = []
            for line in lines:
                if key(line) not in have:
                    have.add(key(line))
                    missing.append(line)
            if missing:
                glue = "\n" if old and not old.endswith(("\n", "\r")) else ""
                fh.write((glue + "".join(line + "\n" for line in missing)).encode())
    return missing


def write_output(path: str, text: str, root: str | None = None) -> None:
    """`compile -o PATH`: inside the repository `root` (as written, or resolved), the
    strict writer above; elsewhere the path as the user pointed it, which may be a
    link (its target is replaced, the link kept) or a device or FIFO (`-o /dev/stdout`,
    written straight to)."""
    full = os.path.abspath(path)
    for base in dict.fromkeys((os.path.abspath(root), os.path.realpath(root)) if root else ()):
        rel = os.path.relpath(full, base)
        if rel != os.curdir and rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            replace(base, rel.replace(os.sep, "/"), text, shown=path)
            return
    _write_as_pointed(path, text)


def _write_as_pointed(path: str, text: str) -> None:
    try:  # (the path as typed: the kernel follows /dev/stdout to a pipe, where realpath
        # reads the link /proc/self/fd/1 as the text `pipe:[N]`, a path that is not there)
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            return
        target = os.path.realpath(path)  # (a link's target is replaced, the link kept)
        folder = os.open(os.path.dirname(target), os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        mode = stat.S_IMODE(info.st_mode) if info is not None else _umask_mode()
        _replace_in(folder, os.path.basename(target), text, mode, path)
    finally:
        os.close(folder)
