"""The ``dhr import`` command's work, kept out of ``pipeline/cli.py``: import, then say
what happened (each heading's section, the notes) through the CLI's ``echo``.

Takes the command's arguments; produces the lines the officer reads. The review's own
heading mappings (case.yaml ``report.sections``) and profile are used when the folder
already has a case.yaml; otherwise the default profile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.importer.word import import_docx
from pipeline.report.md import Catalogue


def _catalogue(case_dir: Path) -> Catalogue:
    from pipeline.report.profile import catalogue_for, load_profile

    if not (case_dir / "case.yaml").is_file():
        return load_profile()
    from pipeline.case.folder import load_case

    return catalogue_for(load_case(case_dir))


def import_command(docx_path: Path, case_dir: Path, force: bool, accept_changes: bool,
                   echo: Callable[..., None]) -> None:
    result = import_docx(docx_path, case_dir, _catalogue(case_dir), force=force,
                         accept_changes=accept_changes)
    echo(f"Sections of {docx_path.name}:")
    width = max((len(h.text) for h in result.headings), default=0)
    for heading in result.headings:
        target = heading.section or ("(appendix)" if heading.how == "appendix" else
                                     "NO SECTION: map it in case.yaml report.sections")
        echo(f"  {heading.text:<{width}}  -> {target} ({heading.how})")
    for note in result.notes:
        echo(str(note), err=True)
    if result.dropped:
        echo(f"{result.dropped} paragraph(s) before the first heading (cover, contents) not "
             "imported: dhr makes its own", err=True)
    echo(f"wrote      {result.report}")
    for image in result.images:
        echo(f"wrote      {image}")
