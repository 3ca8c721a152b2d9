"""Read YAML into plain values while remembering where every value came from.

PyYAML's composer builds a node tree without constructing anything, so no tag is
ever executed. We walk that tree ourselves: duplicate keys and non-standard tags
(``!!python/...``, ``!!binary``, ``!!set``, an explicit ``!!timestamp`` and friends)
become problems with their line and column, and every value's position is kept in a
map from its path to ``(line, col)``.

What comes out is what canonical JSON holds and every reader agrees on
(:mod:`tabletop.core.jsonsafe`): string keys only, integers within ±(2^53 − 1), finite
numbers, strings, lists and mappings within the caps of :class:`Limits`. Aliases are
counted as expanded before anything is built, so an alias bomb is refused at once.
Plain dates (``2026-07-01``) stay the text written; the models parse them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from tabletop import i18n
from tabletop.core import jsonsafe

Path = tuple[Any, ...]

_STD = "tag:yaml.org,2002:"
#: libyaml's parser when PyYAML was built with it (same results, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {f"{_STD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column.

    ``message`` is English (older checks write it directly); a problem built with
    :meth:`keyed` also carries a translation key and its parameters, and :meth:`text`
    renders it in the user's language. A ``warning`` does not make the file invalid.
    """

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"
    key: str | None = field(default=None, compare=False)
    params: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def keyed(cls, file: str, line: int, col: int, key: str, params: dict[str, Any] | None = None,
              severity: str = "error") -> "Problem":
        return cls(file, line, col, i18n.render(key, params, "en"), severity, key, dict(params or {}))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, lang: str = "en") -> str:
        """``file:line:col: message`` (``file:line:col: warning: message``) in ``lang``."""
        message = i18n.render(self.key, self.params, lang) if self.key else self.message
        label = "" if self.is_error else f"{i18n.t('problem.' + self.severity, lang)}: "
        return f"{self.file}:{self.line}:{self.col}: {label}{message}"

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class Limits:
    """Caps that keep hostile or runaway input files from exhausting the machine
    (documented in docs/scenario-format.md, "Limits")."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 32
    #: Values in the document with every alias expanded (keys count too).
    max_nodes: int = 500_000
    #: Characters in one string (a text, an id, a key).
    max_string: int = 100_000
    #: Items in one list or mapping.
    max_items: int = 100_000

    def json_caps(self, max_items: int | None = None) -> jsonsafe.Caps:
        return jsonsafe.Caps(max_depth=self.max_depth, max_string=self.max_string,
                             max_items=self.max_items if max_items is None else max_items,
                             max_nodes=self.max_nodes)


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

    def problem(self, path: Path, message: str, key: bool = False, severity: str = "error") -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message, severity)

    def keyed(self, path: Path, key: str, params: dict[str, Any] | None = None, at_key: bool = False,
              severity: str = "error") -> Problem:
        """A problem at ``path`` with a translated message (``key`` and ``params``)."""
        line, col = self.where(path, key=at_key)
        return Problem.keyed(self.file, line, col, key, params, severity)

    def unsafe(self, unsafe: jsonsafe.Unsafe, prefix: Path = ()) -> Problem:
        """A :mod:`jsonsafe` refusal at the value it is about, ``where`` naming the field."""
        path = prefix + tuple(unsafe.path)
        return self.keyed(path, unsafe.key, {**unsafe.params, "where": where_param(path)})


def dotted(path: Path) -> str:
    """``("counties", 0, "townships")`` -> ``counties[0].townships``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) and not isinstance(part, bool) else (("." if out else "") + str(part))
    return out


def where_param(path: Path) -> Any:
    """The ``where`` of a message: the dotted field (``injects[0].args``), or "top level"."""
    return dotted(path) if path else {"key": "json.top_level"}


#: Longest digit string read as an integer: anything longer is far outside ±(2^53 − 1)
#: (and Python refuses to convert more than 4,300 digits at all).
_MAX_INT_TEXT = 40


class _Walker:
    def __init__(self, text: str, file: str, limits: Limits) -> None:
        self.text = text
        self.file = file
        self.limits = limits
        self.problems: list[Problem] = []
        self.nodes = 0
        self.doc = Located(None, file)
        self._scalar = yaml.SafeLoader("")

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def fail(self, node: yaml.Node, key: str, params: dict[str, Any]) -> None:
        line, col = self._at(node)
        self.problems.append(Problem.keyed(self.file, line, col, key, params))

    def fail_text(self, node: yaml.Node, message: str) -> None:
        line, col = self._at(node)
        self.problems.append(Problem(self.file, line, col, message))

    def refuse_tag(self, node: yaml.Node, tag: str) -> None:
        self.fail(node, "yaml.tag", {"tag": repr(tag)})

    def explicit_tag(self, node: yaml.Node) -> bool:
        """Whether the node's tag was written (``!!timestamp 2026-07-01``) rather than resolved."""
        index = node.start_mark.index
        text = self.text
        while index < len(text) and text[index] in "!&":
            if text[index] == "!":
                return True
            while index < len(text) and not text[index].isspace():  # skip the anchor &name
                index += 1
            while index < len(text) and text[index] in " \t\r\n":
                index += 1
        return False

    def walk(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _TooBig(node, _too_many(self.limits))
        if depth > self.limits.max_depth:
            raise _TooBig(node, _too_deep(self.limits))
        self.doc.value_pos[path] = self._at(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != f"{_STD}map":
                self.refuse_tag(node, node.tag)
                return None
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == f"{_STD}merge":
                    self.fail(key_node, "yaml.merge_key", {})
                    continue
                key = self.walk(key_node, path + ("<key>",), depth + 1)
                if type(key) is not str:
                    if key is not None or not self._refused(key_node):
                        self.fail(key_node, "json.key_not_string",
                                  {"where": where_param(path), "key": _shown(key, key_node)})
                    continue
                if key in out:
                    first = self.doc.key_pos.get(path + (key,), (0, 0))
                    self.fail(key_node, "yaml.duplicate_key", {"key": repr(key), "line": first[0]})
                    continue
                self.doc.key_pos[path + (key,)] = self._at(key_node)
                out[key] = self.walk(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_STD}seq":
                self.refuse_tag(node, node.tag)
                return None
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.refuse_tag(node, tag)
            return None
        if tag == f"{_STD}timestamp":
            if self.explicit_tag(node):
                self.refuse_tag(node, tag)  # a date object is not JSON; a plain date stays text
                return None
            return node.value  # keep dates as the text written; the models parse them
        if tag == f"{_STD}str":
            return node.value
        if tag == f"{_STD}int" and len(node.value) > _MAX_INT_TEXT:
            self.fail(node, "json.int_range", {"where": where_param(path), "limit": jsonsafe.MAX_INT})
            return None
        try:
            return self._scalar.construct_object(node, deep=True)
        except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
            self.fail(node, "yaml.bad_scalar", {"tag": repr(tag), "value": node.value[:80]})
            return None

    def _refused(self, node: yaml.Node) -> bool:
        """Whether a problem was already reported at ``node`` (a refused tag, an unreadable number)."""
        line, col = self._at(node)
        return any(p.line == line and p.col == col for p in self.problems)


def _shown(key: Any, node: yaml.Node) -> str:
    """A refused key as the user wrote it (``1``, ``true``, ``[a, b]``), at most 80 characters."""
    text = node.value if isinstance(node, yaml.ScalarNode) else repr(key)
    return str(text)[:80]


def _too_many(limits: Limits) -> tuple[str, dict[str, Any]]:
    return "yaml.too_many_nodes", {"limit": limits.max_nodes}


def _too_deep(limits: Limits) -> tuple[str, dict[str, Any]]:
    return "yaml.too_deep", {"limit": limits.max_depth}


class _TooBig(Exception):
    def __init__(self, node: yaml.Node | None, what: tuple[str, dict[str, Any]], mark: Any = None) -> None:
        super().__init__(what[0])
        self.key, self.params = what
        if mark is None:
            if node is None:
                raise ValueError("a size problem needs a node or a mark")
            mark = node.start_mark
        self.mark = mark

    def problem(self, file: str) -> Problem:
        return Problem.keyed(file, self.mark.line + 1, self.mark.column + 1, self.key, self.params)


#: Keys of YAML syntax errors (the text cannot be parsed at all).
SYNTAX_KEYS = frozenset({"yaml.unclosed_quote", "yaml.unclosed_flow", "yaml.tab", "yaml.mapping_values",
                         "yaml.expected_colon", "yaml.indentation", "yaml.syntax"})


def syntax_problem(file: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error where the writer made it, in words: an unclosed quote or bracket at
    the line it opens (PyYAML notices only at the end of the file), a tab as a tab."""
    problem = err.problem or ""
    context = err.context or ""
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail = " ".join(x for x in (context, problem) if x)
    lines = text.splitlines()
    start = err.context_mark
    if "quoted scalar" in context and start is not None and "end of stream" in problem:
        quote = text[start.index] if start.index < len(text) and text[start.index] in "'\"" else '"'
        return Problem.keyed(file, start.line + 1, start.column + 1, "yaml.unclosed_quote", {"quote": quote})
    if "flow" in context and start is not None and ("end of stream" in problem or "expected ','" in problem):
        bracket = text[start.index] if start.index < len(text) and text[start.index] in "[{" else "{"
        return Problem.keyed(file, start.line + 1, start.column + 1, "yaml.unclosed_flow", {"bracket": bracket})
    tab = _tab_near(lines, line)
    if "tab" in problem or "'\\t'" in problem or tab is not None:
        if tab is not None:
            line, col = tab
        return Problem.keyed(file, line, col, "yaml.tab", {})
    if "mapping values are not allowed" in problem:
        return Problem.keyed(file, line, col, "yaml.mapping_values", {})
    if "could not find expected ':'" in problem:
        return Problem.keyed(file, line, col, "yaml.expected_colon", {"detail": detail})
    if "expected <block end>" in problem or "did not find expected key" in problem \
            or "expected <block mapping start>" in problem:
        return Problem.keyed(file, line, col, "yaml.indentation", {"detail": detail})
    return Problem.keyed(file, line, col, "yaml.syntax", {"detail": detail})


def _tab_near(lines: list[str], line: int) -> tuple[int, int] | None:
    """A tab in the indentation of the reported line or the one before it (where PyYAML trips
    over one), as (line, col)."""
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            text = lines[number - 1]
            indent = text[:len(text) - len(text.lstrip(" \t"))]
            if "\t" in indent:
                return number, indent.index("\t") + 1
    return None


def load_located(text: str, file: str, limits: Limits | None = None,
                 caps: jsonsafe.Caps | None = None) -> tuple[Located | None, list[Problem]]:
    """Parse ``text``; return the located document (None if unreadable) and every problem found.

    ``caps`` (default: from ``limits``) bound the plain values; the first value they
    refuse is reported at its position.
    """
    limits = limits or Limits()
    if len(text) > limits.max_bytes or len(text.encode("utf-8")) > limits.max_bytes:
        return None, [Problem.keyed(file, 1, 1, "file.too_large", {"limit": limits.max_bytes})]
    try:
        _prescan(text, limits)
    except _TooBig as err:
        return None, [err.problem(file)]
    try:
        root = _LOADER(text).get_single_node()
    except yaml.MarkedYAMLError as err:
        return None, [syntax_problem(file, text, err)]
    except yaml.YAMLError as err:
        return None, [Problem.keyed(file, 1, 1, "yaml.syntax", {"detail": str(err)})]
    except RecursionError:  # never reached within the depth limit; refused rather than raised
        return None, [Problem.keyed(file, 1, 1, *_too_deep(limits))]
    walker = _Walker(text, file, limits)
    if root is None:
        return Located({}, file), []
    try:
        walker.doc.value = walker.walk(root, (), 0)
    except _TooBig as err:
        return None, [err.problem(file)]
    problems = walker.problems
    unsafe = jsonsafe.problem(walker.doc.value, caps or limits.json_caps())
    if unsafe is not None:
        problems.append(walker.doc.unsafe(unsafe))
    return walker.doc, sorted(problems)


def _prescan(text: str, limits: Limits) -> None:
    """Check nesting and the size with every alias expanded, with the event parser
    (no recursion, nothing expanded) before composing a tree; raises :class:`_TooBig`
    at the collection or the alias that goes over."""
    depth = 0
    total = 0  # values so far, aliases counted as the size of what they repeat
    opened: list[tuple[str | None, int]] = []  # (anchor, total before) of each open collection
    sizes: dict[str, int] = {}  # anchor -> expanded size of the node it names
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                total += 1
                anchor = cast(yaml.NodeEvent, event).anchor
                if anchor is not None:
                    sizes[anchor] = 1
            elif kind is yaml.AliasEvent:
                total += sizes.get(cast(yaml.NodeEvent, event).anchor or "", 0)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > limits.max_depth:
                    raise _TooBig(None, _too_deep(limits), event.start_mark)
                opened.append((cast(yaml.NodeEvent, event).anchor, total))
                total += 1
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
                anchor, before = opened.pop()
                if anchor is not None:
                    sizes[anchor] = total - before
            else:
                continue
            if total > limits.max_nodes:
                raise _TooBig(None, _too_many(limits), event.start_mark)
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their position
