"""The input-checking fuzz campaign: many generated and mutated inputs through the real command line.

Run: ``PYTHONPATH=src python tools/fuzz.py [--inputs 10000] [--seed 0] [--data-dir DIR]``.

Four families of inputs, each mutated from a valid original with a seeded
random generator (the same seed gives the same campaign):

- ``spec``: the shipped templates and examples, values replaced by slips
  (YAML 1.1 scalars, huge, non-finite or implausible numbers, surrogates,
  long text), keys repeated, lines dropped or cut, through ``endstate validate``;
- ``spells``: generated peace-spell files, through ``endstate spells check``;
- ``build``: one producer file of a data folder mutated (cells, repeated or
  dropped rows, dropped columns, cut, re-encoded, re-delimited), through
  ``endstate spells build`` (Doyle & Sambanis mostly, UCDP for a share: its
  build reads six files);
- ``subprocess``: a sample of the above plus special files (a FIFO,
  ``/dev/zero``, a folder) through a separate ``endstate`` process, to catch
  what only a real process shows (hangs, output on a closed terminal).

Most commands run in-process through Typer's ``CliRunner`` (fast); each has a
time limit (``signal.alarm``).  Counted per family: inputs, accepted, refused
(exit 2), tracebacks (any other exception or exit code), hangs (over the
limit), and silently wrong results: an input carrying a defect that a check
must refuse (a planted one: a repeated key or row, a sexagesimal number, a
negative count, a header-only file, a year 1500...) that was accepted, or a
spell file written by ``build`` that ``spells check`` then rejects.  Exit
status 1 if any traceback, hang or silently wrong result was found.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from endstate.cli import app
from endstate.data import DataFileError, read_spells, shared_data_dir
from endstate.data.build import FILES
from endstate.data.spells import SPELL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "src" / "endstate" / "spec" / "templates").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.yaml"))
LIMIT_S = 20
"""Seconds an in-process command may take before it counts as a hang (a valid spec validates in well under one)."""

SPEC_SLIPS = [
    "1:30:00", "yes", "no", "on", "off", "010", "0x1F", "1_000", "1e5", "-1e5", "1e308", "-1e308", "1e-9", ".inf", "-.inf",
    ".nan", "9" * 400, "true", "false", "null", '"\\ud800"', "1500-01-01", "9999-12-31", "2030-02-30", "0", "-1", "2e9", "'1000'",
    "x" * 20_000, "[]", "{}", "{low: 1200, high: 1e308}", "{low: 1, high: " + "9" * 400 + "}", "{dist: normal, mean: 0.5, sd: 1e300}",
    "!!python/object:os.system x", "&a [*a]", "*nope", "{{", "'", "\t", "\x00",
]
"""Values a spec mutation writes in place of a value (what the issue found getting through, and classic parser traps)."""
PLANTED_SPEC = {"1:30:00": "sexagesimal", "yes": "yes-bool", "no": "yes-bool", "on": "yes-bool", "off": "yes-bool",
                "1e308": "huge", "-1e308": "huge", "9" * 400: "huge", "1500-01-01": "date", "9999-12-31": "date"}
"""Slips that no field may accept: a spec carrying one that validates is silently wrong."""

CELL_SLIPS = ["", "-1", "-250", "inf", "-inf", "nan", "1e309", "1e300", "9999", "1500", "1500-01-01", "31/12/9999", "abc", "a\x00b",
              '"open', "1,5", "yes", "NA", "0", "x" * 300, "\u00e9", "\ufeff"]
"""Cell values a data mutation writes."""


@dataclass
class Tally:
    """Counts for one family of inputs."""

    inputs: int = 0
    accepted: int = 0
    refused: int = 0
    tracebacks: int = 0
    hangs: int = 0
    silently_wrong: int = 0
    examples: list[str] = field(default_factory=list)

    def bad(self, kind: str, what: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {what}")


class _Hang(Exception):
    pass


def _alarm(_sig: int, _frame: Any) -> None:
    raise _Hang


def invoke(args: list[str]) -> tuple[str, int, str]:
    """Run the CLI in-process: ("ok" | "traceback" | "hang", exit code, output)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(LIMIT_S)
    try:
        r = CliRunner().invoke(app, args, catch_exceptions=True)
    except _Hang:
        return "hang", -1, ""
    finally:
        signal.alarm(0)
    if isinstance(r.exception, _Hang):
        return "hang", -1, r.output
    if (r.exception is not None and not isinstance(r.exception, SystemExit)) or r.exit_code not in (0, 2) or "Traceback" in r.output:
        return "traceback", r.exit_code, f"{r.exception!r} {r.output[-300:]}"
    return "ok", r.exit_code, r.output


def record(t: Tally, status: str, code: int, out: str, planted: str | None, what: str, extra_wrong: str | None = None) -> None:
    t.inputs += 1
    if status != "ok":
        t.bad("tracebacks" if status == "traceback" else "hangs", f"{what}: {out[:200]}")
        return
    if code == 0:
        t.accepted += 1
        if planted:
            t.bad("silently_wrong", f"{what}: accepted although it holds {planted}")
        elif extra_wrong:
            t.bad("silently_wrong", f"{what}: {extra_wrong}")
    else:
        t.refused += 1


# --------------------------------------------------------------------------- specs


def mutate_spec(rng: random.Random, text: str) -> tuple[str, str | None]:
    """A mutated spec text and the planted defect it carries (None if none that must be refused)."""
    lines = text.splitlines()
    values = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+: [^#{\[|>]", line)]
    planted = None
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(values)
        key, _, rest = lines[i].partition(": ")
        action = rng.choice(["replace"] * 5 + ["repeat-key", "drop", "cut", "number", "bytes"])
        if action == "replace":
            slip = rng.choice(SPEC_SLIPS)
            was = rest.split("#")[0].strip()
            lines[i] = f"{key}: {slip}"
            # Planted only where the field held a number, a flag or a date: a text field may hold "yes".
            if slip in PLANTED_SPEC and re.match(r"^(?:[-+]?[0-9.][0-9._eE+-]*|true|false|\d{4}-\d\d-\d\d)$", was):
                planted = planted or PLANTED_SPEC[slip]
        elif action == "repeat-key":
            lines.insert(i + 1, lines[i])
            planted = planted or "a repeated key"
        elif action == "drop":
            del lines[i]
            values = [v - (v > i) for v in values if v != i]
        elif action == "cut":
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif action == "number":
            lines[i] = f"{key}: {rng.choice([rng.uniform(-1e12, 1e12), rng.random(), 10 ** rng.randint(-30, 30), -rng.random()])!r}"
        else:
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + chr(rng.choice([0, 7, 0x85, 0xD800, 0xFEFF, 0x202E, rng.randint(1, 0x10FFFF)])) + lines[i][pos:]
    return "\n".join(lines) + "\n", planted


def spec_family(rng: random.Random, n: int, work: Path, t: Tally) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SPECS]
    for k in range(n):
        text, planted = mutate_spec(rng, rng.choice(texts))
        path = work / f"spec{k % 7}.yaml"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        record(t, *invoke(["validate", str(path)]), planted=planted, what=f"spec #{k}")


# --------------------------------------------------------------------------- spell files


def spell_rows(rng: random.Random) -> tuple[list[list[str]], str | None]:
    """A generated spell file (header first) and its planted defect."""
    def day() -> str:
        return f"{rng.randint(1946, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    rows = [list(SPELL_COLUMNS)]
    for i in range(rng.randint(1, 8)):
        start = day()
        end = f"{int(start[:4]) + rng.randint(0, 20)}{start[4:]}"
        rows.append([f"c{i}", "Xland", start, rng.choice(["victory", "settlement", "truce"]), str(rng.choice([1000, 25000, ""])),
                     str(rng.choice([1, 2.5, ""])), rng.choice(["0", "1", ""]), "none", "none", "", "", end, rng.choice(["0", "1"])])
    planted = None
    action = rng.choice(["none", "cell", "cell", "repeat", "header-only", "year", "inf", "nul", "negative", "cut", "long-line"])
    r = rng.randint(1, len(rows) - 1)
    if action == "cell":
        rows[r][rng.randrange(len(SPELL_COLUMNS))] = rng.choice(CELL_SLIPS)
    elif action == "repeat":
        rows.append(list(rows[r]))
        planted = "a repeated case_id"
    elif action == "header-only":
        rows = rows[:1]
        planted = "no rows"
    elif action == "year":
        rows[r][2] = rng.choice(["1500-01-01", "9999-01-01"])
        planted = "a year outside 1900-2100"
    elif action == "inf":
        rows[r][4] = rng.choice(["inf", "-inf", "1e309"])
        planted = "infinite deaths"
    elif action == "nul":
        rows[r][1] = "X\x00land"
        planted = "a NUL byte"
    elif action == "negative":
        rows[r][4] = "-5"
        planted = "negative deaths"
    elif action == "long-line":
        rows[0][-1] += "x" * 200_000
        planted = "a runaway line"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    text = out.getvalue()
    if action == "cut":
        text = text[: rng.randint(0, len(text))]
    return [[text]], planted


def spells_family(rng: random.Random, n: int, work: Path, t: Tally) -> None:
    for k in range(n):
        [[text]], planted = spell_rows(rng)
        path = work / "spells.csv"
        path.write_text(text, encoding="utf-8")
        record(t, *invoke(["spells", "check", str(path)]), planted=planted, what=f"spell file #{k}")


# --------------------------------------------------------------------------- producer files through `spells build`


def mutate_csv(rng: random.Random, text: str) -> tuple[bytes, str | None]:
    """A producer file mutated, and its planted defect."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    planted = None
    delimiter, encoding = ",", "utf-8"
    cut = False
    for _ in range(rng.randint(1, 3)):
        action = rng.choice(["cell"] * 4 + ["repeat", "repeat-all", "header-only", "drop-column", "cut", "encoding", "delimiter", "negative"])
        if action == "cell" and len(rows) > 1:
            r = rng.randint(1, len(rows) - 1)
            if rows[r]:
                rows[r][rng.randrange(len(rows[r]))] = rng.choice(CELL_SLIPS)
        elif action == "repeat" and len(rows) > 1:
            rows.append(list(rows[rng.randint(1, len(rows) - 1)]))
            planted = planted or "a repeated row"
        elif action == "repeat-all":
            rows = rows + rows[1:]
            planted = planted or "every row twice"
        elif action == "header-only":
            rows = rows[:1]
            planted = planted or "no rows"
        elif action == "drop-column" and rows:
            c = rng.randrange(len(rows[0]))
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif action == "cut":
            cut = True
        elif action == "encoding":
            encoding = rng.choice(["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
        elif action == "delimiter":
            delimiter = rng.choice([";", "\t"])
        elif action == "negative" and len(rows) > 1:
            counts = [c for c, h in enumerate(rows[0]) if h in ("bd_best", "troops", "police", "total", "dead", "wardur", "IPI_troops")]
            if counts:
                r = rng.randint(1, len(rows) - 1)
                c = rng.choice(counts)
                if c < len(rows[r]) and rows[r][c].strip() not in ("", "NA"):
                    rows[r][c] = "-" + rows[r][c].strip()
                    planted = planted or "a negative count"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    body = out.getvalue()
    if cut:
        body = body[: rng.randint(0, len(body))]
    if planted in ("a repeated row", "every row twice"):
        # Later mutations (a cell changed, the file cut) may have undone the repeat: count it only if it survived.
        final = [tuple(r) for r in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter) if r][1:]
        planted = planted if len(set(final)) < len(final) else None
    return body.encode(encoding, errors="replace"), planted


def build_family(rng: random.Random, n: int, ucdp_share: float, data: Path, work: Path, t: Tally, keep: Path | None = None) -> None:
    """Mutated producer files through ``spells build``; an accepted input with a planted defect is copied to ``keep``."""
    sources = {k: (data / f).read_text(encoding="utf-8-sig") for k, f in FILES.items()}
    folder = work / "data"
    folder.mkdir(exist_ok=True)
    for f in FILES.values():
        if not (folder / f).exists():
            (folder / f).symlink_to(data / f)
    ucdp_keys = [k for k in FILES if k != "doyle_sambanis"]
    for k in range(n):
        ucdp = rng.random() < ucdp_share
        key = rng.choice(ucdp_keys) if ucdp else "doyle_sambanis"
        target = folder / FILES[key]
        raw, planted = mutate_csv(rng, sources[key])
        target.unlink()
        target.write_bytes(raw)
        out = work / "built.csv"
        out.unlink(missing_ok=True)
        status, code, text = invoke(["spells", "build", "--source", "ucdp" if ucdp else "doyle-sambanis", "-d", str(folder), "-o", str(out)])
        wrong = None
        if status == "ok" and code == 0 and planted and keep:
            (keep / f"build{k}-{FILES[key]}").write_bytes(raw)
        if status == "ok" and code == 0:
            try:
                read_spells(out)
            except DataFileError as e:
                wrong = f"wrote a spell file its own check rejects: {e.problems[0]}"
        elif status == "ok" and out.exists():
            wrong = "exit 2 but a spell file was written"
            code = 0
        record(t, status, code, text, planted, f"build #{k} ({FILES[key]})", wrong)
        target.unlink()
        target.symlink_to(data / FILES[key])


# --------------------------------------------------------------------------- separate processes


SUBPROCESS_MEMORY = 8 * 1024**3
"""Address space a separate process may take: a reader that swallowed ``/dev/zero`` is stopped there, not by the OS."""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SUBPROCESS_MEMORY, SUBPROCESS_MEMORY))


def subprocess_family(rng: random.Random, n: int, work: Path, t: Tally) -> None:
    cmd = [sys.executable, "-c", "from endstate.cli import main; main()"]
    fifo = work / "fifo.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    specials: list[tuple[list[str], str]] = [
        (["validate", str(fifo)], "a FIFO as spec"),
        (["validate", "/dev/zero"], "/dev/zero as spec"),
        (["validate", str(work)], "a folder as spec"),
        (["spells", "check", str(fifo)], "a FIFO as spell file"),
        (["spells", "check", "/dev/zero"], "/dev/zero as spell file"),
        (["spells", "check", "/dev/null"], "/dev/null as spell file"),
    ]
    texts = [p.read_text(encoding="utf-8") for p in SPECS]
    for k in range(n):
        planted: str | None
        if k < len(specials):
            args, what = specials[k]
            planted = "a special file"
        elif k % 2:
            text, planted = mutate_spec(rng, rng.choice(texts))
            path = work / f"sub{k}.yaml"
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
            args, what = ["validate", str(path)], f"spec #{k} in a process"
        else:
            [[text]], planted = spell_rows(rng)
            path = work / f"sub{k}.csv"
            path.write_text(text, encoding="utf-8")
            args, what = ["spells", "check", str(path)], f"spell file #{k} in a process"
        try:
            p = subprocess.run(cmd + args, capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "120"},
                               preexec_fn=_cap_memory)
        except subprocess.TimeoutExpired:
            record(t, "hang", -1, "", planted, what)
            continue
        status = "traceback" if p.returncode not in (0, 2) or "Traceback" in p.stderr + p.stdout else "ok"
        record(t, status, p.returncode, p.stderr[-300:], planted, what)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000, help="total inputs (split over the families)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", type=Path, default=None, help="the shared data folder (default: ENDSTATE_DATA or ../shared/data)")
    ap.add_argument("--ucdp-share", type=float, default=0.1, help="share of builds that are UCDP builds (slower: six files)")
    ap.add_argument("--keep", type=Path, default=None, help="folder to copy accepted build inputs with a planted defect into")
    ap.add_argument("--only", choices=["spec", "spells", "build", "subprocess"], default=None, help="run one family only")
    a = ap.parse_args(argv)
    data = a.data_dir or shared_data_dir()
    rng = random.Random(a.seed)
    shares = {"spec": 0.55, "spells": 0.3, "build": 0.145 if data else 0.0, "subprocess": 0.005}
    if a.only:
        shares = {k: (v if k == a.only else 0.0) for k, v in shares.items()}
    total = sum(shares.values())
    plan = {k: max(int(a.inputs * v / total), 1 if v else 0) for k, v in shares.items()}
    runners: dict[str, Callable[[int, Path, Tally], None]] = {
        "spec": lambda n, w, t: spec_family(rng, n, w, t),
        "spells": lambda n, w, t: spells_family(rng, n, w, t),
        "build": lambda n, w, t: build_family(rng, n, a.ucdp_share, data, w, t, a.keep),  # type: ignore[arg-type]
        "subprocess": lambda n, w, t: subprocess_family(rng, n, w, t),
    }
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="endstate-fuzz-") as tmp:
        for name, n in plan.items():
            if not n:
                continue
            work = Path(tmp) / name
            work.mkdir()
            t0 = time.perf_counter()
            tallies[name] = Tally()
            runners[name](n, work, tallies[name])
            print(f"{name}: {n} inputs in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    cols = ("inputs", "accepted", "refused", "tracebacks", "hangs", "silently_wrong")
    print(f"{'family':<12}" + "".join(f"{c:>16}" for c in cols))
    sums: Counter[str] = Counter()
    for name, t in tallies.items():
        print(f"{name:<12}" + "".join(f"{getattr(t, c):>16,}" for c in cols))
        sums.update({c: getattr(t, c) for c in cols})
    print(f"{'total':<12}" + "".join(f"{sums[c]:>16,}" for c in cols))
    for name, t in tallies.items():
        for ex in t.examples:
            print(f"  {name} {ex}")
    if not data:
        print("(no shared data folder: the build family was skipped)")
    return 1 if sums["tracebacks"] or sums["hangs"] or sums["silently_wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
