"""The house: stage packages in one order, no import circle, no import "up" a stage.

Reads every module's imports (top-level and inside functions) with the build graph's own
reader, so the test and the staleness digests agree on what a module depends on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build.graph import PACKAGE_DIR, _imports

# Each stage may import itself and the stages before it, never one after it.
LAYERS = ["common", "case", "gate", "pseudonymise", "report", "form", "briefing", "importer",
          "publish", "build", "register", "preview", "proof", "cli"]
MAX_LINES = 450  # "about 400"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        name = ".".join(("pipeline", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def stage(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def graph() -> dict[str, set[str]]:
    mods = modules()
    edges = {}
    for name, path in mods.items():
        targets = set()
        for imported in _imports(path):
            while imported not in mods and "." in imported:
                imported = imported.rsplit(".", 1)[0]  # a name imported from a module
            if imported in mods and imported != name:
                targets.add(imported)
        edges[name] = targets
    return edges


def test_every_stage_package_is_known_and_documented():
    for name, path in modules().items():
        if stage(name) is not None:
            assert stage(name) in LAYERS or stage(name) == "__init__", name
        text = path.read_text(encoding="utf-8").lstrip()
        assert text.startswith('"""'), f"{path} does not open with a docstring"


def test_no_import_circle():
    edges = graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if target.startswith(node + "."):
                continue  # a package's __init__ may name its own modules
            if state.get(target) == 1:
                cycle = trail[trail.index(target):] + [target] if target in trail else \
                    [node, target]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if state.get(target) is None:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])


def test_no_stage_imports_a_later_one():
    wrong = []
    for name, targets in graph().items():
        own = stage(name)
        if own not in LAYERS:
            continue
        for target in targets:
            other = stage(target)
            if other in LAYERS and LAYERS.index(other) > LAYERS.index(own):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_modules_stay_small():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_file_holds_a_merge_conflict():
    import subprocess

    root = Path(__file__).resolve().parent.parent
    found = subprocess.run(["git", "grep", "-n", "-I", "-E", "^(<<<<<<< |>>>>>>> |=======$)"],
                           cwd=root, capture_output=True, text=True)
    assert found.stdout == "", found.stdout
