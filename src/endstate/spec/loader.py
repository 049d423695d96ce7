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


class _SpecLoader(yaml.SafeLoader):
    """The safe loader, reading ``1e5`` and ``2.5e8`` as numbers (YAML 1.2 does; PyYAML's 1.1 rules make them text)."""

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
            what = repr(node.value) if isinstance(node.value, str) else "this value"
            why = f" ({e})" if isinstance(e, ValueError) and str(e) else ""
            raise yaml.constructor.ConstructorError(None, None, f"cannot read {what} as {kind}{why}", node.start_mark) from e


_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([Problem(name, None, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError([Problem(name, None, None, "", f"cannot read the file: {e}")]) from None
    if path.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text), {}
        except tomllib.TOMLDecodeError as e:
            # Python 3.11's tomllib puts the position only in the message: "... (at line 3, column 7)".
            msg = str(e)
            at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
            line, col = (int(at[1]), int(at[2])) if at else (None, None)
            msg = msg[: at.start()] if at else msg
            raise SpecError([Problem(name, line, col, "", f"TOML syntax error: {msg}")]) from None
        except RecursionError:
            raise SpecError([Problem(name, None, None, "", "the file is nested too deeply to be a spec")]) from None
    try:
        loader = _SpecLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_aliases(node, name)
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
        raise SpecError(
            [Problem(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", f"YAML syntax error: {problem}")]
        ) from None
    except RecursionError:
        raise SpecError([Problem(name, None, None, "", "the file is nested too deeply to be a spec")]) from None
    return data, pos


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
    for i, s in enumerate(spec.strategies):
        at: Loc = ("strategies", i, "overrides")
        sub = {loc[len(at) :]: lc for loc, lc in (pos or {}).items() if loc[: len(at)] == at}
        try:
            out[s.name] = validate_data(deep_merge(base, s.overrides), f"{name} (strategy '{s.name}', strategies[{i}].overrides)", sub)
        except SpecError as e:
            problems += e.problems
    if problems:
        raise SpecError(problems)
    return out
