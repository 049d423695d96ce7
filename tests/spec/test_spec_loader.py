"""Reading specs from YAML and TOML: safety, positions, and dump -> load round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import yaml
from spec_support import BASE, edit, line_of

from endstate.spec import MissionSpec, SpecError, deep_merge, load_raw, load_spec, validate_data
from endstate.spec.loader import MAX_VALUES


def _drop_none(obj: Any) -> Any:
    """TOML has no null: leave out what is None."""
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _only_problem(path: Path) -> Any:
    with pytest.raises(SpecError) as err:
        load_spec(path)
    [problem] = err.value.problems
    return problem


# --- YAML safety and syntax --------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system", "!!python/module:os"],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "executed"
    text = edit(BASE, "  name: Test mission", f"  name: {tag} ['touch {marker}']")
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    assert "refused" in problem.message and "safe loader" in problem.message
    assert "os.system" in problem.message or "python/module" in problem.message
    assert problem.line == line_of(text, tag)
    assert not marker.exists()


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    text = edit(BASE, "  population: 1000000", "  population: [1000000")
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    assert problem.message.startswith("YAML syntax error")
    assert problem.line is not None and problem.column is not None


def test_impossible_yaml_date_is_positioned(tmp_path: Path) -> None:
    text = edit(BASE, "  start_date: 2030-01-01", "  start_date: 2030-13-01")
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    assert problem.message == "YAML error: cannot read '2030-13-01' as a date (month must be in 1..12)"
    assert (problem.line, problem.column) == (line_of(text, "2030-13-01"), 15)


def test_unhashable_key_is_not_blamed_on_tags(tmp_path: Path) -> None:
    problem = _only_problem(_write(tmp_path, "spec.yaml", "? [a, b]\n: 1\n"))
    assert problem.message == "YAML error: found unhashable key"


def test_self_referring_alias_is_refused(tmp_path: Path) -> None:
    problem = _only_problem(_write(tmp_path, "spec.yaml", BASE + "extra: &loop [*loop]\n"))
    assert problem.message == "a YAML alias refers to itself"
    assert problem.line == BASE.count("\n") + 1


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    problem = _only_problem(_write(tmp_path, "spec.yaml", "\n".join(levels) + "\n"))
    assert problem.message == f"YAML aliases expand this file to over {MAX_VALUES:,} values"


def test_ordinary_aliases_are_fine(tmp_path: Path) -> None:
    text = edit(BASE, "      tension: 0.5", "      tension: &t 0.5").replace("      tension:\n        low: 0.2\n        high: 0.4\n", "      tension: *t\n")
    assert load_spec(_write(tmp_path, "spec.yaml", text)).theatre.regions[1].tension.central() == 0.5


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    for suffix, text in ((".yaml", "a: " + "[" * 2000 + "]" * 2000 + "\n"), (".toml", "a = " + "[" * 2000 + "]" * 2000 + "\n")):
        problem = _only_problem(_write(tmp_path, f"deep{suffix}", text))
        assert problem.message == "the file is nested too deeply to be a spec"


@pytest.mark.parametrize(("text", "message"), [("", "a spec must be a mapping"), ("- 1\n- 2\n", "a spec must be a mapping"), ("just text\n", "a spec must be a mapping")])
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, message: str) -> None:
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    assert problem.message.startswith(message) and problem.line == 1


def test_unreadable_files(tmp_path: Path) -> None:
    assert _only_problem(tmp_path / "missing.yaml").message == "file not found"
    assert _only_problem(tmp_path).message == "refused: this is a folder, not a regular file"
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert _only_problem(binary).message == "the file is UTF-16 text (byte-order mark found); save it as UTF-8"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"schema_version: 1\nmission: {name: S\xe3o Tom\xe9}\n")
    problem = _only_problem(latin)
    assert (problem.line, problem.message) == (2, "not UTF-8 text: byte 0xE3 cannot be read; save the file as UTF-8")


def test_load_raw_gives_data_and_positions(tmp_path: Path) -> None:
    data, pos = load_raw(_write(tmp_path, "spec.yaml", BASE))
    assert data["mission"]["start_date"] == dt.date(2030, 1, 1)
    assert pos[("force", "contributors", 1, "troops")] == (line_of(BASE, "troops: 500"), 7)


# --- TOML --------------------------------------------------------------------


def test_toml_spec_loads(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE)
    spec = load_spec(_write(tmp_path, "spec.toml", tomli_w.dumps(data)))
    assert spec == validate_data(data)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('schema_version = 1\n[mission]\nname = "x\n', 3, 10, "TOML syntax error: Illegal character '\\n'"),
        ("schema_version = 1\nschema_version = 2\n", 2, 19, "TOML syntax error: Cannot overwrite a value"),
        ("[mission]\nstart_date = 2030-13-01\n", 2, 18, "TOML syntax error: "),
    ],
)
def test_toml_syntax_errors_have_line_and_column(tmp_path: Path, text: str, line: int, column: int, message: str) -> None:
    problem = _only_problem(_write(tmp_path, "spec.toml", text))
    assert (problem.line, problem.column) == (line, column)
    assert problem.message.startswith(message)
    assert "(at line" not in problem.message


def test_toml_field_errors_name_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE)
    data["theatre"]["population"] = "many"
    data["force"]["contributors"][1]["troops"] = -3
    with pytest.raises(SpecError) as err:
        load_spec(_write(tmp_path, "spec.toml", tomli_w.dumps(data)))
    found = {p.path: p for p in err.value.problems}
    assert set(found) == {"theatre.population", "force.contributors[1].troops"}
    assert "expected a number" in found["theatre.population"].message
    assert all(p.line is None for p in found.values())
    assert str(found["theatre.population"]).startswith(f"{tmp_path / 'spec.toml'}: theatre.population: ")


# --- round trips ---------------------------------------------------------------


def test_yaml_round_trip(tmp_path: Path, spec_file: Path) -> None:
    spec = load_spec(spec_file)
    dumped = spec.model_dump(mode="json")
    again = load_spec(_write(tmp_path, "again.yaml", yaml.safe_dump(dumped, sort_keys=False)))
    assert again == spec
    assert again.model_dump(mode="json") == dumped


def test_toml_round_trip(tmp_path: Path, spec_file: Path) -> None:
    """TOML has no null, so None values (defaults, and overrides that clear a field) are left out."""
    spec = load_spec(spec_file)
    dumped = _drop_none(spec.model_dump(mode="json"))
    again = load_spec(_write(tmp_path, "again.toml", tomli_w.dumps(dumped)))
    assert _drop_none(again.model_dump(mode="json")) == dumped
    assert again.model_copy(update={"strategies": []}) == spec.model_copy(update={"strategies": []})


def test_dump_is_compact_for_uncertain_values(spec_file: Path) -> None:
    dumped = load_spec(spec_file).model_dump(mode="json")
    tension = [r["tension"] for r in dumped["theatre"]["regions"]]
    assert all(None not in t.values() for t in tension)


# --- merging -----------------------------------------------------------------


def test_deep_merge() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    merged = deep_merge(base, {"a": {"y": [3], "z": None}, "c": {"d": 1}})
    assert merged == {"a": {"x": 1, "y": [3], "z": None}, "b": 1, "c": {"d": 1}}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}


def test_mission_spec_is_the_public_model() -> None:
    assert validate_data(yaml.safe_load(BASE)).__class__ is MissionSpec


# --- strict reading: YAML 1.2 scalars, repeated keys, limits, special files ---


def test_repeated_key_names_both_lines(tmp_path: Path) -> None:
    text = edit(BASE, "  iso3: TST\n", "  iso3: TST\n  iso3: TSU\n")
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    first = line_of(text, "iso3: TST")
    assert problem.line == first + 1
    assert f"key 'iso3' appears twice in this mapping: first on line {first}, again on line {first + 1}" in problem.message


def test_repeated_keys_all_reported(tmp_path: Path) -> None:
    text = edit(edit(BASE, "  iso3: TST\n", "  iso3: TST\n  iso3: TSU\n"), "  budget_per_year: 1000000\n", "  budget_per_year: 1000000\n  budget_per_year: 2\n")
    with pytest.raises(SpecError) as err:
        load_spec(_write(tmp_path, "spec.yaml", text))
    assert [p.line for p in err.value.problems] == [line_of(text, "iso3: TSU"), line_of(text, "budget_per_year: 2")]


@pytest.mark.parametrize(
    ("written", "read"),
    [("1:30:00", "1:30:00"), ("yes", "yes"), ("off", "off"), ("010", 10), ("0o10", 8), ("0x10", 16), ("1e5", 100000.0),
     ("-2.5E-3", -0.0025), ("1_000", "1_000"), ("true", True), ("FALSE", False), ("~", None), ("2030-01-02", dt.date(2030, 1, 2))],
)
def test_scalars_follow_yaml_1_2(tmp_path: Path, written: str, read: Any) -> None:
    data, _ = load_raw(_write(tmp_path, "s.yaml", f"x: {written}\n"))
    assert data["x"] == read and type(data["x"]) is type(read)


def test_infinity_and_nan_read_then_refused(tmp_path: Path) -> None:
    data, _ = load_raw(_write(tmp_path, "s.yaml", "a: .inf\nb: -.inf\n"))
    assert data == {"a": float("inf"), "b": float("-inf")}
    problem = _only_problem(_write(tmp_path, "spec.yaml", edit(BASE, "  budget_per_year: 1000000", "  budget_per_year: -.inf")))
    assert problem.path == "resources.budget_per_year" and "finite number" in problem.message


def test_huge_integer_is_a_clear_error_not_overflow(tmp_path: Path) -> None:
    for new in ("  war_deaths: " + "9" * 400, "  war_deaths: {low: 1, high: " + "9" * 400 + "}"):
        text = edit(BASE, "  war_deaths: 10000", new)
        problem = _only_problem(_write(tmp_path, "spec.yaml", text))
        assert problem.line == line_of(text, "war_deaths:")
        assert "a number written with 400 characters; numbers are limited to 40" in problem.message


def test_huge_integer_in_toml_is_a_clear_error(tmp_path: Path) -> None:
    data = yaml.safe_load(BASE)
    data["understanding"]["war_deaths"] = {"low": 1, "high": 10**30}
    problem = _only_problem(_write(tmp_path, "spec.toml", tomli_w.dumps(data)))
    assert problem.path == "understanding.war_deaths" and "too large" in problem.message


@pytest.mark.parametrize("where", ["    indicator: tension", "  name: Test mission"])
def test_lone_surrogate_is_a_clear_error(tmp_path: Path, where: str) -> None:
    key = where.split(":")[0]
    text = edit(BASE, where, f'{key}: "\\ud800x"')
    problem = _only_problem(_write(tmp_path, "spec.yaml", text))
    assert problem.line == line_of(text, '"\\ud800x"')
    assert "surrogate" in problem.message or "Unicode" in problem.message


def test_lone_surrogate_refused_by_the_node_check() -> None:
    from endstate.spec.loader import _check_nodes

    node = yaml.compose('indicator: "\\ud800"', Loader=yaml.SafeLoader)
    with pytest.raises(SpecError, match="lone surrogate"):
        _check_nodes(node, "s.yaml")


def test_size_limits_checked_before_building(tmp_path: Path) -> None:
    from endstate.spec.loader import MAX_LIST_ITEMS, MAX_SPEC_BYTES, MAX_STRING_CHARS

    long_text = edit(BASE, "  name: Test mission", "  name: " + "x" * (MAX_STRING_CHARS + 1))
    assert f"over the limit of {MAX_STRING_CHARS:,}" in _only_problem(_write(tmp_path, "a.yaml", long_text)).message
    long_list = edit(BASE, "  elections:\n    - 2031-06-01\n", "  elections:\n" + "    - 2031-06-01\n" * (MAX_LIST_ITEMS + 1))
    assert f"a list of {MAX_LIST_ITEMS + 1:,} items" in _only_problem(_write(tmp_path, "b.yaml", long_list)).message
    big = _write(tmp_path, "c.yaml", BASE + "#" * MAX_SPEC_BYTES + "\n")
    assert "over the limit of" in _only_problem(big).message
    wide = _write(tmp_path, "d.yaml", BASE + "# " + "x" * 200_000 + "\n")
    assert "characters long, over the limit" in _only_problem(wide).message


def test_special_files_refused_unread(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)  # reading it would block forever
    assert _only_problem(fifo).message == "refused: this is a FIFO (named pipe), not a regular file"
    if Path("/dev/zero").exists():  # reading it would never end
        assert _only_problem(Path("/dev/zero")).message == "refused: this is a device, not a regular file"


def test_too_many_strategies_refused_with_reason(tmp_path: Path) -> None:
    from endstate.spec.bounds import MAX_STRATEGIES

    many = "".join(f"  - name: s{i}\n    overrides: {{}}\n" for i in range(MAX_STRATEGIES))
    problem = _only_problem(_write(tmp_path, "spec.yaml", BASE + many))
    assert problem.path == "strategies"
    assert f"{MAX_STRATEGIES + 1:,} strategies, over the limit of {MAX_STRATEGIES:,}" in problem.message
    assert "endstate explore" in problem.message
