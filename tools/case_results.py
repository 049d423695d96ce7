"""Fill the "model results" block of every case in docs/cases.md from a fresh replay.

    python tools/case_results.py [--runs 1000] [--seed 0]

Each block sits after a ``<!-- model-results: CASE -->`` marker and ends at the next
blank line followed by a heading; it is rewritten with the model's probability of each
recorded fact, the predicted exit-reason shares and relapse, so the page always
states what the committed model says.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from endstate.experiments.replay import case_ids, replay
from endstate.types import EXIT_REASONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "cases.md"


def block(case: str, runs: int, seed: int) -> str:
    rep = replay(case, runs, seed)
    o = rep.results["as it happened"].outcomes
    shares = o.exit_reason.astype(str).value_counts(normalize=True)
    reasons = ", ".join(f"{r} {shares.get(r, 0):.0%}" for r in EXIT_REASONS if shares.get(r, 0) >= 0.005)
    exited = o.exit_month >= 0
    lines = [
        f"*Model results ({runs:,} runs, seed {seed}, committed parameters; regenerate with `python tools/case_results.py`).*",
        "",
        f"- Predicted exit reasons: {reasons}.",
        f"- Median exit month: {o.exit_month[exited].median():.0f} (of runs that exited); war resumes during the mission in "
        f"{o.relapse_in_mission.mean():.0%} of runs, within 5 years of exit (or during the mission) in {o.relapse_5y.mean():.0%}, "
        f"within 10 years in {o.relapse_10y.mean():.0%}.",
        "",
        "| what happened | model probability | note |",
        "|---|---|---|",
    ]
    lines += [f"| {c['fact']} | {c['model_probability']:.2f} | {c.get('note', '')} |" for c in rep.checks]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    text = DOC.read_text(encoding="utf-8")
    for case in case_ids():
        marker = f"<!-- model-results: {case} -->"
        if marker not in text:
            continue
        pattern = re.compile(re.escape(marker) + r"\n.*?(?=\n\n#|\Z)", re.S)
        replacement = marker + "\n" + block(case, a.runs, a.seed)
        text = pattern.sub(lambda _m, r=replacement: r, text, count=1)
        print(f"{case}: done")
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
