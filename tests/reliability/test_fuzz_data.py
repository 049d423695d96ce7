"""Property tests for the data loaders: a clear error or a sound table, never a traceback.

Each producer's format (UCDP termination and battle deaths, Doyle & Sambanis,
the UN list, IPI, the peace operations file) is seeded with the first rows of
the shared file, then mutated: a cell replaced by a slip (negative, infinite,
out-of-range year, NUL byte, unclosed quote, text), rows repeated or dropped
(down to header-only), a column dropped, the file cut short, re-encoded or
re-delimited.  Spell files are generated from scratch.  Every result is a
:class:`DataFileError` naming the file, or a frame in which no row repeats,
no count is negative and every date lies in 1900-2100; a spell file the
reader accepts also builds specs the backtest can use.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endstate.data import DataFileError, read_spells, shared_data_dir, spells_from_doyle_sambanis
from endstate.data.build import FILES, READERS
from endstate.data.spells import SPELL_COLUMNS

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SEED_ROWS = 12

KEYS: dict[str, tuple[str, ...]] = {
    "termination": ("conflict_id", "year"),
    "battle_deaths": ("dyad_id", "year"),
    "un_operations": ("id",),
    "ipi": ("mission", "date"),
    "peace_operations": ("mission", "conflict_id", "date"),
    "doyle_sambanis": ("case_code",),
}
"""The key each loader holds unique (normalised column names)."""
COUNTS: dict[str, tuple[str, ...]] = {
    "battle_deaths": ("bd_best", "bd_low", "bd_high"),
    "ipi": ("troops", "police", "observers", "total"),
    "peace_operations": ("total_backward", "troops_backward"),
    "doyle_sambanis": ("deaths", "duration_months"),
}

SLIPS = st.sampled_from(
    ["", "-1", "-250", "inf", "-inf", "nan", "1e309", "9999", "1500", "1500-01-01", "31/12/9999", "abc", "a\x00b", '"open',
     "1,5", "yes", "NA", "0", "0.5", "x" * 300, "\u00e9\u00e8", "\ud7ff"]
)


def _seed(key: str) -> list[list[str]] | None:
    folder = shared_data_dir()
    if folder is None or not (folder / FILES[key]).is_file():
        return None
    with (folder / FILES[key]).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return [row for _, row in zip(range(SEED_ROWS + 1), reader, strict=False)]


SEEDS = {k: _seed(k) for k in KEYS}


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _mutated(rows: list[list[str]], data: st.DataObject) -> bytes:
    rows = [list(r) for r in rows]
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["cell", "cell", "cell", "repeat", "drop-rows", "drop-column", "cut", "encoding", "delimiter"]))
        if action == "cell" and len(rows) > 1:
            r = data.draw(st.integers(1, len(rows) - 1))
            c = data.draw(st.integers(0, len(rows[r]) - 1)) if rows[r] else 0
            if rows[r]:
                rows[r][c] = data.draw(SLIPS)
        elif action == "repeat" and len(rows) > 1:
            rows.append(list(rows[data.draw(st.integers(1, len(rows) - 1))]))
        elif action == "drop-rows":
            rows = rows[: data.draw(st.integers(1, len(rows)))]
        elif action == "drop-column" and rows and rows[0]:
            c = data.draw(st.integers(0, len(rows[0]) - 1))
            rows = [r[:c] + r[c + 1 :] for r in rows]
    text = _csv_text(rows, data.draw(st.sampled_from([",", ",", ",", ";", "\t"])) if action == "delimiter" else ",")
    if action == "cut":
        text = text[: data.draw(st.integers(0, len(text)))]
    raw = text.encode("utf-8", errors="surrogatepass")
    if action == "encoding":
        raw = text.encode(data.draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])), errors="replace")
    return raw


def _sound(key: str, df: pd.DataFrame) -> None:
    """What every accepted producer file must satisfy."""
    assert len(df) > 0
    k = df[list(KEYS[key])]
    assert not k[k.notna().all(axis=1)].astype("str").duplicated().any()
    for c in COUNTS.get(key, ()):
        assert not (pd.to_numeric(df[c], errors="coerce") < 0).any(), c
    for c in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            d = df[c].dropna()
            assert ((d >= pd.Timestamp("1900-01-01")) & (d <= pd.Timestamp("2100-12-31"))).all(), c
        if pd.api.types.is_float_dtype(df[c]):
            assert not np.isinf(df[c].to_numpy(dtype=float)).any(), c


def _outcome(read: Callable[[Path], Any], path: Path) -> Any:
    try:
        return read(path)
    except DataFileError as e:
        assert e.problems and all(p.file == str(path) and p.message for p in e.problems)
        return None


@pytest.mark.parametrize("key", list(KEYS))
def test_producer_file_is_an_error_or_sound(key: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    seed = SEEDS[key]
    if seed is None:
        pytest.skip(reason=f"reference data not found ({FILES[key]}); set ENDSTATE_DATA")

    @SETTINGS
    @given(st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path_factory.mktemp(key) / FILES[key]
        path.write_bytes(_mutated(seed, data))
        df = _outcome(READERS[key], path)
        if df is None:
            return
        _sound(key, df)
        if key == "doyle_sambanis":
            spells = spells_from_doyle_sambanis(df)
            assert not spells["case_id"].duplicated().any()

    run()


DAY = st.dates(min_value=pd.Timestamp("1400-01-01").date(), max_value=pd.Timestamp("2300-01-01").date()).map(str)
SPELL_CELL = {
    "case_id": st.sampled_from(["a", "b", "c", "", "a\x00"]),
    "country": st.sampled_from(["A", "Côte d'Ivoire", "", "x" * 50]),
    "peace_start": DAY | SLIPS,
    "war_outcome": st.sampled_from(["victory", "settlement", "truce", "stalemate", ""]),
    "war_deaths": st.sampled_from(["", "1000", "-5", "inf", "1e300", "2e7"]) | st.floats().map(repr),
    "war_duration_years": st.sampled_from(["", "2", "0", "-1", "500", "nan"]),
    "ethnic_war": st.sampled_from(["", "0", "1", "2"]),
    "mission_type": st.sampled_from(["", "none", "observer", "multidimensional", "enforcement", "huge"]),
    "mission_org": st.sampled_from(["", "none", "un", "lead_state", "nato"]),
    "mission_start": st.just("") | DAY,
    "mission_end": st.just("") | DAY,
    "end_date": DAY | SLIPS,
    "relapsed": st.sampled_from(["0", "1", "", "yes"]),
}


@SETTINGS
@given(st.lists(st.fixed_dictionaries(SPELL_CELL), min_size=0, max_size=6))
def test_spell_file_is_an_error_or_usable(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]) -> None:
    from endstate.experiments.spell_mission import spell_spec

    path = tmp_path_factory.mktemp("spells") / "spells.csv"
    path.write_text(_csv_text([SPELL_COLUMNS] + [[r[c] for c in SPELL_COLUMNS] for r in rows]), encoding="utf-8", errors="surrogatepass")
    df = _outcome(read_spells, path)
    if df is None:
        return
    assert len(df) == len(rows) > 0 and not df["case_id"].duplicated().any()
    assert np.isfinite(df["war_deaths"]).all() and (df["war_deaths"] >= 0).all()
    for c in ("peace_start", "end_date"):
        assert ((df[c] >= pd.Timestamp("1900-01-01")) & (df[c] <= pd.Timestamp("2100-12-31"))).all()
    from endstate.spec import SpecError

    for row in df.to_dict("records"):
        try:
            spell_spec(row)
        except SpecError as e:  # a spell the backtest cannot map is refused with a message, never a crash
            assert "exceeds the population" in str(e)
