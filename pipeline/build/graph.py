"""The build graph's one idea of "changed".

Takes a ``Stage``: its name, the files it reads (labelled, so a review built through another
path has the same key), the values it depends on (settings, the digest of an in-memory
input), the modules it runs and the data folders it reads (templates, rules), and the files
it writes. Gives one key for the stage and one answer to "is it fresh?" for every stage of
``dhr``: fresh only when the key is the one its stamp recorded and every output is still
there with the bytes it wrote. ``Stamps.discard`` removes what a stage wrote when the stage
is not run this time, so an output that was not rebuilt never looks current.

The code a stage runs is found, not listed by hand: from the stage's entry modules, every
``pipeline`` module they import (at the top or inside a function) is followed, so a change
to any module a stage can reach (``report/pdf_tags.py`` for the PDFs, say) re-runs it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline import __version__
from pipeline.common.fsutil import digest_files, write_atomic
from pipeline.common.templates import home

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    base = PACKAGE_DIR.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)"
                     r"|import[ \t]+([\w., \t]+))", re.M)


@cache
def _imports(path: Path) -> tuple[str, ...]:
    """The ``pipeline`` modules one file imports, wherever in the file the import is (a
    regular expression over the source: parsing every module would cost a no-op build
    a third of a second)."""
    package = "pipeline." + ".".join(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
    package = package.removesuffix(".__init__") if path.name == "__init__.py" \
        else package.rsplit(".", 1)[0]
    found = []
    for dots, module, names, plain in _IMPORT.findall(path.read_text(encoding="utf-8")):
        if plain:
            found += [n.split(" as ")[0].strip() for n in plain.split(",")]
            continue
        if dots:
            base = package.rsplit(".", len(dots) - 1)[0] if len(dots) > 1 else package
            module = f"{base}.{module}" if module else base
        found.append(module)
        # ``from pipeline.report import render`` imports a module, not a name
        found += [f"{module}.{n.split(' as ')[0].strip()}"
                  for n in names.strip("()").split(",") if n.strip()]
    return tuple(m for m in found if m == "pipeline" or m.startswith("pipeline."))


@cache
def code_files(*entries: str) -> tuple[tuple[str, Path], ...]:
    """Every module reachable from the entry modules, with its parent packages."""
    seen: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        todo += _imports(path)
        parent = name.rsplit(".", 1)[0]
        if parent != name:
            todo.append(parent)
    return tuple(sorted((f"code/{name}", path) for name, path in seen.items()))


def data_files(folder: str) -> list[tuple[str, Path]]:
    """Every file under a data folder of the installation (``templates/report``, ...)."""
    root = home() / folder
    return [(f"{folder}/{p.relative_to(root).as_posix()}", p)
            for p in sorted(root.rglob("*")) if p.is_file()]


@dataclass
class Stage:
    name: str
    outputs: list[Path]
    files: list[tuple[str, Path]] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    code: tuple[str, ...] = ()
    data: tuple[str, ...] = ()

    def key(self) -> str:
        files = [*self.files, *code_files(*self.code)]
        for folder in self.data:
            files += data_files(folder)
        return digest_files(files, __version__, self.name, *self.values)


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return None


class Stamps:
    """What each stage last wrote, in ``build/<id>/.stamps/<stage>.json``."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.dir = out_dir / ".stamps"

    def get(self, stage: str) -> dict:
        try:
            return json.loads((self.dir / f"{stage}.json").read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _outputs(self, stage: Stage) -> dict[str, str | None]:
        return {self._label(p): _sha(p) for p in stage.outputs}

    def _label(self, path: Path) -> str:
        try:
            return path.relative_to(self.out_dir).as_posix()
        except ValueError:
            return str(path)

    def fresh(self, stage: Stage, force: bool = False) -> bool:
        """The stage need not run: same key, and every output as it was written."""
        if force:
            return False
        stamp = self.get(stage.name)
        if stamp.get("key") != stage.key():
            return False
        outputs = self._outputs(stage)
        return None not in outputs.values() and stamp.get("outputs") == outputs

    def done(self, stage: Stage, **extra) -> None:
        """Record a stage that has just written all its outputs."""
        record = {"key": stage.key(), "outputs": self._outputs(stage), **extra}
        write_atomic(self.dir / f"{stage.name}.json", json.dumps(record, sort_keys=True))

    def discard(self, stage: Stage) -> list[Path]:
        """A stage not run this time: what it wrote before is removed with its stamp, so
        nothing stale sits beside fresh outputs. Returns the files removed."""
        removed = [p for p in stage.outputs if p.is_file()]
        for path in removed:
            path.unlink()
        (self.dir / f"{stage.name}.json").unlink(missing_ok=True)
        return removed
