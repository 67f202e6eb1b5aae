"""Charts for the dashboard and the annual report: SVG drawn by matplotlib.

Takes a chart's title and data (labels and one or more series); produces SVG text that is
the same bytes for the same data: no date in the metadata, a fixed hash salt for the
element ids, text drawn as paths in Liberation Sans. Every chart is shown beside a table
of the same numbers, which is what a screen reader reads; the SVG gets only a label.
Charts are cached by their data, so a build whose numbers did not move never starts
matplotlib; those that are not are drawn together (``draw``, in another process while the
build writes the other outputs: importing matplotlib costs more than drawing) and handed
back with ``fill`` before the page is rendered.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from pathlib import Path

from markupsafe import Markup

# Dark enough for 3:1 against white (WCAG non-text contrast), and told apart by more than
# hue: every bar also carries its number in the table beside it.
PALETTE = ("#0b5394", "#b45f06", "#38761d", "#741b47", "#5b5b5b", "#990000", "#1c6f73",
           "#7a5c00", "#3d3d99", "#8a3b12")
STATUS_COLOURS = {"overdue": "#990000", "not-started": "#5b5b5b",
                  "in-progress": "#b45f06", "complete": "#38761d"}


class Chart:
    """An SVG chart: ``inline`` for HTML (role=img, labelled), ``img`` for the PDF. The SVG
    of a chart not drawn yet is None until ``Charts.fill``."""

    def __init__(self, svg: str | None, label: str):
        self.svg = svg
        self.label = label

    def inline(self) -> Markup:
        body = self.svg[self.svg.index("<svg"):]
        body = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                      r'<svg\1 class="chart-svg"', body, count=1)
        label = Markup.escape(self.label)
        body = body.replace("<svg", f'<svg role="img" aria-label="{label}" focusable="false"',
                            1)
        return Markup(body)

    def img(self) -> Markup:
        data = base64.b64encode(self.svg.encode()).decode()
        return Markup(f'<img class="chart-img" src="data:image/svg+xml;base64,{data}" '
                      f'alt="{Markup.escape(self.label)}">')


class Charts:
    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir
        self.missing: dict[str, dict] = {}  # cache key -> spec, for ``draw``
        self._waiting: dict[str, list[Chart]] = {}

    def bars(self, label: str, categories: list[str], series: dict[str, list[int]],
             colours: dict[str, str] | None = None, horizontal: bool = True) -> Chart:
        """Bars per category; several series are stacked (each named in the legend)."""
        spec = {"kind": "bars", "categories": categories, "series": series,
                "colours": colours, "horizontal": horizontal, "label": label}
        return self._cached(spec)

    def lines(self, label: str, xs: list[int], series: dict[str, list[int]]) -> Chart:
        return self._cached({"kind": "lines", "xs": xs, "series": series, "label": label})

    def _cached(self, spec: dict) -> Chart:
        key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:32]
        path = self.cache_dir / f"{key}.svg"
        if path.is_file():
            return Chart(path.read_text(encoding="utf-8"), spec["label"])
        chart = Chart(None, spec["label"])
        self.missing[key] = spec
        self._waiting.setdefault(key, []).append(chart)
        return chart

    def fill(self, drawn: dict[str, str]) -> None:
        """Put ``draw``'s SVGs into the charts waiting for them, and into the cache."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        for key, svg in drawn.items():
            path = self.cache_dir / f"{key}.svg"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
            for chart in self._waiting.pop(key):
                chart.svg = svg
            del self.missing[key]


def draw(specs: dict[str, dict]) -> dict[str, str]:
    """Each spec's SVG, by the same key (a plain function of plain data: it runs in a
    worker process)."""
    return {key: _draw(spec) for key, spec in specs.items()}


def _figure(size: tuple[float, float]):
    """A matplotlib Figure on the SVG canvas, without pyplot (whose import and global
    state cost more than the drawing)."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    from pipeline.common.templates import fonts

    if "Liberation Sans" not in {f.name for f in font_manager.fontManager.ttflist}:
        for face in ("regular", "bold"):
            font_manager.fontManager.addfont(fonts()[face].removeprefix("file://"))
    matplotlib.rcParams.update({
        "svg.hashsalt": "dhr-register",  # element ids from the data, not random
        "svg.fonttype": "path",
        "font.family": "Liberation Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "axes.labelcolor": "#1a1a1a",
        "xtick.color": "#1a1a1a",
        "ytick.color": "#1a1a1a",
    })
    fig = Figure(figsize=size)
    FigureCanvasSVG(fig)
    return fig


def _draw(spec: dict) -> str:
    if spec["kind"] == "bars":
        n = len(spec["categories"])
        size = (7.0, max(1.6, 0.36 * n + 0.9)) if spec["horizontal"] else (7.0, 3.2)
        fig = _figure(size)
        ax = fig.subplots()
        base = [0] * n
        positions = list(range(n))
        for i, (name, values) in enumerate(spec["series"].items()):
            colour = (spec["colours"] or {}).get(name) or PALETTE[i % len(PALETTE)]
            if spec["horizontal"]:
                ax.barh(positions, values, left=base, color=colour, label=name, height=0.7)
            else:
                ax.bar(positions, values, bottom=base, color=colour, label=name, width=0.7)
            base = [b + v for b, v in zip(base, values, strict=True)]
        if spec["horizontal"]:
            ax.set_yticks(positions, spec["categories"])
            ax.invert_yaxis()
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.set_xticks(positions, spec["categories"])
            ax.yaxis.get_major_locator().set_params(integer=True)
        if len(spec["series"]) > 1:
            ax.legend(frameon=False, fontsize=9, loc="lower right" if spec["horizontal"]
                      else "upper left")
    else:
        fig = _figure((7.0, 3.4))
        ax = fig.subplots()
        for i, (name, values) in enumerate(spec["series"].items()):
            ax.plot(spec["xs"], values, marker="os^Dv<>ph*"[i % 10], label=name,
                    color=PALETTE[i % len(PALETTE)], linewidth=1.6)
        ax.set_xticks(spec["xs"], [str(x) for x in spec["xs"]])
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "dhr"})
    return out.getvalue()
