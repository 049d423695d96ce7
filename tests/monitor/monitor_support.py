"""Small observation frames for the monitor tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from endstate.monitor.filter import model_month_to_period
from endstate.monitor.observations import COLUMNS
from endstate.spec import MissionSpec


def country_deaths(spec: MissionSpec, values: list[float], indicator: str = "battle_deaths") -> pd.DataFrame:
    """One country-wide observation of ``indicator`` a month from the mission start."""
    rows = [{"month": model_month_to_period(spec, t), "region": "country", "indicator": indicator, "value": v, "source": "t", "vintage": "", "uncertainty": np.nan} for t, v in enumerate(values)]
    return pd.DataFrame(rows, columns=list(COLUMNS))
