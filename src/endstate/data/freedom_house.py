"""Freedom House, Freedom in the World ratings 1972-2019.

Core objects: :func:`read_freedom_house`.

Cite: Freedom House, "Freedom in the World" (country ratings, 2020 edition),
as tabulated in the Global-Development-and-Politics-of-Data repository.
Ratings run from 1 (most free) to 7 (least free).  The survey covering
1988-89 has no separate 1989 row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

_RATING = frozenset(range(1, 8))


def _first_rating(s: pd.Series) -> pd.Series:
    """``3(6)`` -> ``3``: early surveys gave South Africa a second, bracketed rating."""
    return s.str.replace(r"\(\d\)\s*$", "", regex=True)


def read_freedom_house(path: str | Path) -> pd.DataFrame:
    """One row per country and year.

    Columns: ``country``, ``iso3``, ``year`` (int), ``political_rights``,
    ``civil_liberties`` (ints 1-7; ``-``, written for countries not rated,
    comes back empty; of a bracketed second rating such as ``3(6)`` the first
    figure is kept).
    """
    cols = [
        Col("Country", "country", not_null=True),
        Col("Year", "year", kind="int", not_null=True),
        Col("Political.Rights", "political_rights", kind="int", allowed=_RATING, na=("-",), pre=_first_rating),
        Col("Civil.Liberties", "civil_liberties", kind="int", allowed=_RATING, na=("-",), pre=_first_rating),
        Col("Code", "iso3", not_null=True),
    ]
    return read_checked(path, cols, "Freedom in the World file")
