"""Numbers a planner is unsure of.

``Uncertain`` is a point value, a range ``{low, high}`` (uniform), or a named
distribution (``normal``, ``lognormal``, ``triangular``, ``beta``).  The spec only
describes them; each simulated run draws its own value in ``model.sampling``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    model_serializer,
    model_validator,
)

DistName = Literal["point", "uniform", "normal", "lognormal", "triangular", "beta"]


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
    sigma: float | None = Field(default=None, ge=0)
    a: float | None = Field(default=None, gt=0)
    b: float | None = Field(default=None, gt=0)

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


def _coerce(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("expected a number or a distribution, not true/false")
    if isinstance(v, (int, float)):
        return {"dist": "point", "value": float(v)}
    if isinstance(v, dict):
        flags = [str(k) for k, x in v.items() if isinstance(x, bool)]
        if flags:
            raise ValueError(f"{', '.join(flags)}: expected a number, not true/false")
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


def bounded(lo: float | None = None, hi: float | None = None, *, above: bool = False) -> Any:
    """An ``Uncertain`` whose stated values must lie within ``[lo, hi]`` (``(lo, hi]`` if ``above``)."""

    def check(u: Uncertain) -> Uncertain:
        mn, mx = u.extremes()
        if lo is not None and (mn <= lo if above else mn < lo):
            raise ValueError(f"must be {'above' if above else 'at least'} {lo:g} (got {mn:g})")
        if hi is not None and mx > hi:
            raise ValueError(f"must be at most {hi:g} (got {mx:g})")
        return u

    from pydantic import AfterValidator

    return Annotated[
        Uncertain,
        BeforeValidator(_coerce),
        AfterValidator(check),
        WithJsonSchema(_UNCERTAIN_SCHEMA),
    ]


UncertainNonNeg = bounded(0.0, None)
UncertainUnit = bounded(0.0, 1.0)
UncertainPositive = bounded(0.0, None, above=True)
