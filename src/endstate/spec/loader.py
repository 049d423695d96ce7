"""Reading mission specs from YAML or TOML, with every problem placed in the file.

Core objects: :class:`Problem` (file, line, column, field path, message),
:class:`SpecError` (all problems of one or more files) and :func:`load_spec`.
YAML is read with the safe loader only; positions come from the composed node
tree, so every problem, even a cross-section one, points at a line.  TOML gives
positions for syntax errors; other TOML problems are placed by field path.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from endstate.files import InputFileError, read_text

from .models import BASELINE, Loc, MissionSpec, cross_field_problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec file."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class SpecError(Exception):
    """A spec that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


Positions = dict[Loc, tuple[int, int]]


_YAML = "tag:yaml.org,2002:"
_REPLACED = {_YAML + "bool", _YAML + "int", _YAML + "float"}
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")

MAX_SPEC_BYTES = 4 * 1024 * 1024
"""Largest spec file read (4 MiB).  The longest shipped spec is under 30 KB; a spec a hundred times that is not
written by hand, and the cap keeps ``/dev/zero``-like inputs from exhausting memory."""
MAX_LINE_CHARS = 100_000
"""Longest line read: far above a flow-style list written on one line, far below a runaway line."""
MAX_STRING_CHARS = 10_000
"""Longest text value (a description of a few pages); longer text is a pasted file, not a field."""
MAX_LIST_ITEMS = 10_000
"""Most items in one list: above any real list of regions, contributors, assignments or elections."""
MAX_NUMBER_CHARS = 40
"""Longest written number: a float needs 17 significant digits and an exponent; 40 characters leave room for
underscores and signs, and refuse a 400-digit integer before Python turns it into an int."""


_Base: Any = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
"""libyaml's parser when installed (about ten times faster on large files), else PyYAML's own; the resolver and
constructors below are the same Python classes either way."""


class _SpecLoader(_Base):  # type: ignore[misc]
    """The safe loader with YAML 1.2 core-schema scalars.

    PyYAML follows YAML 1.1: ``1:30:00`` reads as 5400 (sexagesimal), ``yes``,
    ``no``, ``on`` and ``off`` as booleans, ``010`` as 8 (octal), and ``1e5`` as
    text.  Here, as in YAML 1.2, only ``true``/``false`` are booleans, integers
    are decimal (or ``0o``/``0x``), floats include ``1e5`` and ``.inf``, and
    everything else is text, which the spec then refuses where it expects a
    number.
    """

    yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in _REPLACED] for k, v in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML lets a bad scalar (a date like 2030-13-01, "!!int x") escape as a bare
        # ValueError with no position; give it the node's position instead.
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as e:
            tag = node.tag.rsplit(":", 1)[-1]
            kind = {"timestamp": "a date", "int": "an integer", "float": "a number", "bool": "true/false"}.get(tag, f"'{tag}'")
            what = repr(node.value if len(node.value) <= 60 else node.value[:57] + "...") if isinstance(node.value, str) else "this value"
            why = f" ({e})" if isinstance(e, ValueError) and str(e) else ""
            raise yaml.constructor.ConstructorError(None, None, f"cannot read {what} as {kind}{why}", node.start_mark) from e

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = self._number_text(node)
        if not _INT.match(text):
            raise ValueError("not a YAML 1.2 integer")
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text, 10)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        text = self._number_text(node)
        if not _FLOAT.match(text):
            raise ValueError("not a YAML 1.2 number")
        low = text.lower()
        if low.endswith(".inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        if low == ".nan":
            return float("nan")
        return float(text)

    def _number_text(self, node: yaml.ScalarNode) -> str:
        text = str(self.construct_scalar(node))
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number written with {len(text)} characters; numbers are limited to {MAX_NUMBER_CHARS}")
        return text


_SpecLoader.add_constructor(_YAML + "int", _SpecLoader.construct_yaml_int)
_SpecLoader.add_constructor(_YAML + "float", _SpecLoader.construct_yaml_float)
_SpecLoader.add_implicit_resolver(_YAML + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_SpecLoader.add_implicit_resolver(_YAML + "int", _INT, list("-+0123456789"))
_SpecLoader.add_implicit_resolver(_YAML + "float", _FLOAT, list("-+0123456789."))


MAX_VALUES = 1_000_000


def _check_aliases(node: yaml.Node, name: str) -> None:
    """Refuse self-referring aliases, and aliases that expand past :data:`MAX_VALUES` values ("billion laughs")."""
    size: dict[int, int] = {}
    walking: set[int] = set()

    def count(n: yaml.Node) -> int:
        if id(n) in size:
            return size[id(n)]
        if id(n) in walking:
            raise SpecError([Problem(name, n.start_mark.line + 1, n.start_mark.column + 1, "", "a YAML alias refers to itself")])
        walking.add(id(n))
        kids = [x for pair in n.value for x in pair] if isinstance(n, yaml.MappingNode) else n.value if isinstance(n, yaml.SequenceNode) else []
        size[id(n)] = min(1 + sum(count(k) for k in kids), MAX_VALUES + 1)
        walking.discard(id(n))
        return size[id(n)]

    if count(node) > MAX_VALUES:
        raise SpecError([Problem(name, None, None, "", f"YAML aliases expand this file to over {MAX_VALUES:,} values")])


def _surrogate(text: str) -> int | None:
    """Index of the first lone surrogate in ``text`` (a ``"\\ud800"`` escape), else ``None``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return e.start
    return None


def _check_nodes(node: yaml.Node, name: str) -> None:
    """Refuse, before anything is built, repeated keys, over-long text and lists, and lone surrogates.

    A YAML mapping that repeats a key keeps the last value silently (PyYAML
    does not object); a spec then says something other than what its reader
    sees.  Each node is visited once, however many aliases point at it.
    """
    problems: list[Problem] = []
    seen: set[int] = set()

    def at(n: yaml.Node, msg: str) -> None:
        problems.append(Problem(name, n.start_mark.line + 1, n.start_mark.column + 1, "", msg))

    stack = [node]
    while stack and len(problems) < 50:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            if len(n.value) > MAX_STRING_CHARS:
                at(n, f"a text value of {len(n.value):,} characters, over the limit of {MAX_STRING_CHARS:,}")
            bad = _surrogate(n.value)
            if bad is not None:
                at(n, f"the text holds a lone surrogate ({n.value[bad]!r}), which is not a character; write the character itself")
        elif isinstance(n, yaml.SequenceNode):
            if len(n.value) > MAX_LIST_ITEMS:
                at(n, f"a list of {len(n.value):,} items, over the limit of {MAX_LIST_ITEMS:,}")
            stack.extend(reversed(n.value))
        elif isinstance(n, yaml.MappingNode):
            if len(n.value) > MAX_LIST_ITEMS:
                at(n, f"a mapping of {len(n.value):,} keys, over the limit of {MAX_LIST_ITEMS:,}")
            first: dict[str, yaml.Node] = {}
            for k, _ in n.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != _YAML + "merge":
                    prev = first.setdefault(k.value, k)
                    if prev is not k:
                        at(k, f"key '{k.value}' appears twice in this mapping: first on line {prev.start_mark.line + 1}, "
                           f"again on line {k.start_mark.line + 1} (YAML would silently keep the last)")
            stack.extend(x for pair in reversed(n.value) for x in reversed(pair))
    if problems:
        raise SpecError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


def _check_values(data: Any, name: str, path: Loc = ()) -> list[Problem]:
    """The same limits on already-parsed data (TOML, which gives no positions; placed by field path)."""
    out: list[Problem] = []
    if isinstance(data, str):
        if len(data) > MAX_STRING_CHARS:
            out.append(Problem(name, None, None, _dotted(path), f"a text value of {len(data):,} characters, over the limit of {MAX_STRING_CHARS:,}"))
    elif isinstance(data, int) and not isinstance(data, bool) and len(str(abs(data))) > MAX_NUMBER_CHARS:
        out.append(Problem(name, None, None, _dotted(path), f"a number with over {MAX_NUMBER_CHARS} digits"))
    elif isinstance(data, list):
        if len(data) > MAX_LIST_ITEMS:
            out.append(Problem(name, None, None, _dotted(path), f"a list of {len(data):,} items, over the limit of {MAX_LIST_ITEMS:,}"))
        for i, v in enumerate(data[:MAX_LIST_ITEMS]):
            out += _check_values(v, name, path + (i,))
    elif isinstance(data, dict):
        for k, v in data.items():
            out += _check_values(v, name, path + (str(k),))
    return out


def _positions(node: yaml.Node, path: Loc = (), seen: set[int] | None = None) -> Positions:
    """Map each field path to the (line, column) where its value (or key) sits.

    A node reached again through a YAML alias is placed at its anchor and not
    walked twice, so self-referring or exponentially aliased files stay cheap.
    """
    seen = set() if seen is None else seen
    out: Positions = {path: (node.start_mark.line + 1, node.start_mark.column + 1)}
    if id(node) in seen:
        return out
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            sub = _positions(v, path + (key,), seen)
            sub[path + (key,)] = (k.start_mark.line + 1, k.start_mark.column + 1)
            out.update(sub)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.update(_positions(v, path + (i,), seen))
    return out


def _locate(pos: Positions, loc: Loc) -> tuple[int | None, int | None]:
    for n in range(len(loc), -1, -1):
        if loc[:n] in pos:
            return pos[loc[:n]]
    return (None, None)


def _dotted(loc: Loc) -> str:
    s = ""
    for part in loc:
        s += f"[{part}]" if isinstance(part, int) else (f".{part}" if s else str(part))
    return s


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that holds the field at ``loc``."""
    tp: Any = MissionSpec
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            continue
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            f = tp.model_fields.get(part)
            if f is None:
                return None
            tp = f.annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Optional, list and Annotated down to the model class inside."""
    for _ in range(6):
        origin = get_origin(tp)
        if origin is None:
            return tp
        args = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        tp = models[0] if models else (args[0] if args else tp)
    return tp


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{near[0]}'?" if near else (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return "required field is missing"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    inp = err.get("input")
    if not isinstance(inp, (dict, list)) and inp is not None and repr(inp) not in msg and str(inp) not in msg:
        msg += f" (got {inp!r})"
    return msg


def _read(path: Path) -> tuple[Any, Positions]:
    name = str(path)
    try:
        text = read_text(path, max_bytes=MAX_SPEC_BYTES, max_line_chars=MAX_LINE_CHARS)
    except InputFileError as e:
        raise SpecError([Problem(name, e.line, None, "", e.message)]) from None
    if path.suffix.lower() == ".toml":
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            # Python 3.11's tomllib puts the position only in the message: "... (at line 3, column 7)".
            msg = str(e)
            at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
            line, col = (int(at[1]), int(at[2])) if at else (None, None)
            msg = msg[: at.start()] if at else msg
            raise SpecError([Problem(name, line, col, "", f"TOML syntax error: {msg}")]) from None
        except RecursionError:
            raise SpecError([Problem(name, None, None, "", "the file is nested too deeply to be a spec")]) from None
        problems = _check_values(table, name)
        if problems:
            raise SpecError(problems[:50])
        return table, {}
    try:
        loader = _SpecLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_aliases(node, name)
                _check_nodes(node, name)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        pos = _positions(node) if node is not None else {}
    except yaml.constructor.ConstructorError as e:
        mark = e.problem_mark
        problem = str(e.problem)
        if "constructor for the tag" in problem:
            problem = f"refused: {problem} (specs are read with the safe loader; tags that build Python objects are not allowed)"
        else:
            problem = f"YAML error: {problem}"
        raise SpecError([Problem(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", problem)]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        # PyYAML 6.0.4 stops deep nesting itself; earlier versions recurse until RecursionError (below): one message for both
        text = "the file is nested too deeply to be a spec" if "nesting depth" in str(problem) else f"YAML syntax error: {problem}"
        raise SpecError([Problem(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", text)]) from None
    except RecursionError:
        raise SpecError([Problem(name, None, None, "", "the file is nested too deeply to be a spec")]) from None
    return data, pos


def read_value(text: str) -> Any:
    """One YAML value read with the spec's YAML 1.2 rules (for values given on a command line)."""
    loader = _SpecLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def validate_data(data: Any, name: str = "<spec>", pos: Positions | None = None) -> MissionSpec:
    """Validate an already-parsed spec; raise :class:`SpecError` listing every problem."""
    pos = pos or {}
    if not isinstance(data, dict):
        raise SpecError([Problem(name, 1, 1, "", "a spec must be a mapping of sections (mission, theatre, ...)")])
    try:
        spec = MissionSpec.model_validate(data, context={"defer_cross_checks": True})
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(err["loc"])
            line, col = _locate(pos, loc)
            problems.append(Problem(name, line, col, _dotted(loc), _message(dict(err))))
        raise SpecError(problems) from None
    cross = cross_field_problems(spec)
    if cross:
        raise SpecError([Problem(name, *_locate(pos, loc), _dotted(loc), msg) for loc, msg in cross])
    return spec


def load_spec(path: str | Path) -> MissionSpec:
    """Read and validate one spec file (``.yaml``, ``.yml`` or ``.toml``)."""
    p = Path(path)
    data, pos = _read(p)
    return validate_data(data, str(p), pos)


def load_raw(path: str | Path) -> tuple[Any, Positions]:
    """The parsed but unvalidated content of a spec file, with positions."""
    return _read(Path(path))


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` laid over ``base``: mappings merge key by key, anything else replaces."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def strategy_specs(spec: MissionSpec, name: str = "<spec>", pos: Positions | None = None) -> dict[str, MissionSpec]:
    """The base spec (as ``baseline``) and each named strategy, fully validated.

    Problems name the strategy; given the file's ``pos`` (from :func:`load_raw`),
    each is placed at the override it concerns, or else at the strategy's overrides.
    """
    base = spec.model_dump(mode="json", exclude={"strategies"})
    out = {BASELINE: spec}
    problems: list[Problem] = []
    # Each strategy's positions, gathered in one pass over the file's (linear, not strategies x positions).
    subs: dict[int, Positions] = {}
    for loc, lc in (pos or {}).items():
        if len(loc) >= 3 and loc[0] == "strategies" and loc[2] == "overrides" and isinstance(loc[1], int):
            subs.setdefault(loc[1], {})[loc[3:]] = lc
    for i, s in enumerate(spec.strategies):
        try:
            out[s.name] = validate_data(deep_merge(base, s.overrides), f"{name} (strategy '{s.name}', strategies[{i}].overrides)", subs.get(i, {}))
        except SpecError as e:
            problems += e.problems
    if problems:
        raise SpecError(problems)
    return out
