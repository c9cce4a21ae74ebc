"""Safe YAML -> plain Python data plus the line:col of every key and value.

PyYAML composes the text into a node graph (each node keeps its start mark); this module
then builds the data itself instead of using PyYAML's constructors, so that it can
(after the approach of Dagster's `yaml_utils`):

- record a position index `{tuple(path): (line, col)}` (1-based) for values and keys,
  which the loader uses to place pydantic's errors;
- reject duplicate keys at the second key, and any tag outside the plain safe set
  (`!!python/object` and friends are refused with a clear message, never constructed);
- keep dates as the text the author wrote;
- stop alias bombs and recursive aliases early: every node visited through an alias is
  counted, and expansion stops at a fixed budget.

Every problem is a `YamlIssue` (position + message); the caller formats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

Path = tuple[Any, ...]

# Nodes visited again through aliases. A case may reuse a block a few times; a billion-laughs
# file asks for hundreds of millions. Counting stops long before it costs time or memory.
MAX_ALIAS_NODES = 10_000
# Values in the whole document, counted while composing and again after expansion. The
# largest shipped case has a few thousand; the limit keeps a pathological 1 MB file to a
# couple of seconds instead of tens.
MAX_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("null", "bool", "int", "float", "str")}
_TIMESTAMP = _TAG + "timestamp"
_MERGE = _TAG + "merge"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"
_SKIP = object()


@dataclass(frozen=True)
class YamlIssue(Exception):
    """One problem in the YAML text, at a 1-based line and column."""

    line: int
    col: int
    message: str
    path: Path = ()


@dataclass
class Positions:
    """Where each value (`values`) and each mapping key (`keys`) starts, by data path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def nearest(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its closest recorded ancestor."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


def _pos(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _describe_tag_problem(tag: str) -> str:
    short = _short_tag(tag)
    if short.startswith("!!python/"):
        return (
            f"tag '{short}' is not allowed: case files are data, and Python object tags could run code; "
            "write plain values (text, numbers, true/false, lists and mappings)"
        )
    return f"tag '{short}' is not allowed; write plain values (text, numbers, true/false, lists and mappings)"


class _Builder:
    """Walks one composed node graph and builds fresh plain data with positions."""

    def __init__(self) -> None:
        self.positions = Positions()
        self.constructor = SafeConstructor()
        self.nodes = 0
        self.alias_nodes = 0
        self.seen: set[int] = set()  # ids of nodes already built once (a second visit is an alias)
        self.active: set[int] = set()  # ids of collections being built (a revisit is a recursive alias)
        self.expanded: dict[Path, bool] = {}  # path -> reached through an alias
        self.issues: list[YamlIssue] = []  # problems that do not stop the walk (reported together)

    def _where_used(self, path: Path) -> tuple[int, int]:
        """Line:col of the innermost key on `path` written outside any alias expansion.

        A node reached through an alias carries the position of its anchor, so an alias
        problem is reported at the key in whose value the alias was used instead.
        """
        for end in range(len(path), 0, -1):
            if path[:end] in self.positions.keys and not self.expanded.get(path[:end], False):
                return self.positions.keys[path[:end]]
        return self.positions.values.get((), (1, 1))

    def _count(self, node: Node, through_alias: bool, path: Path) -> bool:
        self.nodes += 1
        revisit = through_alias or id(node) in self.seen
        if revisit:
            self.alias_nodes += 1
        self.seen.add(id(node))
        if self.alias_nodes > MAX_ALIAS_NODES or self.nodes > MAX_NODES:
            line, col = self._where_used(path)
            raise YamlIssue(
                line,
                col,
                f"too many aliases/nodes (alias bomb?): expanding anchors and aliases gives more than "
                f"{MAX_ALIAS_NODES if self.alias_nodes > MAX_ALIAS_NODES else MAX_NODES} values; "
                "write the repeated blocks out or use fewer nested aliases",
            )
        return revisit

    def build(self, node: Node, path: Path, through_alias: bool = False) -> Any:
        revisit = self._count(node, through_alias, path)
        self.expanded[path] = revisit
        self.positions.values[path] = _pos(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            line, col = self._where_used(path)
            raise YamlIssue(line, col, "recursive alias: a block refers to itself through an anchor", path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ:
                    return self._reject_tag(node, path)
                return [self.build(item, path + (index,), revisit) for index, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path, revisit)
        finally:
            self.active.discard(id(node))
        line, col = _pos(node)  # pragma: no cover - PyYAML only makes the three node kinds
        raise YamlIssue(line, col, "unsupported YAML node", path)

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        line, col = _pos(node)
        if node.tag == _TIMESTAMP:
            return str(node.value)  # dates stay the text the author wrote
        if node.tag not in _SCALAR_TAGS:
            return self._reject_tag(node, path)
        try:
            return self.constructor.yaml_constructors[node.tag](self.constructor, node)
        except (ConstructorError, ValueError, TypeError) as exc:
            value = node.value
            shown = repr(value) if len(value) <= 40 else f"{value[:20]!r}... ({len(value)} characters)"
            reason = str(exc).split(";")[0][:120]
            self.issues.append(YamlIssue(line, col, f"cannot read {shown} as {_short_tag(node.tag)}: {reason}", path))
            return None

    def _reject_tag(self, node: Node, path: Path) -> None:
        line, col = _pos(node)
        self.issues.append(YamlIssue(line, col, _describe_tag_problem(node.tag), path))
        return None

    def _key(self, node: Node, path: Path) -> Any:
        """The key's value (always hashable), or _SKIP after recording why it cannot be one."""
        if not isinstance(node, ScalarNode):
            line, col = _pos(node)
            self.issues.append(YamlIssue(line, col, "a key must be plain text, not a list or a mapping", path))
            return _SKIP
        key = self._scalar(node, path)
        try:
            hash(key)
        except TypeError:  # pragma: no cover - safe scalars are hashable
            return repr(key)
        return key

    def _mapping(self, node: MappingNode, path: Path, revisit: bool) -> dict:
        if node.tag != _MAP:
            return self._reject_tag(node, path)
        result: dict[Any, Any] = {}
        first_seen: dict[Any, tuple[int, int]] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = self._key(key_node, path)
            if key is _SKIP:
                continue
            key_pos = _pos(key_node)
            if key in first_seen:
                self.issues.append(
                    YamlIssue(
                        key_pos[0],
                        key_pos[1],
                        f"duplicate key {key!r} (first given at line {first_seen[key][0]}); "
                        "each key may appear once in a mapping",
                        path + (key,),
                    )
                )
                continue
            first_seen[key] = key_pos
            self.positions.keys[path + (key,)] = key_pos
            result[key] = self.build(value_node, path + (key,), revisit)
        for merge_node in merges:  # `<<: *base` fills in keys not given explicitly
            sources = merge_node.value if isinstance(merge_node, SequenceNode) else [merge_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    line, col = _pos(source)
                    raise YamlIssue(line, col, "`<<` (merge) expects an alias of a mapping, e.g. `<<: *base`", path)
                for key_node, value_node in source.value:
                    key = self._key(key_node, path)
                    if key is not _SKIP and key not in result:
                        self.positions.keys[path + (key,)] = _pos(key_node)
                        result[key] = self.build(value_node, path + (key,), True)
        return result


try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None


class _CountingComposer(Composer):
    """Composer that gives up once the document has more than MAX_NODES nodes."""

    composed = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        self.composed += 1
        if self.composed > MAX_NODES:
            mark = self.peek_event().start_mark
            raise YamlIssue(
                mark.line + 1, mark.column + 1,
                f"too many values: the file has more than {MAX_NODES}; a case needs a few thousand at most",
            )
        return super().compose_node(parent, index)


class _SafeCountingLoader(_CountingComposer, yaml.SafeLoader):
    pass


if _CParser is not None:

    class _FastComposer(_CountingComposer, _CParser, Resolver):
        """libyaml's parser (about 10x faster) under PyYAML's Python composer.

        libyaml's own composer recurses in C and crashes the interpreter on deeply nested
        input; the Python composer raises RecursionError instead, which we report.
        """

        def __init__(self, text: str):
            _CParser.__init__(self, text)
            _CountingComposer.__init__(self)
            Resolver.__init__(self)


def _compose(text: str) -> Node | None:
    loader = _FastComposer(text) if _CParser is not None else _SafeCountingLoader(text)
    try:
        return loader.get_single_node()
    finally:
        getattr(loader, "dispose", lambda: None)()


def _syntax_issue(exc: yaml.YAMLError, text: str) -> YamlIssue:
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        if _CParser is not None:  # libyaml counts bytes of UTF-8, not characters
            position = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        before = text[:position]
        line = before.count("\n") + 1
        col = position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return YamlIssue(line, col, f"unreadable character {char!r} (#x{ord(char):04x}); is this a text file?")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    if context.startswith("while"):
        if context_mark is not None and context_mark is not mark:
            context += f" started at line {context_mark.line + 1}, column {context_mark.column + 1}"
        message = f"YAML syntax error: {problem} ({context})"
    else:
        message = f"YAML syntax error: {context}, {problem}" if context else f"YAML syntax error: {problem}"
    if mark is not None and problem.startswith(_INDENT_PROBLEMS):
        message = _indentation_message(text, mark.line, message)
    elif problem.startswith("mapping values are not allowed"):
        over = _over_indented_message(text, mark.line, message) if mark is not None else message
        message = over + ("; put text that contains ': ' in quotes" if over == message
                          else "; if this line is text that contains ': ', put it in quotes instead")
    if mark is not None:
        lines = text.splitlines()
        source_line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in source_line[: mark.column + 1]:
            message = "YAML syntax error: a tab character cannot indent YAML; indent with spaces"
    return YamlIssue(line, col, message)


# Parser messages that, in a hand-written case, almost always mean a line is indented wrongly.
_INDENT_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")


def _content_lines(text: str, before: int) -> list[tuple[int, int, str]]:
    """(0-based line, indentation, stripped text) of the lines above `before` with content, nearest first."""
    lines = text.splitlines()[:before]
    found = []
    for number in range(len(lines) - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            found.append((number, len(lines[number]) - len(lines[number].lstrip(" ")), stripped))
    return found


def _indent_of(text: str, line: int) -> int:
    lines = text.splitlines()
    source = lines[line] if line < len(lines) else ""
    return len(source) - len(source.lstrip(" "))


def _indentation_message(text: str, line: int, parser_message: str) -> str:
    """Say it is the indentation, and which columns the blocks above start in."""
    columns: list[int] = []
    for _, indent, _ in _content_lines(text, line):
        if not columns or indent < columns[-1]:
            columns.append(indent)  # the blocks this line could belong to, innermost first
    starts = ("columns " if len(columns) > 1 else "column ") + ", ".join(str(c + 1) for c in sorted(columns))
    return (f"indentation error: line {line + 1} starts in column {_indent_of(text, line) + 1}, but the blocks "
            f"above it start in {starts}; a key or `- ` item must start in the same column as the "
            f"others of its block ({parser_message})")


def _over_indented_message(text: str, line: int, parser_message: str) -> str:
    """A key indented under a line that already has its value reads as a colon inside text."""
    above = _content_lines(text, line)
    if above and _indent_of(text, line) > above[0][1] and not above[0][2].endswith(":"):
        number, indent, _ = above[0]
        return (f"indentation error: line {line + 1} is indented more than line {number + 1}, which already has "
                f"its value; start it in column {indent + 1} like line {number + 1} ({parser_message})")
    return parser_message


def load_yaml(text: str) -> tuple[Any, Positions, list[YamlIssue]]:
    """Parse `text` safely into (data, positions, issues).

    Raises YamlIssue when nothing useful can be built (syntax errors, alias bombs). Problems
    that leave the rest of the file readable (duplicate keys, refused tags, which read as
    null) come back in `issues`, so that they are reported together with schema errors.
    """
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise _syntax_issue(exc, text) from None
    except RecursionError:
        raise YamlIssue(1, 1, "the YAML is nested too deeply to be a case file") from None
    if root is None:
        return None, Positions(), []
    builder = _Builder()
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise YamlIssue(1, 1, "the YAML is nested too deeply to be a case file") from None
    return data, builder.positions, builder.issues
