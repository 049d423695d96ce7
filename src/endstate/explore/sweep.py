"""The sweep file: uncertainties, levers, outcomes, a design and runs per point.

Core objects: :class:`Sweep` (the pydantic model of a sweep file),
:func:`load_sweep` (read and check one file; every problem with file, line and
field) and :class:`Study` (a checked sweep bound to its mission spec, the
spec's named strategies and the model parameters).  Uncertainties are inputs
no one controls (a spec path such as ``understanding.arms_inflow`` or a model
parameter from ``model/params.py``); levers are the planner's choices (the
spec's named strategies, or a spec path or shortcut such as ``exit_date`` with
a list of values); outcomes are columns of the outcome table with an
aggregation over a point's runs and a direction.  The vocabulary follows the
EMA Workbench (Kwakkel 2017).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from endstate.experiments.changes import ChangeError, apply_changes
from endstate.model.params import Parameters, load_parameters
from endstate.outcomes.columns import OUTCOME_COLUMNS
from endstate.spec import MissionSpec, Problem, SpecError, Uncertain, load_raw, load_spec, strategy_specs
from endstate.types import Aggregation, DesignMethod, Direction

Scalar = float | int | str | bool | dt.date
NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
POINT_COLUMNS = ("key", "point", "policy", "seed", "runs")
"""Columns of the store's ``points`` view besides the sweep's own names."""
RESERVED = (*POINT_COLUMNS, *OUTCOME_COLUMNS)
"""Columns of the store's ``runs`` table: no uncertainty or lever may take these names (an outcome may be named after its column)."""

_DIST_KEYS = ("dist", "value", "low", "high", "mode", "mean", "sd", "median", "sigma", "a", "b")


class Uncertainty(BaseModel):
    """An input no one controls: a spec path or a model parameter, with a range, a distribution or values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME)
    path: str | None = None
    parameter: str | None = None
    values: list[Scalar] | None = Field(default=None, min_length=2)
    distribution: Uncertain | None = None

    @model_validator(mode="before")
    @classmethod
    def _gather(cls, data: Any) -> Any:
        # A user writes {name, path, low, high} or {name, path, dist: normal, mean, sd}; keep those keys together.
        if isinstance(data, dict) and any(k in data for k in _DIST_KEYS):
            data = dict(data)
            dist = {k: data.pop(k) for k in _DIST_KEYS if k in data}
            if "dist" not in dist and "value" in dist:
                dist["dist"] = "point"
            data["distribution"] = dist
        return data

    @model_validator(mode="after")
    def _one_source(self) -> Uncertainty:
        if (self.path is None) == (self.parameter is None):
            raise ValueError("give either a spec path (path: ...) or a model parameter (parameter: ...)")
        if self.values is not None and self.distribution is not None:
            raise ValueError("give either values (categorical) or a range/distribution, not both")
        if self.path is not None and self.values is None and self.distribution is None:
            raise ValueError("a spec path needs a range (low, high), a distribution (dist: ...) or values")
        if self.distribution is not None and self.distribution.dist == "point":
            raise ValueError("a point value is not uncertain; give a range or a distribution")
        return self

    @property
    def categorical(self) -> bool:
        return self.values is not None


class Lever(BaseModel):
    """A planner's choice: the spec's named strategies, or a spec path (or shortcut) with its options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME)
    strategies: list[str] | None = Field(default=None, min_length=1)
    path: str | None = None
    values: list[Scalar] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_kind(self) -> Lever:
        if (self.strategies is None) == (self.path is None):
            raise ValueError("give either strategies: [...] (named strategies of the spec) or path: ... with values: [...]")
        if self.path is not None and self.values is None:
            raise ValueError("a lever on a spec path needs values: [...]")
        if self.strategies is not None and self.values is not None:
            raise ValueError("a strategies lever takes no values")
        return self

    @property
    def options(self) -> list[Scalar]:
        return list(self.strategies if self.strategies is not None else self.values or [])


class Outcome(BaseModel):
    """One column of the outcome table, aggregated over a point's runs, with the direction that is better."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME)
    column: str
    aggregate: Aggregation = "mean"
    direction: Direction
    over: Literal["all", "exited"] = "all"

    @model_validator(mode="after")
    def _known_column(self) -> Outcome:
        if self.column not in OUTCOME_COLUMNS or self.column == "run":
            near = difflib.get_close_matches(self.column, list(OUTCOME_COLUMNS), n=1, cutoff=0.5)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise ValueError(f"'{self.column}' is not an outcome column; {hint}columns: {', '.join(c for c in OUTCOME_COLUMNS if c != 'run')}")
        return self


class Design(BaseModel):
    """How the uncertainty space is sampled (SALib's and SciPy's samplers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: DesignMethod
    points: int | None = Field(default=None, ge=1, description="lhs: points; sobol: base samples N (a power of 2); morris: trajectories")
    levels: int = Field(default=4, ge=2, description="morris: grid levels; full_factorial: levels per real uncertainty")
    second_order: bool = Field(default=False, description="sobol: also sample for second-order indices (N*(2D+2) points instead of N*(D+2))")

    @model_validator(mode="after")
    def _complete(self) -> Design:
        if self.method != "full_factorial" and self.points is None:
            raise ValueError(f"a {self.method} design needs points: N")
        if self.method == "full_factorial" and self.points is not None:
            raise ValueError("a full factorial design takes levels, not points")
        if self.method == "sobol" and self.points is not None and self.points & (self.points - 1):
            raise ValueError(f"a Sobol design needs a power of 2 for points (Sobol' sequences balance only then; got {self.points})")
        return self


class Sweep(BaseModel):
    """A sweep file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    spec: str = Field(description="the mission spec, relative to the sweep file")
    seed: int = Field(default=0, ge=0)
    runs_per_point: int = Field(ge=1, le=1_000_000)
    horizon_months: int | None = Field(default=None, ge=1)
    design: Design
    uncertainties: list[Uncertainty] = Field(min_length=1)
    levers: list[Lever] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(min_length=1)

    def name_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Names that clash with the store's columns or with each other, and a second strategies lever."""
        out: list[tuple[tuple[str | int, ...], str]] = []
        seen: set[str] = set()
        groups: tuple[tuple[str, list[str]], ...] = (
            ("uncertainties", [u.name for u in self.uncertainties]),
            ("levers", [lv.name for lv in self.levers]),
            ("outcomes", [o.name for o in self.outcomes]),
        )
        for kind, names in groups:
            for i, name in enumerate(names):
                if name in (POINT_COLUMNS if kind == "outcomes" else RESERVED):
                    out.append(((kind, i, "name"), f"'{name}' is a column of the result store; choose another name"))
                elif name in seen:
                    out.append(((kind, i, "name"), f"the name '{name}' is used twice"))
                seen.add(name)
        strategy_levers = [i for i, lv in enumerate(self.levers) if lv.strategies is not None]
        out += [(("levers", i, "strategies"), "at most one lever may pick named strategies") for i in strategy_levers[1:]]
        return out


# --- model parameters, looked up at run time (their names and layout belong to model/params.py) ---------------


def _param_leaves(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Every parameter of ``obj`` by dotted name: fields holding something with a ``value`` and a ``source``."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if hasattr(v, "value") and hasattr(v, "source"):
            out[prefix + f.name] = v
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            out.update(_param_leaves(v, f"{prefix}{f.name}."))
    return out


def parameter_names(params: Parameters) -> list[str]:
    return list(_param_leaves(params))


def parameter_range(params: Parameters, name: str) -> tuple[float | None, float | None]:
    p = _param_leaves(params)[name]
    return getattr(p, "low", None), getattr(p, "high", None)


def with_parameters(params: Parameters, values: dict[str, float]) -> Parameters:
    """A copy of ``params`` with some values replaced (dotted names reach nested groups)."""

    def put(obj: Any, name: str, value: float) -> Any:
        head, _, rest = name.partition(".")
        cur = getattr(obj, head)
        new = put(cur, rest, value) if rest else dataclasses.replace(cur, value=float(value))
        return dataclasses.replace(obj, **{head: new})

    for name, value in values.items():
        params = put(params, name, value)
    return params


# --- a checked sweep bound to its spec ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Study:
    """A sweep with everything it runs on: the base spec, its named strategies and the parameters."""

    sweep: Sweep
    source: str
    spec: MissionSpec
    strategies: dict[str, MissionSpec]
    params: Parameters

    def identity(self) -> dict[str, Any]:
        """What determines the results: the sweep, the spec's content and every parameter value."""
        spec_json = json.dumps(self.spec.model_dump(mode="json"), sort_keys=True)
        values = {n: float(p.value) for n, p in _param_leaves(self.params).items()}
        return {
            "sweep": self.sweep.model_dump(mode="json", exclude={"spec"}),
            "spec_sha256": hashlib.sha256(spec_json.encode()).hexdigest(),
            "parameters_sha256": hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest(),
        }


def change_text(path: str, value: Scalar) -> str:
    """A ``--change`` string for a value (floats written so they read back exactly)."""
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return f"{path}={text}"


def _locate(pos: dict[Any, tuple[int, int]], loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    for n in range(len(loc), -1, -1):
        if loc[:n] in pos:
            return pos[loc[:n]]
    return (None, None)


def _dotted(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def load_sweep(path: str | Path, params: Parameters | None = None) -> Study:
    """Read a sweep file, its spec and the parameters; raise :class:`SpecError` listing every problem."""
    p = Path(path)
    name = str(p)
    data, pos = load_raw(p)
    if not isinstance(data, dict):
        raise SpecError([Problem(name, 1, 1, "", "a sweep file must be a mapping (spec, runs_per_point, design, uncertainties, levers, outcomes)")])
    try:
        sweep = Sweep.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(x for x in err["loc"] if x != "distribution")
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"unknown key '{loc[-1]}'"
            elif err["type"] == "missing":
                msg = "required field is missing"
            problems.append(Problem(name, *_locate(pos, loc), _dotted(loc), msg))
        raise SpecError(problems) from None
    clashes = sweep.name_problems()
    if clashes:
        raise SpecError([Problem(name, *_locate(pos, loc), _dotted(loc), msg) for loc, msg in clashes])
    spec_path = (p.parent / sweep.spec) if not Path(sweep.spec).is_absolute() else Path(sweep.spec)
    spec = load_spec(spec_path)
    study = Study(sweep, name, spec, strategy_specs(spec, str(spec_path)), params or load_parameters())
    problems = _check_against_spec(study, pos)
    if problems:
        raise SpecError(problems)
    return study


def _check_against_spec(study: Study, pos: dict[Any, tuple[int, int]]) -> list[Problem]:
    """Every path, strategy and parameter the sweep names must exist; each value must make a valid spec."""
    sw, name = study.sweep, study.source
    problems: list[Problem] = []
    names = parameter_names(study.params)

    def add(loc: tuple[Any, ...], msg: str) -> None:
        problems.append(Problem(name, *_locate(pos, loc), _dotted(loc), msg))


    def try_change(loc: tuple[Any, ...], text: str) -> None:
        try:
            apply_changes(study.spec, [text], name)
        except ChangeError as e:
            add(loc, str(e))
        except SpecError as e:
            add(loc, f"'{text}' does not give a valid spec: {e.problems[0].path}: {e.problems[0].message}")

    for i, u in enumerate(sw.uncertainties):
        if u.parameter is not None:
            if u.parameter not in names:
                near = difflib.get_close_matches(u.parameter, names, n=3)
                add(("uncertainties", i, "parameter"), f"no model parameter '{u.parameter}'" + (f"; did you mean {', '.join(near)}?" if near else ""))
            elif u.distribution is None and u.values is None and None in parameter_range(study.params, u.parameter):
                add(("uncertainties", i), f"parameter '{u.parameter}' has no range in model/params.py; give low and high")
            continue
        assert u.path is not None
        options = u.values if u.values is not None else list(u.distribution.extremes()) if u.distribution else []
        for v in options:
            try_change(("uncertainties", i, "path"), change_text(u.path, v))
    for i, lv in enumerate(sw.levers):
        if lv.strategies is not None:
            for s in lv.strategies:
                if s not in study.strategies:
                    add(("levers", i, "strategies"), f"no strategy '{s}'; the spec declares: {', '.join(study.strategies)}")
        else:
            assert lv.path is not None
            for v in lv.options:
                try_change(("levers", i, "values"), change_text(lv.path, v))
    return problems
