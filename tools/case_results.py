"""Regenerate the model's results in docs/cases.md from the case score.

    python tools/case_results.py [--runs 1000] [--seed 0]

Every case is replayed once (:func:`endstate.experiments.case_score.score_library`).  The
block after ``<!-- case-score -->`` is rewritten with the library's score (the record's
probability under the model, case by case, against the library's base rates), and the block
after each ``<!-- model-results: CASE -->`` marker with that case's predicted exit reasons and
the model's probability of each recorded fact.  A block ends at the next blank line followed by
a heading, so the page always states what the committed model says.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from endstate.engine.runner import Results
from endstate.experiments.case_score import LibraryScore, score_library
from endstate.experiments.replay import history_check, load_case
from endstate.types import EXIT_REASONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "cases.md"
SCORE_MARKER = "<!-- case-score -->"


def score_block(lib: LibraryScore) -> str:
    lines = [
        f"*Case score ({lib.runs:,} runs a case, seed {lib.seed}, committed parameters; `endstate cases --score`; "
        "regenerate with `python tools/case_results.py`).*",
        "",
        "| case | recorded exit | model's most likely | P(recorded reason) | P(exit within a year of the record) | P(recorded relapse) | log score | base-rate log score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in lib.cases:
        year = "-" if c.p_exit_year is None else f"{c.p_exit_year:.2f}"
        ml = c.most_likely_reason if c.reason_is_most_likely else f"{c.most_likely_reason} (miss)"
        lines.append(
            f"| `{c.case}` | {c.recorded_reason} | {ml} | {c.p_reason:.2f} | {year} | {c.p_relapse:.2f} | {c.log_score:.2f} | {c.baseline_log_score:.2f} |"
        )
    verdict = "beats" if lib.mean_log_score > lib.mean_baseline_log_score else "does not beat"
    lines += [
        "",
        f"The recorded exit reason is the model's most likely one in **{lib.n_reason_most_likely} of {len(lib.cases)}** cases. "
        f"The mean log score of the record is **{lib.mean_log_score:.2f}** against **{lib.mean_baseline_log_score:.2f}** for a "
        f"baseline that predicts the library's base rates: the model {verdict} the base rates.",
    ]
    return "\n".join(lines)


def case_block(case: str, res: Results, runs: int, seed: int) -> str:
    spec, record, _ = load_case(case)
    o = res.outcomes
    shares = o.exit_reason.astype(str).value_counts(normalize=True)
    reasons = ", ".join(f"{r} {shares.get(r, 0):.0%}" for r in EXIT_REASONS if shares.get(r, 0) >= 0.005)
    exited = o.exit_month >= 0
    median = f"{o.exit_month[exited].median():.0f} (of runs that exited)" if exited.any() else "none exited"
    lines = [
        f"*Model results ({runs:,} runs, seed {seed}, committed parameters; regenerate with `python tools/case_results.py`).*",
        "",
        f"- Predicted exit reasons: {reasons}.",
        f"- Median exit month: {median}; war resumes during the mission in "
        f"{o.relapse_in_mission.mean():.0%} of runs, within 5 years of exit (or during the mission) in {o.relapse_5y.mean():.0%}, "
        f"within 10 years in {o.relapse_10y.mean():.0%}.",
        "",
        "| what happened | model probability | note |",
        "|---|---|---|",
    ]
    lines += [f"| {c['fact']} | {c['model_probability']:.2f} | {c.get('note', '')} |" for c in history_check(spec, record, res)]
    return "\n".join(lines)


def _replace(text: str, marker: str, body: str) -> str:
    pattern = re.compile(re.escape(marker) + r"\n.*?(?=\n\n#|\Z)", re.S)
    return pattern.sub(lambda _m: marker + "\n" + body, text, count=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    lib, results = score_library(a.runs, a.seed)
    text = DOC.read_text(encoding="utf-8")
    if SCORE_MARKER in text:
        text = _replace(text, SCORE_MARKER, score_block(lib))
    for case, res in results.items():
        marker = f"<!-- model-results: {case} -->"
        if marker in text:
            text = _replace(text, marker, case_block(case, res, a.runs, a.seed))
            print(f"{case}: done")
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
