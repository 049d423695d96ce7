"""The evidence scorecard: each published finding run as a small experiment on the committed model.

Core objects: :class:`Check` (one finding: source, published figure, model
figure, tolerance, pass or fail), :func:`run_checks` (all of them),
:func:`curves` (the dose-response curves) and :func:`write_markdown`
(``docs/evidence.md`` with a figure per group of checks).

The scenario every check shares (:func:`scenario`), how each finding is measured
in it, and which checks are independent of how the model was built, are written
out in :data:`SCENARIO_TEXT` and :data:`PROVENANCE_TEXT`, which ``docs/evidence.md``
prints beside the table.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.engine.runner import ChunkJob, RunBatch, simulate
from endstate.model.params import Parameters, load_parameters
from endstate.model.step import Month
from endstate.spec import MissionSpec, validate_data

from .backtest import path_survival, record_paths, static_hazards
from .spell_mission import PEAK_PERSONNEL, POLICE_SHARE, SpellShape, SpellStatic, holdout_fighters, shape_spec

WAR_DEATHS = 10_000.0
"""Deaths of the war before the peace in the relapse checks: the order of the median UCDP spell that reached war level."""
WAR_YEARS = 3.0
FIGHTING_WAR_DEATHS = 500.0
"""Previous war's deaths in the fighting checks: the model's resumed conflict then kills about 22 a month in battle
(``exp(mu + sigma^2 / 2) / 12``), HKS's mean for conflict-months without UN troops."""
START = dt.date(2000, 1, 1)
HORIZON = 120
COST_PER_PERSON_MONTH = 6000.0


@dataclass
class Check:
    """One published finding and what the model gives in the same experiment."""

    group: str
    finding: str
    source: str
    published: str
    model: float
    low: float
    high: float
    tolerance: str

    @property
    def passed(self) -> bool:
        return bool(self.low <= self.model <= self.high)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"passed": self.passed}


def scenario(
    troops: float = 0.0, police: float = 0.0, observers: float = 0.0, outcome: str = "settlement", war_deaths: float = WAR_DEATHS,
    budget_per_year: float | None = None, months: int = HORIZON,
) -> MissionSpec:
    """The standard post-war country with one committee-commanded contingent of ``troops``, ``police`` and ``observers``.

    ``budget_per_year`` defaults to US$1,000 a person a month, as the spell mapping gives its missions."""
    shape = SpellShape("none", "un", 1, holdout_fighters(war_deaths), False, months)
    d = shape_spec(shape, SpellStatic(outcome, war_deaths, WAR_YEARS, False), START, "Standard", "evidence").model_dump(mode="json", exclude={"strategies"})
    total = troops + police + observers
    if total > 0:
        d["force"] = {
            "command": "committee",
            "contributors": [{
                "id": "un", "name": "UN contingent", "troops": troops, "police": police, "observers": observers,
                "capabilities": ["presence_patrol", "public_order", "riot_control"] if police else ["presence_patrol"],
                "cost_per_person_month": COST_PER_PERSON_MONTH, "casualty_sensitivity": 0.5, "tolerance": 0.8, "tolerance_floor": 0.2,
            }],
        }  # fmt: skip
        assign = [{"contributor": "un", "task": "presence_patrol", "region": "country", "personnel": troops + observers}] if troops + observers else []
        if police:
            assign.append({"contributor": "un", "task": "public_order", "region": "country", "personnel": police})
        d["tasks"]["assignments"] = assign
        d["exit"]["end_date"] = dt.date(START.year + months // 12 + 60, 1, 1).isoformat()  # present throughout
        d["exit"]["triggers"] = {"deadline": {"action": "withdraw", "within_months": 0}}
    d["resources"]["budget_per_year"] = total * 12 * 1000.0 if budget_per_year is None else budget_per_year
    d["resources"]["horizon_months"] = months
    return validate_data(d, "evidence scenario")


def _at_war(spec: MissionSpec, runs: int, seed: int, params: Parameters, months: int = 36, ending: bool = False) -> tuple[float, float, float]:
    """(mean battle deaths, mean civilians killed by armed actors (UCDP's one-sided violence: not riot deaths) per
    month at war, share of war months in which the war ended) when
    the country is put at war from the first month (relapse hazard 1 whenever it is at peace) and the mission stays
    through the fighting, as the missions HKS measured did.  Unless ``ending``, wars do not end, so each run fights
    one war of the intensity its draw gives whatever the mission (common random numbers across doses)."""
    fixed = dict.fromkeys(("relapse_base_truce", "relapse_base_settlement", "relapse_base_victory"), 1e6)  # a hazard of 1 whatever the mission
    if "collapse_coverage" in params.names():
        fixed["collapse_coverage"] = 0.0
    if not ending:
        fixed["war_termination_rate"] = 0.0
    forced = params.with_values(**fixed)
    batch = RunBatch(ChunkJob(spec, forced, seed, 0, runs, 0, months))
    battle, civilian, ended, war_months = [0.0], [0.0], [0], [0]

    def record(month: int, m: Month, alive: np.ndarray) -> None:
        if month >= months:
            return
        war = alive & (batch.st.at_war | m.war_ended_now)  # the months fought, including the one in which the war ended
        battle[0] += float(m.battle.sum(axis=1)[war].sum())
        assert m.one_sided is not None
        civilian[0] += float(m.one_sided.sum(axis=1)[war].sum())
        ended[0] += int(m.war_ended_now[war].sum())
        war_months[0] += int(war.sum())

    batch.run(record)
    n = max(war_months[0], 1)
    return battle[0] / n, civilian[0] / n, ended[0] / n


def _relapse(spec: MissionSpec, outcome: str, runs: int, seed: int, params: Parameters, war_deaths: float = WAR_DEATHS) -> np.ndarray:
    """(T,) the noiseless share still at peace, month by month, of the standard spell with ``spec``'s mission."""
    paths = record_paths(spec, runs, seed, HORIZON, params)
    static = static_hazards([SpellStatic(outcome, war_deaths, WAR_YEARS, False)], params)
    return path_survival(paths, static, params)[0]


def typical(mission_type: str) -> tuple[float, float]:
    """(troops or observers, police) of a typical operation of ``mission_type`` (median peak personnel, IPI)."""
    total = PEAK_PERSONNEL[mission_type]
    police = total * POLICE_SHARE[mission_type]
    return total - police, police


def run_checks(runs: int = 200, seed: int = 0, params: Parameters | None = None, progress: Callable[[str], None] | None = None) -> list[Check]:
    """Every check of the scorecard on ``params`` (default: the committed model)."""
    p = params or load_parameters()
    say = progress or (lambda _s: None)
    out: list[Check] = []
    hks14 = "Hultman, Kathman & Shannon, 'Beyond Keeping Peace', APSR 2014"
    hks13 = "Hultman, Kathman & Shannon, 'United Nations Peacekeeping and Civilian Protection in Civil War', AJPS 2013"

    say("fighting: troops, police and observers")
    war = lambda **kw: _at_war(scenario(war_deaths=FIGHTING_WAR_DEATHS, **kw), runs, seed, p)  # noqa: E731
    b0, c0, _ = war()
    b10, _, _ = war(troops=10_000)
    end0 = _at_war(scenario(war_deaths=FIGHTING_WAR_DEATHS), runs, seed, p, ending=True)[2]
    end10 = _at_war(scenario(troops=10_000, war_deaths=FIGHTING_WAR_DEATHS), runs, seed, p, ending=True)[2]
    _, c8, _ = war(troops=8000)
    bp, cp, _ = war(police=200)
    bo, co, _ = war(observers=150)
    out += [
        Check("fighting", "no-troop battle deaths a conflict-month (scenario level)", hks14, "about 22", b0, 15, 30, "15-30"),
        Check("fighting", "battle deaths with 10,000 troops / without", hks14, "about 0.27 (22 -> 6)", b10 / b0, 0.17, 0.37, "0.17-0.37"),
        Check("fighting", "battle deaths with 200 police / without", hks14, "no effect", bp / b0, 0.9, 1.1, "0.9-1.1"),
        Check("fighting", "battle deaths with 150 observers / without", hks14, "no effect", bo / b0, 0.9, 1.1, "0.9-1.1"),
        Check("fighting", "civilian deaths with 8,000 troops / without", hks13, "under 0.02 (106 -> under 2)", c8 / c0, 0.0, 0.25, "at most 0.25"),
        Check("fighting", "civilian deaths with 200 police / without", hks13, "about 0.15 (96 -> 14)", cp / c0, 0.0, 0.25, "at most 0.25"),
        Check("fighting", "civilian deaths with 150 observers alone / without", hks13, "higher (more killing)", co / c0, 1.0, np.inf, "at least 1"),
        Check("fighting", "monthly chance a resumed war ends, 10,000 troops / none", "Kathman & Benson, 'Cut Short?', JCR 2019",
              "higher (about 10,000 troops shorten wars)", end10 / max(end0, 1e-12), 1.1, np.inf, "above 1.1"),
    ]  # fmt: skip

    say("relapse by mission type")
    s_none = _relapse(scenario(), "settlement", runs, seed, p)
    ratios: dict[str, float] = {}
    for mt in ("observer", "traditional", "multidimensional", "enforcement"):
        t, pol = typical(mt)
        spec = scenario(observers=t, police=pol) if mt == "observer" else scenario(troops=t, police=pol)
        ratios[mt] = float(np.log(_relapse(spec, "settlement", runs, seed, p)[-1]) / np.log(s_none[-1]))
    fortna = "Fortna, Does Peacekeeping Work? 2008; Doyle & Sambanis 2006; Gilligan & Sergenti 2008"
    out += [
        Check("relapse", "hazard ratio, typical multidimensional mission (6,378)", fortna, "0.3-0.6 (half or more cut)", ratios["multidimensional"],
              0.3, 0.6, "0.3-0.6"),
        Check("relapse", "hazard ratio, typical traditional mission (2,289)", fortna, "below 1 (cut)", ratios["traditional"], 0.0, 0.9, "below 0.9"),
        Check("relapse", "hazard ratio, typical enforcement mission (37,000)", fortna, "half or more cut", ratios["enforcement"], 0.0, 0.5, "at most 0.5"),
        Check("relapse", "hazard ratio, typical observer mission (143 observers)", "Doyle & Sambanis 2000 (observers: little effect)",
              "little effect", ratios["observer"], 0.8, 1.1, "0.8-1.1"),
    ]  # fmt: skip

    say("relapse by how the war ended")
    five = {o: 1.0 - float(_relapse(scenario(outcome=o), o, runs, seed, p)[59]) for o in ("truce", "settlement", "victory")}
    out.append(Check("relapse", "5-year relapse: truce > settlement > victory (settlement's place, 1 = between)",
                     "UCDP Conflict Termination spells (38% settlement, 20% victory at 5 years); Fortna 2008",
                     "truce > settlement > victory", float(five["truce"] > five["settlement"] > five["victory"]), 1.0, 1.0, "ordering holds"))  # fmt: skip

    say("spending")
    t, pol = typical("multidimensional")
    r1 = 1.0 - float(_relapse(scenario(troops=t, police=pol), "settlement", runs, seed, p)[-1])
    r2 = 1.0 - float(_relapse(scenario(troops=2 * t, police=2 * pol, budget_per_year=2 * (t + pol) * 12 * 1000.0), "settlement", runs, seed, p)[-1])
    out.append(Check("spending", "doubling a typical mission's spending (personnel and programme): change in decade relapse",
                     "Collier, Hoeffler & Soderbom, 'Post-Conflict Risks', JPR 2008", "-22% (40% -> 31%)", (r2 - r1) / r1, -0.30, -0.15,
                     "-30% to -15%"))  # fmt: skip

    say("peace")
    meds = []
    for mt in ("none", "observer", "multidimensional"):
        t, pol = typical(mt) if mt != "none" else (0.0, 0.0)
        spec = scenario(observers=t, police=pol) if mt == "observer" else scenario(troops=t, police=pol)
        res = simulate(spec, runs, seed, params=p, series_runs=runs)
        peace = res.outcomes.loc[~res.outcomes["relapsed"], "run"]
        se = res.series[res.series["run"].isin(peace)]
        per_year = se.groupby("run")["battle_deaths"].sum() / (se.groupby("run")["month"].count() / 12.0)
        meds.append(float(per_year.median()) if len(per_year) else 0.0)
    out.append(Check("peace", "median battle deaths a year in runs where war never resumes (worst of none, observer, multidimensional)",
                     "UCDP: a country at peace records none (a conflict enters the data at 25 a year)", "below 25", max(meds), 0.0, 24.999,
                     "below 25"))  # fmt: skip
    return out


def curves(runs: int = 100, seed: int = 0, params: Parameters | None = None) -> dict[str, pd.DataFrame]:
    """Dose-response in the fighting experiment: battle and civilian deaths relative to no mission, by troops and by police."""
    p = params or load_parameters()
    b0, c0, _ = _at_war(scenario(war_deaths=FIGHTING_WAR_DEATHS), runs, seed, p)
    rows_t, rows_p = [], []
    for t in (1000, 2500, 5000, 8000, 10_000, 15_000):
        b, c, _ = _at_war(scenario(troops=t, war_deaths=FIGHTING_WAR_DEATHS), runs, seed, p)
        rows_t.append({"dose": t, "battle": b / b0, "civilian": c / c0})
    for n in (50, 100, 200, 350, 500):
        b, c, _ = _at_war(scenario(police=n, war_deaths=FIGHTING_WAR_DEATHS), runs, seed, p)
        rows_p.append({"dose": n, "battle": b / b0, "civilian": c / c0})
    zero = {"dose": 0, "battle": 1.0, "civilian": 1.0}
    return {"troops": pd.DataFrame([zero, *rows_t]), "police": pd.DataFrame([zero, *rows_p])}


SCENARIO_TEXT = f"""Every check runs on one standard post-war country, the one the backtest maps every historical spell to
(`experiments/spell_mission.py`): {10_000_000:,} inhabitants in one region, a weak domestic police and army (3 per 1,000,
quality 0.2-0.4), armed hold-outs sized from the war's deaths (`10 * sqrt(deaths)`), not an identity war.  The war before
the peace: {WAR_DEATHS:,.0f} deaths over {WAR_YEARS:g} years, ended in a settlement unless a check says otherwise.  A mission
is one UN-style contingent under committee command (the command of the missions the studies measured, coherence 0.75)
with its troops and observers on patrol and its police on public order, present throughout; its programme budget is
US$1,000 a person a month.  Every comparison runs the same runs (same seed: common random numbers).

- *In the midst of fighting* (HKS measured conflict-months): the country is at war from the first month (relapse hazard
  1 whenever at peace), wars do not end (so each run fights one war at the intensity its draw gives, whatever the mission),
  and the mission stays through the fighting; the checks compare mean battle deaths, and civilians killed by armed actors
  (UCDP's one-sided violence: riot deaths left out), over {36} months at war.  The previous war is {FIGHTING_WAR_DEATHS:,.0f}
  deaths, which puts the model's mean without troops at about 22 battle deaths a month, HKS's level; the war's end is
  measured in the same runs with wars allowed to end.
- *Relapse*: the noiseless survival of the backtest (`path_survival`) over ten years; the hazard ratio of a mission is the
  ratio of ten-year cumulative hazards, `ln S_mission / ln S_none`; typical missions are the IPI median peak personnel
  of their type (multidimensional 6,378 with 15% police, traditional 2,289, enforcement 37,000, observer 143 observers).
- *Spending*: the typical multidimensional mission against the same with its personnel and programme budget doubled.
- *Peace*: the median, over runs in which war never resumed, of battle deaths per simulated year, with no mission, an
  observer mission and a multidimensional one (the worst of the three is shown)."""

PROVENANCE_TEXT = """Not every check is independent of how the model was built, and the table should be read with that in mind:

- The dose-response coefficients of mechanism 2a (`pk_battle_per_1000_troops`, `pk_civilian_per_1000_troops`,
  `pk_civilian_per_100_police`) are derived from the same HKS points, so those checks test that the whole model delivers
  them at realistic force sizes (through presence, command, dilution by the conflict's size, riots kept apart), not that
  it discovered them.
- The multidimensional hazard ratio and the spending result are published moments of the joint calibration
  (`docs/calibration.md`, section 3): these checks hold the committed calibration to them.
- Not fitted to anything: police and observers leaving battle deaths alone, observers not protecting civilians, the
  war's end with troops, the traditional, enforcement and observer hazard ratios, the ordering by war outcome (the base
  rates are fitted to the UCDP shares, the ordering is not imposed), and battle deaths at peace."""


PUBLISHED_POINTS: dict[str, dict[str, list[tuple[float, float]]]] = {
    "troops": {"battle": [(0, 1.0), (10_000, 6 / 22)], "civilian": [(0, 1.0), (8000, 2 / 106)]},
    "police": {"civilian": [(0, 1.0), (200, 14 / 96), (500, 0.0)]},
}
"""The published points, relative to no mission (HKS 2014 for battle deaths, HKS 2013 for civilians)."""


def _figure(curve: pd.DataFrame, which: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    for col, colour in (("battle", "tab:red"), ("civilian", "tab:blue")):
        ax.plot(curve["dose"], curve[col], "-o", color=colour, label=f"model: {col} deaths")
        for x, y in PUBLISHED_POINTS[which].get(col, []):
            ax.plot([x], [y], "s", color=colour, markersize=9, markerfacecolor="none", markeredgewidth=2)
    ax.plot([], [], "s", color="k", markerfacecolor="none", label="published (HKS)")
    ax.set_xlabel(f"UN {which} deployed")
    ax.set_ylabel("deaths / deaths with none")
    ax.set_ylim(0, 1.15)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _bar(checks: list[Check]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(checks)))
    for i, c in enumerate(checks):
        hi = c.high if np.isfinite(c.high) else max(c.model, c.low) * 1.5 + 0.1
        ax.plot([c.low, hi], [i, i], "-", color="0.7", linewidth=6)
        ax.plot([c.model], [i], "o", color="tab:green" if c.passed else "tab:red")
    ax.set_yticks(range(len(checks)))
    ax.set_yticklabels([c.finding[:48] for c in checks], fontsize=7)
    ax.set_xlabel("model figure (dot) against the tolerance (grey)")
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def table_rows(checks: list[Check]) -> list[list[str]]:
    return [[c.finding, c.source, c.published, f"{c.model:.3g}", c.tolerance, "pass" if c.passed else "FAIL"] for c in checks]


def write_markdown(checks: list[Check], curve: dict[str, pd.DataFrame], path: Path, runs: int, seed: int) -> None:
    """``docs/evidence.md``: the table, the scenario, a figure per group of checks and the dose-response curves."""
    lines = [
        "# The evidence scorecard",
        "",
        "Generated by `endstate evidence` (`src/endstate/experiments/evidence.py`) on the committed model "
        f"({runs} runs per experiment, seed {seed}).  Each published finding is run as a small experiment; the table "
        "gives the published figure, the model's figure in the same experiment, the tolerance and the result.  "
        "`tests/experiments/test_evidence.py` holds the model to these tolerances.",
        "",
        f"**{sum(c.passed for c in checks)} of {len(checks)} checks pass.**",
        "",
        "| finding | source | published | model | tolerance | result |",
        "|---|---|---|---|---|---|",
        *["| " + " | ".join(r) + " |" for r in table_rows(checks)],
        "",
        "## The scenario",
        "",
        SCENARIO_TEXT,
        "",
        "## What each check tests",
        "",
        PROVENANCE_TEXT,
        "",
        "## Dose-response in the midst of fighting",
        "",
        "Deaths relative to no mission, in the months at war; hollow squares are the published points.",
        "",
        f"![troops](data:image/png;base64,{_figure(curve['troops'], 'troops')})",
        "",
        f"![police](data:image/png;base64,{_figure(curve['police'], 'police')})",
        "",
    ]
    for group in dict.fromkeys(c.group for c in checks):
        g = [c for c in checks if c.group == group]
        lines += [f"## Checks: {group}", "", f"![{group}](data:image/png;base64,{_bar(g)})", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
