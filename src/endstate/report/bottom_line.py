"""The bottom line in words: which strategy leaves a more durable peace, at what cost, and what binds each exit.

Core objects: :func:`bottom_line` (a short paragraph, the first thing a
report says), :func:`comparison_data` (what ``comparison.json`` holds) and :func:`common_window` (the longest fixed window from the
mission start that every strategy is observed over).  Durability is judged on
the common clock (no relapse by year Y from the mission start), never on each
strategy's own post-exit clock; with paired runs the difference carries its
95% interval, and a difference whose interval includes zero is said to be
unclear rather than ranked.
"""

from __future__ import annotations

from typing import Any

from endstate.engine.runner import WINDOW_YEARS, Results
from endstate.experiments.compare import Row, compare, rows_as_dicts

from .stats import window_summary
from .status import binding_goals

REASON_WORDS: dict[str, str] = {
    "thresholds_met": "once every handover phase is complete",
    "deadline": "on its deadline",
    "budget": "on the expenditure ceiling",
    "contributor_tolerance": "when contributors' public tolerance runs out",
    "host_consent": "when the host withdraws consent",
    "collapse": "in collapse as war resumes",
    "running": "not at all within the horizon",
}


def common_window(results: dict[str, Results]) -> int | None:
    """The longest of :data:`WINDOW_YEARS` whose relapse status is known for enough runs of every strategy."""
    sums = [window_summary(r) for r in results.values()]
    ok = [y for y in WINDOW_YEARS if all(s[f"p_no_relapse_by_{y}y"] is not None for s in sums)]
    return max(ok) if ok else None


def _paired(results: dict[str, Results]) -> bool:
    keys = {(r.meta.get("runs"), r.meta.get("seed"), len(r.outcomes)) for r in results.values()}
    return len(keys) == 1


def _exit_clause(name: str, res: Results) -> str:
    reasons = res.outcomes["exit_reason"].astype(str).value_counts(normalize=True)
    top = str(reasons.index[0]) if len(reasons) else "running"
    clause = f"{name} leaves {REASON_WORDS.get(top, top)} in {reasons.iloc[0]:.0%} of runs" if len(reasons) else f"{name} has no runs"
    b = binding_goals(res)
    if b.empty or b["binds"].max() <= 0:
        return clause + " (no goal gates its exit)"
    g = str(b["binds"].idxmax())
    row = b.loc[g]
    return clause + f" (the goal binding its exit most often: '{g}', in {row['binds']:.0%} of runs; it is met at all in {row['met_ever']:.0%})"


def bottom_line(results: dict[str, Results]) -> str:
    """A short paragraph: the more durable strategy on a common window, its cost, and what binds each strategy's exit."""
    if not results:
        raise ValueError("a bottom line needs at least one strategy's results")
    y = common_window(results)
    exits = "Exits: " + "; ".join(_exit_clause(n, r) for n, r in results.items()) + "."
    if y is None:
        return (
            "No fixed window from the mission start is observed in enough runs of every strategy to compare how durable the peace is "
            f"(see the fixed-window table). {exits}"
        )
    sums = {n: window_summary(r) for n, r in results.items()}
    p = {n: s[f"p_no_relapse_by_{y}y"] for n, s in sums.items()}
    cost = {n: s[f"cost_usd_m_{y}y_mean"] for n, s in sums.items()}
    best = max(p, key=lambda n: p[n])
    costs = "; ".join(f"{n} US${cost[n]:,.0f} m" if cost[n] is not None else f"{n} not observed over the whole window" for n in results)
    costs = f"Mean cost over those {y} years: {costs}."
    if len(results) == 1:
        return f"Over the first {y} years from the mission start, war does not resume in {p[best]:.0%} of runs. {costs} {exits}"
    rows = {r.strategy: r for r in compare(results, best) if r.metric == f"P(no relapse by year {y})"} if _paired(results) else {}
    worse: list[str] = []
    level: list[str] = []
    for n in results:
        if n == best:
            continue
        r = rows.get(n)
        if r is None or r.significant is None:
            level.append(f"{n} ({p[n]:.0%}; no paired interval)")
            continue
        points = f"{-r.difference * 100 + 0.0:+.1f} points for {best}, 95% CI {-r.ci_high * 100 + 0.0:+.1f} to {-r.ci_low * 100 + 0.0:+.1f}"
        (worse if r.significant else level).append(f"{p[n]:.0%} for {n} ({points})" if r.significant else f"{n} ({p[n]:.0%}; {points}, not significant)")
    head = f"Over the first {y} years from the mission start, "
    if worse:
        text = head + f"{best} leaves the more durable peace: war does not resume in {p[best]:.0%} of its runs, against {', '.join(worse)}."
        if level:
            text += f" As durable, within the noise: {', '.join(level)}."
    else:
        text = head + f"no strategy leaves a clearly more durable peace: {best} has the most runs without relapse ({p[best]:.0%}), but not significantly more than {', '.join(level)}."
    return f"{text} {costs} {exits}"


def comparison_data(results: dict[str, Results], reference: str, rows: list[Row]) -> dict[str, Any]:
    """A comparison as plain JSON data, what ``comparison.json`` holds (``endstate compare --out``,
    ``endstate.compare(out=...)``): the reference, the bottom line, each strategy's fixed windows and the paired
    ``rows`` (:func:`~endstate.experiments.compare.compare` against ``reference``)."""
    return {"reference": reference, "bottom_line": bottom_line(results), "windows": {n: window_summary(r) for n, r in results.items()},
            "rows": rows_as_dicts(rows)}  # fmt: skip
