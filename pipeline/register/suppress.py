"""Small-number suppression for the annual report.

Takes a table of counts (rows x columns, with row, column and grand totals); produces
the same table with every count below the threshold hidden (primary suppression) and
more counts hidden until none can be worked out from the others (secondary
suppression): in every row and every column, counting its total, either nothing is
hidden or at least two values are. A hidden zero is still hidden, so a reader cannot
learn that a hidden count is at least one. Counts are never rounded or altered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Cell:
    value: int
    hidden: bool = False

    def text(self, threshold: int) -> str:
        return f"fewer than {threshold}" if self.hidden else str(self.value)


@dataclass
class Table:
    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def table(rows: list[str], columns: list[str], counts: list[list[int]],
          threshold: int, total_visible: bool | None = None) -> Table:
    """Suppress ``counts`` (len(rows) x len(columns)). ``total_visible`` forces the grand
    total shown (when it is printed elsewhere anyway) or hidden."""
    cells = [[Cell(v) for v in row] for row in counts]
    row_totals = [Cell(sum(row)) for row in counts]
    column_totals = [Cell(sum(row[j] for row in counts)) for j in range(len(columns))]
    total = Cell(sum(sum(row) for row in counts))
    t = Table(rows, columns, cells, row_totals, column_totals, total)
    for cell in _all(t):
        cell.hidden = cell.value < threshold
    if total_visible is not None:
        total.hidden = not total_visible
    # Each group is a sum: members plus its total. One hidden member is the total minus
    # the rest. With a single column the row totals are the cells themselves.
    groups: list[tuple[list[Cell], Cell]] = [(row, rt) for row, rt in zip(cells, row_totals,
                                                                           strict=True)]
    groups += [([row[j] for row in cells], column_totals[j]) for j in range(len(columns))]
    groups += [(row_totals, total), (column_totals, total)]
    if len(columns) == 1:
        for row, rt in zip(cells, row_totals, strict=True):
            rt.hidden = row[0].hidden
    changed = True
    while changed:
        changed = False
        for members, group_total in groups:
            hidden = sum(c.hidden for c in members) + group_total.hidden
            if hidden != 1:
                continue
            # Hide the smallest visible member: it loses the least information.
            visible = [c for c in members if not c.hidden]
            if visible:
                min(visible, key=lambda c: c.value).hidden = True
            else:
                group_total.hidden = True
            changed = True
    return t


def column(labels: list[str], counts: list[int], threshold: int,
           total_visible: bool | None = None) -> Table:
    """A one-column table: a distribution and its total."""
    return table(labels, ["Count"], [[c] for c in counts], threshold, total_visible)


def _all(t: Table):
    for row in t.cells:
        yield from row
    yield from t.row_totals
    yield from t.column_totals
    yield t.total
