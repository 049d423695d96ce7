"""Per-region results: bands and means against pandas, the tile layout, a map from a small GeoJSON, and bad geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest

from endstate.report.figures import to_png
from endstate.report.regions import (
    GeometryError,
    read_geometry,
    region_bands,
    region_map_figure,
    region_means,
    region_schematic_figure,
    region_series_figure,
    tiles,
)
from endstate.report.stats import observed_series


def test_engine_collects_every_region_for_every_sampled_month(strategy_results):
    res = next(iter(strategy_results.values()))
    r, s = res.regions, res.series
    assert len(r) == len(s) * len(res.meta["regions"])
    assert list(r["region"].cat.categories) == res.meta["regions"]
    # regional battle deaths add up to the country's
    total = r.groupby(["run", "month"])["battle_deaths"].sum().to_numpy()
    assert np.allclose(total, s.set_index(["run", "month"])["battle_deaths"].to_numpy())
    assert r["security_coverage"].between(0, 1).all() and (r["tasks_handed_over"] >= 0).all()


def test_region_means_over_the_window(strategy_results):
    name, res = next(iter(strategy_results.items()))
    got = region_means({name: res}, "violence_per_100k", years=2)[name]
    keep = observed_series(res)[["run", "month"]]
    r = res.regions.merge(keep, on=["run", "month"])
    want = r[r["month"] < 24].groupby("region", observed=False)["violence_per_100k"].mean()
    assert np.allclose(got.to_numpy(), want.to_numpy())


def test_tiles_fill_the_square_in_proportion():
    shares = [0.33, 0.25, 0.2, 0.16, 0.06]
    rects = tiles(shares)
    areas = np.array([w * h for _, _, w, h in rects])
    assert np.allclose(areas, shares) and np.isclose(areas.sum(), 1.0)
    for x, y, w, h in rects:
        assert 0 <= x and 0 <= y and x + w <= 1 + 1e-12 and y + h <= 1 + 1e-12


def _square(x: float, y: float) -> list[list[list[float]]]:
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def _geojson(tmp_path, regions, skip=()):
    feats = [
        {"type": "Feature", "properties": {"id": r}, "geometry": {"type": "Polygon", "coordinates": _square(i % 3, i // 3)}}
        for i, r in enumerate(regions)
        if r not in skip
    ]
    path = tmp_path / "regions.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def test_a_map_from_geojson_and_a_schematic_without(strategy_results, tmp_path):
    regions = next(iter(strategy_results.values())).meta["regions"]
    path = _geojson(tmp_path, regions)
    assert set(read_geometry(path, regions)) == set(regions)
    fig = region_map_figure(strategy_results, path)
    assert len(fig.axes) == len(strategy_results) + 1  # one map per strategy and the colour bar
    assert to_png(fig).startswith(b"\x89PNG")
    shares = dict(zip(regions, next(iter(strategy_results.values())).meta["region_shares"], strict=True))
    assert to_png(region_schematic_figure(strategy_results, shares)).startswith(b"\x89PNG")
    assert to_png(region_series_figure(strategy_results, "tasks_handed_over")).startswith(b"\x89PNG")


def test_geometry_problems_name_the_file(tmp_path):
    path = _geojson(tmp_path, ["a", "b"], skip=("b",))
    with pytest.raises(GeometryError, match=r"regions.geojson: no feature .* b"):
        read_geometry(path, ["a", "b"])
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GeometryError, match="bad.geojson: cannot read"):
        read_geometry(bad, ["a"])
    line = tmp_path / "line.geojson"
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}))
    with pytest.raises(GeometryError, match="not a polygon"):
        read_geometry(line, ["a"])


def test_an_unknown_regional_series_lists_the_known_ones(strategy_results):
    with pytest.raises(ValueError, match="violence_per_100k"):
        region_bands(next(iter(strategy_results.values())), "nope")
