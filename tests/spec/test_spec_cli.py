"""The spec commands: ``endstate validate``, ``schema``, ``new`` and ``--version``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
import yaml
from spec_support import EXAMPLES, REPO, TEMPLATES, line_of
from typer.testing import CliRunner

from endstate import __version__
from endstate.cli import app
from endstate.spec import load_spec
from endstate.spec.schema import schema_dict, schema_json

PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<path>[^:]+): (?P<message>.+)$")


def _run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _line_matching(text: str, pattern: str) -> int:
    [m] = list(re.finditer(pattern, text, flags=re.MULTILINE))
    return text[: m.start()].count("\n") + 1


def _sub(text: str, pattern: str, new: str) -> str:
    out, n = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    assert n == 1, pattern
    return out


def test_validate_examples_exit_zero() -> None:
    result = _run("validate", *map(str, EXAMPLES))
    assert result.exit_code == 0, result.output
    for path in EXAMPLES:
        assert f"ok {path}  (" in result.stdout


def test_validate_toml(tmp_path: Path) -> None:
    data = load_spec(EXAMPLES[0]).model_dump(mode="json", exclude={"strategies"}, exclude_none=True)
    path = tmp_path / "spec.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert _run("validate", str(path)).exit_code == 0


@pytest.fixture
def five_mistakes(tmp_path: Path) -> tuple[Path, str]:
    """The lead-state example with an unknown key, a wrong type, a negative number, a missing field and shares off 1."""
    text = (REPO / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")
    text = _sub(text, r"^  iso3: TLS$", "  iso3: TLS\n  colour: blue")
    text = _sub(text, r"^  population: \d+.*$", "  population: many")
    text = _sub(text, r"^(    - id: new_zealand\n(?:      .*\n)*?)      troops: \d+$", r"\1      troops: -1000")
    text = _sub(text, r"^  budget_per_year: .*\n", "")
    text = _sub(text, r"^(    - \{id: dili, .*population_share: )0\.20,", r"\g<1>0.25,")
    path = tmp_path / "mistakes.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _expect_five(text: str) -> dict[str, tuple[int, str]]:
    return {
        "mission.colour": (line_of(text, "colour: blue"), "unknown key 'colour'"),
        "theatre.population": (line_of(text, "population: many"), "expected a number"),
        "theatre.regions": (_line_matching(text, r"^  regions:"), "region population shares sum to 1.05, not 1"),
        "force.contributors[1].troops": (line_of(text, "troops: -1000"), "greater than or equal to 0"),
        "resources.budget_per_year": (line_of(text, "resources:"), "required field is missing"),
    }


def test_five_mistakes_all_reported_with_lines(five_mistakes: tuple[Path, str]) -> None:
    path, text = five_mistakes
    result = _run("validate", str(path))
    assert result.exit_code == 2
    assert "5 problem(s) found" in result.stderr
    found = {}
    for line in result.stderr.splitlines()[1:]:
        m = PROBLEM_LINE.match(line)
        assert m, line
        assert m["file"] == str(path)
        found[m["path"]] = (int(m["line"]), m["message"])
    expected = _expect_five(text)
    assert set(found) == set(expected)
    for key, (line, fragment) in expected.items():
        assert found[key][0] == line, key
        assert fragment in found[key][1], key


def test_five_mistakes_through_the_installed_command(five_mistakes: tuple[Path, str]) -> None:
    """The real process: exit code 2, every problem on stderr, no traceback."""
    path, _ = five_mistakes
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from endstate.cli import main; sys.exit(main())", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len([ln for ln in proc.stderr.splitlines() if PROBLEM_LINE.match(ln)]) == 5


def test_validate_reports_every_file_and_fails_if_any_fails(five_mistakes: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = five_mistakes
    result = _run("validate", str(EXAMPLES[0]), str(path), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert f"ok {EXAMPLES[0]}" in result.stdout
    assert f"{tmp_path / 'missing.yaml'}: file not found" in result.stderr


def test_validate_reports_a_broken_strategy_by_name(tmp_path: Path) -> None:
    text = (REPO / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")
    text = _sub(text, r"^        strategy: end_date$", "        strategy: whenever")
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    result = _run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path} (strategy 'calendar_exit', strategies[0].overrides):{line_of(text, 'strategy: whenever')}:" in result.stderr


def test_validate_prints_names_literally(tmp_path: Path) -> None:
    path = tmp_path / "plan[red].yaml"
    text = (REPO / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")
    path.write_text(_sub(text, r"^  name: .*$", '  name: "Plan [red]B[/]"'), encoding="utf-8")
    result = _run("validate", str(path))
    assert result.exit_code == 0
    assert f"ok {path}  (Plan [red]B[/];" in result.stdout


@pytest.mark.parametrize("template", [p.stem for p in TEMPLATES])
def test_new_writes_a_valid_template(tmp_path: Path, template: str) -> None:
    out = tmp_path / "mission.yaml"
    result = _run("new", str(out), "--template", template)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == (REPO / "src" / "endstate" / "spec" / "templates" / f"{template}.yaml").read_text(encoding="utf-8")
    load_spec(out)
    assert _run("validate", str(out)).exit_code == 0


def test_new_defaults_to_the_lead_state_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _run("new").exit_code == 0
    assert load_spec(tmp_path / "mission.yaml").force.command == "lead_state"


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mission.yaml"
    out.write_text("mine", encoding="utf-8")
    result = _run("new", str(out))
    assert result.exit_code == 2
    assert "exists; pass --force to overwrite it" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert _run("new", str(out), "--force", "-t", "committee").exit_code == 0
    assert load_spec(out).force.command == "committee"


def test_new_user_errors(tmp_path: Path) -> None:
    result = _run("new", str(tmp_path / "x.yaml"), "--template", "junta")
    assert result.exit_code == 2 and "unknown template 'junta'; choose one of: lead_state, committee" in result.stderr
    result = _run("new", str(tmp_path / "no" / "such" / "dir.yaml"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    result = _run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema_dict()
    out = tmp_path / "schema.json"
    assert _run("schema", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_json()
    result = _run("schema", "--out", str(tmp_path / "no" / "schema.json"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"endstate {__version__}"


def test_yaml_dump_of_example_validates_from_cli(tmp_path: Path) -> None:
    path = tmp_path / "dumped.yml"
    path.write_text(yaml.safe_dump(load_spec(EXAMPLES[-1]).model_dump(mode="json")), encoding="utf-8")
    assert _run("validate", str(path)).exit_code == 0
