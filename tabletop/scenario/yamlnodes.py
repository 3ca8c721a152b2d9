"""Read YAML into plain values while remembering where every value came from.

PyYAML's composer builds a node tree without constructing anything, so no tag is
ever executed. We walk that tree ourselves: duplicate keys and non-standard tags
(``!!python/...`` and friends) become problems with their line and column, and
every value's position is kept in a map from its path to ``(line, col)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[Any, ...]

_STD = "tag:yaml.org,2002:"
#: libyaml's parser when PyYAML was built with it (same results, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {f"{_STD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class Limits:
    """Caps that keep hostile or runaway input files from exhausting the machine."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 500_000


@dataclass
class Located:
    """A parsed document: plain values plus where each came from."""

    value: Any
    file: str
    value_pos: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Best position for ``path``: the key or value itself, else its nearest parent."""
        path = tuple(path)
        while True:
            table = self.key_pos if key else self.value_pos
            if path in table:
                return table[path]
            if path in self.value_pos:
                return self.value_pos[path]
            if not path:
                return (1, 1)
            path = path[:-1]
            key = False

    def problem(self, path: Path, message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message)


class _Walker:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.problems: list[Problem] = []
        self.nodes = 0
        self.doc = Located(None, file)
        self._scalar = yaml.SafeLoader("")

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def fail(self, node: yaml.Node, message: str) -> None:
        line, col = self._at(node)
        self.problems.append(Problem(self.file, line, col, message))

    def walk(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _TooBig(node, f"more than {self.limits.max_nodes} values (aliases expanded)")
        if depth > self.limits.max_depth:
            raise _TooBig(node, f"nested deeper than {self.limits.max_depth} levels")
        self.doc.value_pos[path] = self._at(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != f"{_STD}map":
                self.fail(node, f"tag {node.tag!r} is not allowed; only plain YAML is read")
                return None
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == f"{_STD}merge":
                    self.fail(key_node, "merge keys ('<<') are not supported")
                    continue
                key = self.walk(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    self.fail(key_node, "a mapping key must be a plain string")
                    continue
                if key in out:
                    first = self.doc.key_pos.get(path + (key,), (0, 0))
                    self.fail(key_node, f"duplicate key {key!r} (first defined at line {first[0]})")
                    continue
                self.doc.key_pos[path + (key,)] = self._at(key_node)
                out[key] = self.walk(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_STD}seq":
                self.fail(node, f"tag {node.tag!r} is not allowed; only plain YAML is read")
                return None
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            self.fail(node, f"tag {node.tag!r} is not allowed; only plain YAML is read")
            return None
        if node.tag == f"{_STD}timestamp":
            return node.value  # keep dates as the text written; the models parse them
        tag = node.tag
        if tag == f"{_STD}str":
            return node.value
        return self._scalar.construct_object(node, deep=True)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def load_located(text: str, file: str, limits: Limits | None = None) -> tuple[Located | None, list[Problem]]:
    """Parse ``text``; return the located document (None if unreadable) and every problem found."""
    limits = limits or Limits()
    if len(text.encode("utf-8")) > limits.max_bytes:
        return None, [Problem(file, 1, 1, f"file is larger than the limit of {limits.max_bytes} bytes")]
    problem = _depth_problem(text, file, limits)
    if problem:
        return None, [problem]
    try:
        root = _LOADER(text).get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (err.context, err.problem) if x)
        return None, [Problem(file, line, col, f"YAML syntax: {what}")]
    except yaml.YAMLError as err:
        return None, [Problem(file, 1, 1, f"YAML: {err}")]
    walker = _Walker(file, limits)
    if root is None:
        return Located({}, file), []
    try:
        walker.doc.value = walker.walk(root, (), 0)
    except _TooBig as err:
        line, col = walker._at(err.node)
        return None, [Problem(file, line, col, str(err))]
    return walker.doc, sorted(walker.problems)


def _depth_problem(text: str, file: str, limits: Limits) -> Problem | None:
    """Check nesting with the event parser (no recursion) before composing a tree."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    return Problem(file, mark.line + 1, mark.column + 1,
                                   f"nested deeper than {limits.max_depth} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the composer reports syntax errors with their position
    return None
