"""The converter: a .docx file -> pandoc's JSON document tree.

Takes a path to a .docx; produces the tree pandoc's docx reader makes of it, with tracked
changes and comments kept as marked spans (``--track-changes=all``) so that nothing is
accepted or dropped behind the officer's back. The pandoc binary is the one shipped in the
``pypandoc-binary`` wheel (pinned in requirements.lock), so every machine converts with
the same pandoc and the same draft gives the same bytes; a pandoc on PATH is the fallback.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

from pipeline.common.errors import InputError


@cache
def pandoc_path() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if found is None:
            raise InputError("pandoc is missing: run `make deps` (installs pypandoc-binary)"
                             ) from None
        return found


def docx_tree(source: Path) -> dict:
    command = [pandoc_path(), "--from=docx", "--to=json", "--track-changes=all",
               "--sandbox", str(source)]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError.at(source, None, "pandoc cannot read it: "
                            + (message[0] if message else f"exit {done.returncode}"))
    return json.loads(done.stdout)
