"""File-system helpers shared by every stage: strict UTF-8 reading, atomic writes, digests.

Outputs are always written to a temporary file in the target folder and renamed into place,
so an interrupted or failed stage never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.common.errors import InputError


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every failure into a located InputError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError.at(path, None, "file not found") from None
    except IsADirectoryError:
        raise InputError.at(path, None, "is a folder, expected a file") from None
    except OSError as exc:
        raise InputError.at(path, None, f"cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError.at(
            path,
            line,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None
    # A byte-order mark would otherwise end up in the first heading or YAML key.
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def digest_files(files: Iterable[tuple[str, Path]], *extra: str) -> str:
    """A digest of (label, file) pairs and extra strings, for stage stamps.

    Labels, not paths, go into the digest, so the same review built through a relative
    or an absolute path is the same input.
    """
    h = hashlib.sha256()
    for value in extra:
        h.update(value.encode("utf-8") + b"\0")
    for label, path in sorted(set(files)):
        h.update(label.encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
        except FileNotFoundError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()
