"""The shipped spec files: the East Timor examples and the commented starter templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel
from spec_support import EXAMPLES, REPO, TEMPLATES

from endstate import types
from endstate.spec import MissionSpec, load_spec

EAST_TIMOR = [REPO / "examples" / f"east_timor_1999_{kind}.yaml" for kind in ("lead_state", "committee")]
CITATION = re.compile(r"\[([a-z0-9_]+(?:;\s*[a-z0-9_]+)*)\]")


def _models(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[type[BaseModel]]:
    """``model`` and every model class its fields hold."""
    seen = set() if seen is None else seen
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack: list[Any] = [field.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                _models(tp, seen)
            elif get_origin(tp) is not None:
                stack.extend(get_args(tp))
    return seen


def test_examples_are_symlinks_into_the_package() -> None:
    assert set(EAST_TIMOR) <= set(EXAMPLES)
    for path in EAST_TIMOR:
        assert path.is_symlink()
        assert path.resolve() == (REPO / "src" / "endstate" / "scenarios" / path.name).resolve()


@pytest.mark.parametrize("path", EAST_TIMOR, ids=lambda p: p.name)
def test_example_citations_name_listed_sources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sources = {s["id"] for s in yaml.safe_load(text)["mission"]["sources"]}
    cited = set()
    for line in text.splitlines():
        comment = line.split(" #", 1)[1] if " #" in line else ""
        for group in CITATION.findall(comment):
            cited.update(part.strip() for part in group.split(";"))
    assert cited, "an example must cite its sources in comments"
    assert cited <= sources, f"cited but not in mission.sources: {sorted(cited - sources)}"


def test_committee_example_matches_the_lead_state_theatre() -> None:
    lead = load_spec(REPO / "examples" / "east_timor_1999_lead_state.yaml")
    committee = load_spec(REPO / "examples" / "east_timor_1999_committee.yaml")
    assert committee.theatre == lead.theatre
    assert committee.understanding == lead.understanding
    assert committee.force.command == "committee" and committee.force.lead is None
    assert committee.resources.personnel_ceiling == 8950 + 200 + 1640
    assert sum(c.police for c in committee.force.contributors) == 1640
    assert sum(c.troops for c in committee.force.contributors) <= 8950 + 200
    assert committee.exit.strategy == "hybrid" and str(committee.exit.end_date) == "2002-05-20"
    assert committee.transformation_goal_count >= 2
    assert committee.exit.follow_on.months == 36
    assert sum(bool(c.caveats.tasks or c.caveats.regions) for c in committee.force.contributors) >= 4


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_template_mentions_every_field_and_option(path: Path) -> None:
    """A starter spec explains the whole format: every field and every option string appears in it."""
    text = path.read_text(encoding="utf-8")
    fields = {name for model in _models(MissionSpec) for name in model.model_fields}
    missing = sorted(f for f in fields if f"{f}:" not in text)
    assert not missing, f"fields never shown or explained: {missing}"
    options: set[str] = set(types.TASKS) | set(types.CAPABILITIES) | set(types.INDICATORS) | set(types.COMPARATORS) | set(types.WAR_OUTCOMES)
    for alias in (types.CommandStructure, types.AllocationPolicy, types.GoalKind, types.ExitStrategyKind, types.TriggerAction, types.Scope):
        options |= set(get_args(alias))
    options |= {"point", "uniform", "normal", "lognormal", "triangular", "beta"}
    missing = sorted(o for o in options if o not in text)
    assert not missing, f"options never explained: {missing}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_template_sections_are_introduced_by_comments(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line) and not line.startswith("schema_version"):
            assert lines[i - 1].startswith("#"), f"section '{line}' has no comment above it"


def test_templates_are_generic() -> None:
    for path in TEMPLATES:
        spec = load_spec(path)
        assert spec.mission.host_country == "Examplestan"
        assert len(spec.theatre.regions) == 3
    assert {load_spec(p).force.command for p in TEMPLATES} == {"lead_state", "committee"}
