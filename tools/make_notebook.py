"""Write examples/planning_question.ipynb (unexecuted) from the cells below; run once after editing them.

The notebook is executed by tests/test_notebook.py, so the cells keep their runs small.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS: list[tuple[str, str]] = [
    ("md", """# A planning question: leave East Timor on a date, or when security holds?

In late 1999 an Australian-led force restored order in East Timor. The planners' question is when and how it
should hand over and leave: on a calendar (after the Constituent Assembly election of August 2001), or once
security goals are met and held ("security-keeping"), and what a bigger budget would change.

This notebook answers it with endstate's Python API, end to end: load the spec, look at its strategies,
add a variant with a validated change, compare them on common random numbers, and read the bottom line,
the fixed-window table, which goal binds the exit, the handover timeline and the regions.
The runs are kept small so the notebook executes in a minute; use `runs=10_000` for real answers."""),
    ("code", """%matplotlib inline
import endstate

spec = endstate.load_spec("east_timor_1999_lead_state.yaml")
strategies = endstate.strategy_specs(spec)
{name: s.exit.strategy for name, s in strategies.items()}"""),
    ("md", """## A variant: security-keeping with a larger purse

`with_changes` returns a changed copy and validates the whole spec; a wrong path or value raises an error
that names it. Here the expenditure ceiling rises from US$9 bn to US$12 bn."""),
    ("code", """richer = endstate.with_changes(strategies["security_keeping"], "resources.expenditure_ceiling=12000000000")
try:
    endstate.with_changes(spec, "resources.expenditure_ceiling=-1")
except endstate.SpecError as e:
    print("rejected:", e.problems[0])
options = {
    "calendar_exit": strategies["calendar_exit"],
    "security_keeping": strategies["security_keeping"],
    "security_keeping_12bn": richer,
}"""),
    ("md", """## Compare on common random numbers

Run *k* of every strategy meets the same baseline and the same shocks, so differences are paired.
The bottom line judges durability on a common clock: years from the mission start, not from each exit."""),
    ("code", """cmp = endstate.compare(options, runs=400, seed=1, series_runs=60, reference="calendar_exit")
print(cmp.bottom_line)"""),
    ("code", """cmp.windows.loc[[k for k in cmp.windows.index if k.startswith(("p_no_relapse", "cost_usd_m", "observed"))]]"""),
    ("code", """cmp.rows[["strategy", "metric", "statistic", "reference_value", "strategy_value", "difference", "ci_low", "ci_high", "significant", "note"]].head(12)"""),
    ("md", """## What holds the mission back?

For each goal the handover waits on: how often it is met at all, held when the exit is decided, and how often
it is the one that binds the exit."""),
    ("code", """cmp.goals("security_keeping")"""),
    ("code", """cmp.figure("goal_status")"""),
    ("code", """cmp.phases("security_keeping_12bn")"""),
    ("code", """cmp.figure("spending_personnel")"""),
    ("md", """## Regions

The spec gives no region geometry, so the regions are drawn as tiles sized by population; a spec with
`theatre.geometry: regions.geojson` gets a map (`cmp.figure("region_map", geometry=...)`)."""),
    ("code", """cmp.figure("region_schematic")"""),
    ("code", """res = cmp.results["security_keeping"]
res.regions.groupby("region", observed=True)[["violence_per_100k", "security_coverage"]].mean()"""),
    ("md", """## The report

Everything above, and more figures, in one self-contained HTML file."""),
    ("code", """path = cmp.write_report("planning_question_report.html", title="East Timor 1999: calendar or security-keeping?")
path.name"""),
]


def build() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_markdown_cell(text) if kind == "md" else new_code_cell(text) for kind, text in CELLS]
    return nb


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "examples" / "planning_question.ipynb"
    nbformat.write(build(), out)
    print(f"wrote {out}")
