"""Numbers a planner is unsure of.

``Uncertain`` is a point value, a range ``{low, high}`` (uniform), or a named
distribution (``normal``, ``lognormal``, ``triangular``, ``beta``).  The spec only
describes them; each simulated run draws its own value in ``model.sampling``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

from .bounds import MAX_ARMS_INFLOW, MAX_DEATHS, MAX_POPULATION, MAX_WAR_YEARS

DistName = Literal["point", "uniform", "normal", "lognormal", "triangular", "beta"]


MAX_SIGMA = 3.0
"""Widest lognormal: sigma 3 already spans a factor of about 130,000 between the 2.5th and 97.5th percentiles."""
MAX_SHAPE = 10_000.0
"""Largest beta shape parameter: a beta with a or b of 10,000 is a point value to four decimals."""


class Uncertain(BaseModel):
    """A number, or the distribution a run samples it from.

    Written in a spec as ``0.4``, ``{low: 0.3, high: 0.5}``,
    ``{dist: normal, mean: 0.4, sd: 0.05}``, ``{dist: lognormal, median: 2000, sigma: 0.5}``,
    ``{dist: triangular, low: 1, mode: 2, high: 4}`` or ``{dist: beta, a: 2, b: 5}``.
    Samples are clipped to the field's bounds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    dist: DistName = "uniform"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, ge=0)
    median: float | None = Field(default=None, gt=0)
    sigma: float | None = Field(default=None, ge=0, le=MAX_SIGMA)
    a: float | None = Field(default=None, gt=0, le=MAX_SHAPE)
    b: float | None = Field(default=None, gt=0, le=MAX_SHAPE)

    @model_validator(mode="after")
    def _complete(self) -> Uncertain:
        need: dict[str, tuple[str, ...]] = {
            "point": ("value",),
            "uniform": ("low", "high"),
            "normal": ("mean", "sd"),
            "lognormal": ("median", "sigma"),
            "triangular": ("low", "mode", "high"),
            "beta": ("a", "b"),
        }
        missing = [k for k in need[self.dist] if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {', '.join(missing)}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.dist == "triangular" and not (self.low <= self.mode <= self.high):  # type: ignore[operator]
            raise ValueError("triangular mode must lie between low and high")
        return self

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Only the parameters given, as a user writes them; a dumped spec then reloads and matches the JSON Schema.
        return {k: v for k, v in handler(self).items() if v is not None}

    @property
    def is_point(self) -> bool:
        return self.dist == "point"

    def central(self) -> float:
        """A representative value (the point, the middle, the median or the mean)."""
        if self.dist == "point":
            return float(self.value)  # type: ignore[arg-type]
        if self.dist in ("uniform",):
            return (float(self.low) + float(self.high)) / 2  # type: ignore[arg-type]
        if self.dist == "triangular":
            return (float(self.low) + float(self.mode) + float(self.high)) / 3  # type: ignore[arg-type]
        if self.dist == "normal":
            return float(self.mean)  # type: ignore[arg-type]
        if self.dist == "lognormal":
            return float(self.median)  # type: ignore[arg-type]
        return float(self.a) / (float(self.a) + float(self.b))  # type: ignore[arg-type]

    def extremes(self) -> tuple[float, float]:
        """The smallest and largest value the spec itself states (for bound checks)."""
        vals = [v for v in (self.value, self.low, self.high, self.mode, self.mean, self.median) if v is not None]
        return (min(vals), max(vals)) if vals else (0.0, 1.0)


def _finite_number(k: str, x: Any) -> None:
    if isinstance(x, bool):
        raise ValueError(f"{k}: expected a number, not true/false")
    if isinstance(x, str):
        raise ValueError(f"{k}: expected a number, not text ({x[:40]!r})")
    if isinstance(x, int) and abs(x) > 10**18:
        raise ValueError(f"{k}: the number is too large to be a plausible value")


def _coerce(v: Any) -> Any:
    if isinstance(v, (bool, str, int, float)):
        _finite_number("value", v)
        return {"dist": "point", "value": float(v)}
    if isinstance(v, dict):
        for k, x in v.items():
            if k != "dist" and k in Uncertain.model_fields:
                _finite_number(str(k), x)
        if "dist" not in v and "value" in v:
            return {"dist": "point", **v}
        if "dist" not in v and "low" in v and "high" in v:
            return {"dist": "uniform", **v}
    return v


_UNCERTAIN_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {
            "type": "object",
            "properties": {
                "dist": {"enum": ["point", "uniform", "normal", "lognormal", "triangular", "beta"]},
                **{k: {"type": "number"} for k in ("value", "low", "high", "mode", "mean", "sd", "median", "sigma", "a", "b")},
            },
            "additionalProperties": False,
        },
    ]
}


def bounded(lo: float | None = None, hi: float | None = None, *, above: bool = False, reason: str = "") -> Any:
    """An ``Uncertain`` whose stated values must lie within ``[lo, hi]`` (``(lo, hi]`` if ``above``).

    ``reason`` says why ``hi`` is the limit (it ends the message).  With both
    bounds, a normal's ``sd`` may not exceed their distance either: a wider
    spread would put most draws on the clipped edges.
    """
    why = f": {reason}" if reason else ""

    def check(u: Uncertain) -> Uncertain:
        mn, mx = u.extremes()
        if lo is not None and (mn <= lo if above else mn < lo):
            raise ValueError(f"must be {'above' if above else 'at least'} {lo:g} (got {mn:g})")
        if hi is not None and mx > hi:
            raise ValueError(f"must be at most {hi:,.12g} (got {mx:,.12g}){why}")
        if lo is not None and hi is not None and u.sd is not None and u.sd > hi - lo:
            raise ValueError(f"sd {u.sd:g} is wider than the whole range {lo:g}-{hi:,.12g} of this field")
        return u

    return Annotated[
        Uncertain,
        BeforeValidator(_coerce),
        AfterValidator(check),
        WithJsonSchema(_UNCERTAIN_SCHEMA),
    ]


UncertainUnit = bounded(0.0, 1.0)
Deaths = bounded(0.0, MAX_DEATHS, reason="more deaths than the Second World War's")
WarYears = bounded(0.0, MAX_WAR_YEARS, above=True, reason="longer than any war recorded")
Fighters = bounded(0.0, MAX_POPULATION, reason="more fighters than any country has people")
ArmsInflow = bounded(0.0, MAX_ARMS_INFLOW, reason="more weapons a month than the world produces")
