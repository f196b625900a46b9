"""The one reader of bytes mlinfra did not write itself: environment files (parsed, or only
searched by `lint FILE`), files at a git ref, state files, the graph `deploy` hands to the
Pulumi program, and whatever a tool prints (git, Pulumi).

Every read has a cap and never takes more than cap + 1 bytes, so an input of any size is
refused with the memory of one cap and the time of reading it (the extra byte is how a
caller tells "too large" from "exactly the cap"). A file is opened without blocking and
checked to be a regular file and within the cap before it is read: a FIFO, a device or a
socket (a link to /dev/stdin) is refused, never waited on. A command is stopped as soon as
either of its outputs passes the cap. Whether a file lies inside the repository is the
workspace's question (`resolve.Workspace`), asked before it calls `read_file`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import IO, NamedTuple

CHUNK = 1 << 16


class Refusal(NamedTuple):
    """Why a file was not read: `kind` "size" (larger than the cap; `size` its bytes when
    known before reading), "type" (not a regular file) or "error" (the system's reason in
    `detail`)."""

    kind: str
    size: int | None = None
    detail: str = ""


def read_capped(read: Callable[[int], bytes], cap: int) -> bytes | None:
    """What `read` (an os.read or a stream's read) gives up to its end, or None as soon
    as that passes `cap` bytes: no more than cap + 1 bytes are read, and the ones read
    of an input too large are dropped unjoined."""
    parts: list[bytes] = []
    left = cap + 1
    while left > 0:
        chunk = read(min(CHUNK, left))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        left -= len(chunk)
    return None


def read_stream(stream: IO[bytes], cap: int) -> bytes | None:
    """A stream's bytes (standard input given as `-`), None when more than `cap`."""
    return read_capped(stream.read, cap)


def read_file(path: str, cap: int) -> bytes | Refusal:
    """The bytes of the regular file at `path`, at most `cap` of them, else a Refusal."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return Refusal("error", detail=exc.strerror or str(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Refusal("type")
        if info.st_size > cap:
            return Refusal("size", info.st_size)
        raw = read_capped(lambda n: os.read(fd, n), cap)
    except OSError as exc:
        return Refusal("error", detail=exc.strerror or str(exc))
    finally:
        os.close(fd)
    return Refusal("size") if raw is None else raw  # (None: it grew while it was read)


class Ran(NamedTuple):
    """What a command printed, each output at most `cap` bytes; `overflow` names the
    output ("stdout" or "stderr") that passed the cap, when the command was stopped for
    it (its returncode is then that of a killed process, and that output is empty)."""

    returncode: int
    stdout: bytes
    stderr: bytes
    overflow: str = ""


def run(argv: list[str], cap: int, env: dict[str, str] | None = None,
        stdin: int | None = None) -> Ran:
    """Run `argv` with both outputs read through `read_capped`, the command killed as
    soon as one passes `cap` (or when this process is interrupted). OSError when it
    cannot start, as subprocess.run."""
    import subprocess  # (here: lint reads files with this module and runs nothing)
    import threading

    proc = subprocess.Popen(argv, env=env, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    got: dict[str, bytes | None] = {}

    def drain(name: str, fd: int) -> None:
        try:
            got[name] = read_capped(lambda n: os.read(fd, n), cap)
        except OSError:  # (a pipe that cannot be read has nothing more to say)
            got[name] = b""
        if got[name] is None:
            proc.kill()  # (a no-op once it has ended)

    errors = threading.Thread(target=drain, args=("stderr", err_fd), daemon=True)
    try:
        errors.start()
        drain("stdout", out_fd)
        errors.join()
        code = proc.wait()
    finally:  # (interrupted: the command goes too, and no pipe is closed under a read)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if errors.is_alive():
            errors.join(timeout=5)
        proc.stdout.close()
        if not errors.is_alive():
            proc.stderr.close()
    over = next((k for k in ("stdout", "stderr") if k in got and got[k] is None), "")
    return Ran(code, got.get("stdout") or b"", got.get("stderr") or b"", over)


def megabytes(cap: int) -> str:
    """A cap as people say it: 1048576 -> "1 MiB"."""
    return f"{cap / 2**20:g} MiB" if cap >= 2**20 else f"{cap} bytes"
