"""V-Dem high-level democracy indices by country-year.

Core objects: :func:`read_vdem`.

Cite: Coppedge et al., "V-Dem Country-Year Dataset" (V-Dem Institute,
University of Gothenburg), high-level indices 1946-2019 as extracted in the
tdballesteros/conflict-relapse repository.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

INDICES = ("v2x_polyarchy", "v2x_libdem", "v2x_delibdem", "v2x_partipdem", "v2x_egaldem")
"""Electoral, liberal, deliberative, participatory and egalitarian democracy, each 0-1."""


def read_vdem(path: str | Path) -> pd.DataFrame:
    """One row per country and year.

    Columns: ``iso3``, ``year`` (int), the five :data:`INDICES` (floats 0-1,
    ``v2x_polyarchy`` is the electoral democracy index the model's
    ``electoral_democracy`` indicator follows), ``vdem_hl`` and
    ``vdem_hl_sq`` (the extracting repository's standardised composite and its
    square).
    """
    cols = [
        Col("iso3c", "iso3", not_null=True),
        Col("year", kind="int", not_null=True),
        *[Col(c, kind="float", required=c == "v2x_polyarchy") for c in INDICES],
        Col("vdem.hl", "vdem_hl", kind="float", required=False),
        Col("vdem.hl.sq", "vdem_hl_sq", kind="float", required=False),
    ]
    return read_checked(path, cols, "V-Dem file")
