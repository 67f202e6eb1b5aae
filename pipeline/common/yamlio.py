"""YAML loading that remembers where every value came from.

Takes a YAML file; produces plain Python data plus a map from each value's path
(a tuple of keys and list indexes) to its 1-based line, so that a schema error can be
reported as ``case.yaml:12: ...``. Dates stay strings: the schema checks their shape and
the model converts them, which keeps YAML's own date guessing out of the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.common.errors import InputError
from pipeline.common.fsutil import read_text

Path_ = tuple[str | int, ...]


# libyaml's parser when PyYAML has it (the wheels do): about eight times faster than the
# pure-Python one, with the same marks (lines), which matters when the register reads
# hundreds of reviews. Only the wording of a syntax error's detail differs.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """SafeLoader without the timestamp resolver (dates are validated as strings)."""


class _AnchorRefused(Exception):
    def __init__(self, line: int):
        self.line = line


def _refuse_aliases(root: yaml.Node) -> None:
    """A review's files never need anchors and aliases, and nested aliases (a "billion
    laughs" document) would expand to gigabytes when walked. An alias is the same node
    reached twice; each node is visited once, so this costs one pass however deep the
    aliases nest. Reports the first line of any node reached twice."""
    seen: set[int] = set()
    shared: list[int] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.append(node.start_mark.line + 1)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    if shared:
        raise _AnchorRefused(min(shared))


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LocatedYaml:
    """Data loaded from a YAML file, with the line of every value."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, where: Path_) -> int | None:
        """The line of ``where``, or of its nearest ancestor that has one."""
        where = tuple(where)
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)

    def error(self, where: Path_, message: str) -> InputError:
        return InputError.at(self.path, self.line(where), message)


def load_yaml(path: Path) -> LocatedYaml:
    text = read_text(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError.at(path, 1, "the file is empty")
        _refuse_aliases(node)
        lines: dict[Path_, int] = {}
        _walk(path, node, (), lines)
        data = loader.construct_document(node)
    except _AnchorRefused as exc:
        raise InputError.at(path, exc.line, "YAML anchors and aliases (& and *) are not "
                            "allowed; write each value out in full") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntax error"
        raise InputError.at(
            path, line, f"YAML syntax error: {problem} (check indentation, colons and quotes)"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.at(path, None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return LocatedYaml(path, data, lines)


def _walk(path: Path, node: yaml.Node, where: Path_, lines: dict[Path_, int]) -> None:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                # PyYAML keeps the last value silently; a duplicated field is almost
                # always a copy-paste slip that would lose data.
                raise InputError.at(
                    path,
                    key_node.start_mark.line + 1,
                    f"field '{key}' appears twice (first on line {seen[key]}); keep one",
                )
            seen[key] = key_node.start_mark.line + 1
            _walk(path, value_node, (*where, key), lines)
            # A key's own line is more useful than its value's for block values.
            lines[(*where, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(path, item, (*where, index), lines)
