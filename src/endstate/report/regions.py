"""Per-region results: monthly bands per region, and a map or a schematic of the regions.

Core objects: :func:`region_bands` (median and 50% band of a regional series
by month, per region), :func:`region_means` (one number per region and
strategy over a fixed window from the mission start),
:func:`region_series_figure` (one panel per region, every strategy),
:func:`region_map_figure` (a choropleth from a GeoJSON file whose features
carry the region ids, drawn with shapely and matplotlib) and
:func:`region_schematic_figure` (the same numbers on labelled tiles sized by
population, when the spec gives no geometry).  Admin-1 codes are not matched
to boundaries: no maintained package on PyPI ships an admin-1 boundary set
for offline use, so a map needs the GeoJSON file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from endstate.engine.runner import REGION_SERIES, Results

from .figures import strategy_colour
from .stats import observed_series

REGION_VARIABLES: dict[str, tuple[str, str]] = {
    "violence_per_100k": ("deaths per 100k a month", "Violence by region"),
    "security_coverage": ("coverage, 0-1", "Security coverage by region"),
    "tasks_handed_over": ("tasks run by domestic forces", "Tasks handed to domestic forces, by region"),
    "spoilers": ("armed spoiler fighters", "Spoiler strength by region"),
    "battle_deaths": ("battle deaths a month", "Battle deaths by region"),
    "goals_held": ("the region's own goals held", "Regional goals held"),
}
assert set(REGION_VARIABLES) == set(REGION_SERIES)


class GeometryError(ValueError):
    """A GeoJSON file that cannot be drawn for the spec's regions (the message names the file and what is wrong)."""


def _observed_regions(res: Results) -> pd.DataFrame:
    """The region series, kept only for the months each run was simulated (as the country series)."""
    r = res.regions
    if r.empty:
        return r
    s = observed_series(res)
    keep = pd.MultiIndex.from_arrays([s["run"], s["month"]])
    return r[pd.MultiIndex.from_arrays([r["run"], r["month"]]).isin(keep)]


def region_bands(res: Results, variable: str, min_share: float = 0.5) -> pd.DataFrame:
    """Median and 50% band of a regional series, by region and month; columns ``q25, q50, q75, n``."""
    if variable not in REGION_VARIABLES:
        raise ValueError(f"unknown regional series '{variable}'; choose one of: {', '.join(REGION_VARIABLES)}")
    r = _observed_regions(res)
    if r.empty:
        return pd.DataFrame(columns=["q25", "q50", "q75", "n"], dtype=float)
    g = r.groupby(["region", "month"], observed=True)[variable]
    out = pd.DataFrame({"q25": g.quantile(0.25), "q50": g.quantile(0.5), "q75": g.quantile(0.75), "n": g.size()})
    return out[out["n"] >= min_share * res.regions["run"].nunique()]


def region_means(results: dict[str, Results], variable: str = "violence_per_100k", years: int = 5) -> pd.DataFrame:
    """Mean of a regional series over the first ``years`` from the mission start: rows regions, columns strategies.

    Averaged over the sampled runs' observed months in that window.
    """
    cols = {}
    for name, res in results.items():
        r = _observed_regions(res)
        cols[name] = r[r["month"] < 12 * years].groupby("region", observed=False)[variable].mean() if not r.empty else pd.Series(dtype=float)
    return pd.DataFrame(cols)


def region_series_figure(results: dict[str, Results], variable: str = "violence_per_100k") -> Figure:
    """One panel per region: each strategy's median (line) and middle 50% of sampled runs (band), on a shared scale."""
    ylabel, title = REGION_VARIABLES[variable] if variable in REGION_VARIABLES else (variable, variable)
    bands = {name: region_bands(res, variable) for name, res in results.items()}
    regions = next((list(res.meta.get("regions", [])) for res in results.values() if res.meta.get("regions")), [])
    k = max(len(regions), 1)
    cols = min(k, 3)
    rows = -(-k // cols)
    fig = Figure(figsize=(4.2 * cols, 3.0 * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    for j, region in enumerate(regions):
        ax = axes[j]
        ax.set_title(region, fontsize=10)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        for i, (name, b) in enumerate(bands.items()):
            if b.empty or region not in b.index.get_level_values(0):
                continue
            br = b.xs(region, level="region")
            m = br.index.to_numpy()
            ax.fill_between(m, br["q25"], br["q75"], color=strategy_colour(i), alpha=0.2, linewidth=0)
            ax.plot(m, br["q50"], color=strategy_colour(i), linewidth=1.5, label=name)
        ax.set_xlabel("months from mission start")
    if not regions or all(b.empty for b in bands.values()):
        axes[0].text(0.5, 0.5, "no sampled regional series", ha="center", va="center", transform=axes[0].transAxes, color="#555555")
    for ax in axes[len(regions) :]:
        ax.set_visible(False)
    for r in range(rows):
        axes[r * cols].set_ylabel(ylabel)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=8, frameon=False)
    fig.suptitle(f"{title}: median and middle 50% of sampled runs", fontsize=11)
    return fig


def read_geometry(path: str | Path, region_ids: list[str]) -> dict[str, list[MplPath]]:
    """Outlines per region id from a GeoJSON FeatureCollection whose features carry an ``id`` property.

    Raises :class:`GeometryError` (naming the file) when the file cannot be
    read, a feature has no valid polygon, or a region has no feature.
    """
    from shapely.geometry import shape
    from shapely.geometry.base import BaseGeometry

    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GeometryError(f"{p}: cannot read GeoJSON ({e})") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise GeometryError(f"{p}: not a GeoJSON FeatureCollection (no 'features' list)")
    out: dict[str, list[MplPath]] = {}
    for i, f in enumerate(features):
        rid = str((f.get("properties") or {}).get("id", f.get("id", "")))
        if rid not in region_ids:
            continue
        try:
            geom: BaseGeometry = shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise GeometryError(f"{p}: feature {i} ('{rid}') has no valid geometry ({e})") from None
        polys = list(getattr(geom, "geoms", [geom]))
        if not polys or any(g.geom_type != "Polygon" for g in polys):
            raise GeometryError(f"{p}: feature {i} ('{rid}') is a {geom.geom_type}, not a polygon")
        out[rid] = [MplPath(np.asarray(g.exterior.coords)[:, :2]) for g in polys]
    missing = [r for r in region_ids if r not in out]
    if missing:
        raise GeometryError(f"{p}: no feature with property id for region(s): {', '.join(missing)}")
    return out


def _panels(results: dict[str, Results], values: pd.DataFrame, draw: Callable[[Axes, pd.Series, Normalize, Colormap], None], label: str, title: str) -> Figure:
    k = max(len(results), 1)
    fig = Figure(figsize=(4.0 * k + 1.0, 4.2), layout="constrained")
    axes = fig.subplots(1, k, squeeze=False).ravel()
    finite = values.to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    norm = Normalize(vmin=float(finite.min()) if finite.size else 0.0, vmax=float(finite.max()) if finite.size and finite.max() > finite.min() else 1.0)
    cmap = colormaps["YlOrRd"]
    for ax, name in zip(axes, results, strict=False):
        draw(ax, values[name] if name in values else pd.Series(dtype=float), norm, cmap)
        ax.set_title(name, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=list(axes), shrink=0.8, label=label)
    fig.suptitle(title, fontsize=11)
    return fig


def _colour(v: float, norm: Normalize, cmap: Colormap) -> str | tuple[float, float, float, float]:
    return "#dddddd" if not np.isfinite(v) else cmap(float(norm(v)))


def region_map_figure(results: dict[str, Results], geometry: str | Path, variable: str = "violence_per_100k", years: int = 5) -> Figure:
    """Choropleth of a regional series' mean over the first ``years``, one map per strategy, on a shared colour scale."""
    regions = next(iter(results.values())).meta.get("regions", [])
    shapes = read_geometry(geometry, regions)
    values = region_means(results, variable, years)
    xs = np.concatenate([p.vertices for paths in shapes.values() for p in paths])

    def draw(ax: Axes, v: pd.Series, norm: Normalize, cmap: Colormap) -> None:
        for rid, paths in shapes.items():
            for path in paths:
                ax.add_patch(PathPatch(path, facecolor=_colour(float(v.get(rid, np.nan)), norm, cmap), edgecolor="#333333", linewidth=0.8))
            centre = np.concatenate([p.vertices for p in paths]).mean(axis=0)
            val = float(v.get(rid, np.nan))
            dark = np.isfinite(val) and norm(val) > 0.6
            ax.text(centre[0], centre[1], rid, ha="center", va="center", fontsize=7, color="white" if dark else "black")
        lo, hi = xs.min(axis=0), xs.max(axis=0)
        pad = 0.03 * (hi - lo).max()
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")

    unit = REGION_VARIABLES.get(variable, (variable, variable))[0]
    return _panels(results, values, draw, f"mean {unit}, years 0-{years}", f"{REGION_VARIABLES.get(variable, (variable, variable))[1]}: map, mean over the first {years} years")


def tiles(shares: list[float], x: float = 0.0, y: float = 0.0, w: float = 1.0, h: float = 1.0) -> list[tuple[float, float, float, float]]:
    """Slice-and-dice layout: rectangles (x, y, w, h) in the unit square with areas proportional to ``shares``, in order."""
    if not shares:
        return []
    if len(shares) == 1:
        return [(x, y, w, h)]
    total = sum(shares)
    half, acc = 0, 0.0
    while half < len(shares) - 1 and acc + shares[half] <= total / 2:
        acc += shares[half]
        half += 1
    half = max(half, 1)
    acc = sum(shares[:half])
    f = acc / total
    if w >= h:
        return tiles(shares[:half], x, y, w * f, h) + tiles(shares[half:], x + w * f, y, w * (1 - f), h)
    return tiles(shares[:half], x, y + h * (1 - f), w, h * f) + tiles(shares[half:], x, y, w, h * (1 - f))


def region_schematic_figure(results: dict[str, Results], shares: dict[str, float], variable: str = "violence_per_100k", years: int = 5) -> Figure:
    """The regions as labelled tiles sized by population share, coloured by a series' mean over the first ``years``.

    A schematic, not a map: the spec gives no geometry, so tiles show size and
    value but not where the regions lie.
    """
    values = region_means(results, variable, years)
    order = sorted(shares, key=lambda r: -shares[r])
    rects = dict(zip(order, tiles([shares[r] for r in order]), strict=True))

    def draw(ax: Axes, v: pd.Series, norm: Normalize, cmap: Colormap) -> None:
        for rid, (x, y, w, h) in rects.items():
            val = float(v.get(rid, np.nan))
            ax.add_patch(Rectangle((x, y), w, h, facecolor=_colour(val, norm, cmap), edgecolor="white", linewidth=2))
            dark = np.isfinite(val) and norm(val) > 0.6
            ax.text(x + w / 2, y + h / 2, f"{rid}\n{shares[rid]:.0%} of pop.\n{val:.3g}", ha="center", va="center", fontsize=7, color="white" if dark else "black")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)

    unit = REGION_VARIABLES.get(variable, (variable, variable))[0]
    return _panels(
        results, values, draw, f"mean {unit}, years 0-{years}",
        f"{REGION_VARIABLES.get(variable, (variable, variable))[1]}: schematic (tiles sized by population; no geometry in the spec)",
    )
