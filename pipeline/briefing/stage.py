"""The briefing stage: case -> build/<id>/briefing.* (and the page-1 preview), skipped
when the review, the templates and the pipeline are unchanged; ``run`` is ``dhr briefing``.

Takes a review folder (pseudonymised first with a key); writes through
``pipeline.briefing.render`` and, for ``--draft``, ``pipeline.briefing.editable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.briefing.compose import Briefing
from pipeline.briefing.editable import write_draft
from pipeline.briefing.render import OUTPUTS, PREVIEW, preview_png, render_outputs
from pipeline.briefing.themes import templates_dir
from pipeline.case.folder import Case


def build_briefing(case: Case, out_dir: Path, stamps, force: bool = False
                   ) -> tuple[list[Path], bool]:
    """The briefing stage: write build/<id>/briefing.* (and the page-1 preview) unless
    the review, the templates and the pipeline are unchanged since the last build.
    Returns the output files and whether they were written."""
    from pipeline.build.stages import input_digest
    from pipeline.common.fsutil import digest_files, write_atomic

    root = templates_dir()
    digest = digest_files([(f"briefing/{p.relative_to(root).as_posix()}", p)
                           for p in root.rglob("*") if p.is_file()], input_digest(case))
    paths = [out_dir / name for name in OUTPUTS]
    if (not force and stamps.get("briefing").get("inputs") == digest
            and all(p.is_file() for p in paths)):
        return paths + [p for p in [out_dir / PREVIEW] if p.is_file()], False
    files = render_outputs(case)
    for name, data in files.items():
        write_atomic(out_dir / name, data)
    png = preview_png(files["briefing.pdf"])
    if png is not None:
        write_atomic(out_dir / PREVIEW, png)
        paths.append(out_dir / PREVIEW)
    stamps.put("briefing", inputs=digest)
    return paths, True


@dataclass
class BriefingResult:
    case: Case
    files: list[Path]
    written: bool
    briefing: Briefing | None = None  # set for a draft


def run(case_dir: Path, out_root: Path = Path("build"), draft: bool = False,
        force: bool = False, key_path: Path | None = None) -> BriefingResult:
    """``dhr briefing``: the review (pseudonymised first, with a key), then the briefing,
    or with ``draft`` only build/<id>/briefing-draft.yaml."""
    from pipeline.build.stages import BuildResult, Stamps, pseudonymise_stage
    from pipeline.case.folder import load_case

    case = load_case(case_dir)
    out_dir = out_root / case.id
    stamps = Stamps(out_dir)
    if key_path is not None:
        case = pseudonymise_stage(case, key_path, out_root, stamps, force, False,
                                  BuildResult(case, out_dir))
    if draft:
        path, briefing = write_draft(case, out_dir)
        return BriefingResult(case, [path], True, briefing)
    files, written = build_briefing(case, out_dir, stamps, force)
    return BriefingResult(case, files, written)
