"""The data layer: producers' files in, normalised frames and peace spells out.

One module per source, each with a loader that takes a path, checks the
columns it needs and returns a pandas DataFrame with snake_case columns,
parsed dates and numeric types; a malformed file raises
:class:`DataFileError` naming file, line and column of every problem.

- :mod:`.ucdp`: :func:`read_acd`, :func:`read_acd_reduced`,
  :func:`read_termination`, :func:`read_battle_deaths`
- :mod:`.ipi`: :func:`read_ipi_mission_month`, :func:`read_ipi_contributor_month`
- :mod:`.un_operations`: :func:`read_un_operations`
- :mod:`.peace_operations`: :func:`read_peace_operations_month`
- :mod:`.doyle_sambanis`: :func:`read_doyle_sambanis`
- :mod:`.wgi`, :mod:`.freedom_house`, :mod:`.vdem`, :mod:`.geopko`
- :mod:`.crosswalk`: Gleditsch-Ward / COW numbers <-> ISO-3
- :mod:`.missions`: :func:`mission_table` (UN and non-UN operations with type and dates)
- :mod:`.spells`: :func:`read_spells`, :func:`write_spells`,
  :func:`spells_from_ucdp_termination`, :func:`spells_from_doyle_sambanis`,
  :func:`relapse_summary`
- :func:`shared_data_dir`: where the reference files are, if anywhere.
"""

from __future__ import annotations

from .crosswalk import cow_to_iso3, crosswalk_table, gw_to_iso3, iso3_to_cow, iso3_to_gw, parse_codes
from .doyle_sambanis import read_doyle_sambanis
from .errors import DataFileError, FileProblem
from .freedom_house import read_freedom_house
from .geopko import read_geopko
from .ipi import read_ipi_contributor_month, read_ipi_mission_month
from .missions import classify_mission, mission_table
from .paths import shared_data_dir
from .peace_operations import read_peace_operations_month
from .spells import (
    SPELL_COLUMNS,
    SPELL_DEFAULTS,
    SpellFileError,
    attach_missions,
    read_spells,
    relapse_summary,
    spells_from_doyle_sambanis,
    spells_from_ucdp_termination,
    write_spells,
)
from .ucdp import read_acd, read_acd_reduced, read_battle_deaths, read_termination
from .un_operations import read_un_operations
from .vdem import read_vdem
from .wgi import read_wgi

__all__ = [
    "SPELL_COLUMNS",
    "SPELL_DEFAULTS",
    "DataFileError",
    "FileProblem",
    "SpellFileError",
    "attach_missions",
    "classify_mission",
    "cow_to_iso3",
    "crosswalk_table",
    "gw_to_iso3",
    "iso3_to_cow",
    "iso3_to_gw",
    "mission_table",
    "parse_codes",
    "read_acd",
    "read_acd_reduced",
    "read_battle_deaths",
    "read_doyle_sambanis",
    "read_freedom_house",
    "read_geopko",
    "read_ipi_contributor_month",
    "read_ipi_mission_month",
    "read_peace_operations_month",
    "read_spells",
    "read_termination",
    "read_un_operations",
    "read_vdem",
    "read_wgi",
    "relapse_summary",
    "shared_data_dir",
    "spells_from_doyle_sambanis",
    "spells_from_ucdp_termination",
    "write_spells",
]
