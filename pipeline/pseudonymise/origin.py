"""Where a problem found in the pseudonymised copy is in the chair's own files.

Takes problems located in ``build/<id>/source/`` (the pseudonymised copy every later stage
reads) and the review folder; produces the same problems located in the review folder's
file and line, which is what the chair edits. Pseudonymisation keeps most lines as they
are, but a name wrapped across two lines becomes one word, so lines are matched by
``difflib`` rather than assumed equal.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from pipeline.common.errors import DhrError, Problem


def line_map(original: list[str], changed: list[str]) -> dict[int, int]:
    """1-based line in ``changed`` -> 1-based line in ``original``."""
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, original, changed, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            mapping[j + 1] = min(i1 + offset, max(i2 - 1, i1)) + 1
    return mapping


def to_chair(problems: list[Problem], source_dir: Path, case_dir: Path) -> list[Problem]:
    maps: dict[Path, dict[int, int]] = {}
    out = []
    for problem in problems:
        path = Path(problem.path) if problem.path is not None else None
        if path is None or source_dir.resolve() not in path.resolve().parents:
            out.append(problem)
            continue
        chair_file = case_dir / path.resolve().relative_to(source_dir.resolve())
        line = problem.line
        if line is not None and chair_file.is_file():
            if path not in maps:
                maps[path] = line_map(_lines(chair_file), _lines(path))
            line = maps[path].get(line, line)
        out.append(replace(problem, path=chair_file, line=line))
    return out


def source_dir_of(case_dir: Path, out_root: Path) -> Path | None:
    """build/<id>/source/ of a review, if its case.yaml can be read for the id."""
    from pipeline.common.errors import InputError
    from pipeline.common.yamlio import load_yaml
    from pipeline.pseudonymise.replace import SOURCE_DIR

    try:
        review_id = load_yaml(case_dir / "case.yaml").data.get("id")
    except (InputError, AttributeError):
        return None
    return out_root / str(review_id) / SOURCE_DIR if review_id else None


def remap_error(exc: DhrError, case_dir: Path, out_root: Path) -> DhrError:
    """The same error, its problems pointing at the chair's files."""
    source_dir = source_dir_of(case_dir, out_root)
    if source_dir is None or not source_dir.is_dir():
        return exc
    return type(exc)(to_chair(exc.problems, source_dir, case_dir))


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
