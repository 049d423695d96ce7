"""Option names mean one thing everywhere: each short flag and each long option has one meaning across the CLI."""

from __future__ import annotations

from typing import Any

import typer

from endstate.cli import app


def _options(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out = [(path, p) for p in cmd.params if type(p).__name__.endswith("Option")]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _options(sub, (*path, name))
    return out


def test_each_short_flag_means_one_long_option():
    seen: dict[str, set[str]] = {}
    for _path, p in _options(typer.main.get_command(app)):
        long = next(o for o in p.opts if o.startswith("--"))
        for o in p.opts:
            if not o.startswith("--"):
                seen.setdefault(o, set()).add(long)
    assert seen["-s"] == {"--seed"}
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_strategy_is_a_name_and_strategy_file_a_file():
    found = set()
    for path, p in _options(typer.main.get_command(app)):
        annotation = str(p.type_descriptor.annotation)
        if "--strategy" in p.opts:
            found.add(path[0])
            assert "str" in annotation and "Path" not in annotation, (path, annotation)
        if "--strategy-file" in p.opts:
            assert "Path" in annotation, (path, annotation)
    assert {"run", "compare", "explain"} <= found


def test_json_help_says_what_it_does():
    helps = {(p.help or "") for _path, p in _options(typer.main.get_command(app)) if "--json" in p.opts}
    assert helps and all("JSON object" in h and "Also" not in h for h in helps)
