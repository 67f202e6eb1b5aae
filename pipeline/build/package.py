"""``dhr package``: the build, the site packages and bundles, and the gate on what ships.

Takes a review folder (and the key); checks the gates before release
(``pipeline.case.gates``), builds the set (``pipeline.build.stages``: while a gate is open
the set is already marked DRAFT – NOT FOR PUBLICATION, so a draft package reuses it as
it is), writes the packages and bundles (``pipeline.publish.package``) and runs the
redaction gate on the finished zips, manifests and fragments. A blocking finding deletes
what was written and fails. The package stage is fresh, like every stage, only when its
inputs (the built set, the site profiles and templates, the accepted findings, the key,
the rules and its code) are unchanged and its outputs are as it wrote them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.build.graph import Stage, Stamps
from pipeline.build.stages import build_report
from pipeline.case.folder import Case, load_case
from pipeline.case.gates import open_gates
from pipeline.common.documents import BUNDLE_FORMATS
from pipeline.common.errors import CheckFailed, Problem
from pipeline.publish.package import (
    Package,
    bundles,
    packaged,
    require,
    site_package,
    verify_zip,
)
from pipeline.publish.sites import load_sites


@dataclass
class PackageResult:
    case: Case
    draft: bool
    packages: list[Package]
    bundles: list[Path]
    open_gates: list[Problem]
    gate_summary: str = ""


def package_case(case_dir: Path, out_root: Path = Path("build"), key_path: Path | None = None,
                 draft: bool = False, or_draft: bool = False,
                 reveal: bool = False) -> PackageResult:
    source = load_case(case_dir)
    gates = open_gates(source)
    if gates and not (draft or or_draft):
        raise CheckFailed([Problem(p.path, p.line, f"gate open: {p.message}")
                           for p in gates])
    draft = draft or bool(gates)
    sites = load_sites()
    built = build_report(source, out_root, key_path=key_path, reveal=reveal)
    case = built.case
    set_dir = out_root / case.id
    require(set_dir, {d for site in sites for d in site.documents})
    publish, submit = set_dir / "publish", set_dir / "submit"
    stage = Stage(
        "package",
        [*(publish / f"{s.key}.zip" for s in sites),
         *(submit / b / "manifest.json" for b in BUNDLE_FORMATS)],
        [*((f"set/{p.relative_to(set_dir).as_posix()}", p) for p in built.built + built.unchanged
           if set_dir in p.parents and "source" not in p.relative_to(set_dir).parts),
         ("accepted", Path(case_dir) / "gate-accepted.yaml"),
         *([("key", key_path)] if key_path else [])],
        [str(draft), str(reveal)],
        ("pipeline.publish.package", "pipeline.gate.setup", "pipeline.gate.output"),
        ("templates/sites", "redaction_rules"))
    stamps = Stamps(set_dir)
    if stamps.fresh(stage):
        stamp = stamps.get("package")
        result = PackageResult(case, draft, [packaged(publish, s.key) for s in sites],
                               [submit / b for b in BUNDLE_FORMATS], gates)
        result.gate_summary = stamp["gate"] + " (unchanged since the last package)"
        return result
    packages = [site_package(case, site, set_dir, publish, draft) for site in sites]
    result = PackageResult(case, draft, packages, bundles(case, set_dir, submit, draft), gates)
    result.gate_summary = _gate_what_ships(source, built.key, out_root, result, reveal)
    stamps.done(stage, gate=result.gate_summary)
    return result


def _gate_what_ships(source: Case, key, out_root: Path,
                     result: PackageResult, reveal: bool) -> str:
    """The redaction gate on every zip, fragment, manifest and bundle. Each distinct
    file is read once however many packages carry it (``pipeline.gate.extract``)."""
    from pipeline.gate.output import summary, text
    from pipeline.gate.setup import gate_for

    problems = [p for package in result.packages for p in verify_zip(package.zip_path)]
    gate = gate_for(published=[source], out_root=out_root, key=key)
    paths = [p.zip_path for p in result.packages] + [
        p.folder / name for p in result.packages for name in ("manifest.json", "index.html")]
    paths += result.bundles
    checked = gate.check(paths)
    if problems or checked.blocking:
        for package in result.packages:
            shutil.rmtree(package.folder, ignore_errors=True)
            package.zip_path.unlink(missing_ok=True)
        for bundle in result.bundles:
            shutil.rmtree(bundle, ignore_errors=True)
        lines = problems + [line for line in text(checked, reveal).splitlines()
                            if not line.startswith("#")]
        raise CheckFailed([Problem(None, None, "package deleted: " + lines[0])]
                          + [Problem(None, None, line) for line in lines[1:]])
    return summary(checked)

