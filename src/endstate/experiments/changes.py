"""``--change PATH=VALUE``: one decision changed in a spec, checked like a spec.

Core objects: :func:`parse_change`, :func:`apply_changes` and :data:`SHORTCUTS`.
A path walks the spec with dots; list items are picked by index (``[2]``) or by
their ``id``, ``name`` or ``contributor`` (``force.contributors[us]``).  ``PATH+=VALUE``
appends to a list.  Values are read as YAML scalars (numbers, dates, true/false,
``[a, b]`` lists).  A few decisions teachers ask for have shortcuts, written
as the path (see :data:`SHORTCUTS`).  A wrong path lists the valid keys near
it; a wrong value is reported by the spec's own validation.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from endstate.spec import MissionSpec, validate_data
from endstate.spec.loader import read_value


class ChangeError(ValueError):
    """A ``--change`` that cannot be applied; the message says why and what would work."""


SHORTCUTS: dict[str, str] = {
    "exit_date": "leave on this date: exit.end_date (an end_state exit becomes hybrid)",
    "command": "'committee' or 'lead_state:<contributor id>' (force.command and force.lead)",
    "riot_control": "give riot-control capability to a contributor id, or 'all'",
    "border_personnel": "total border_control personnel, spread over the existing border assignments in proportion (or added to the lead contributor in the most exposed region)",
    "training_start": "date the constabulary training starts: tasks.constabulary_training_start",
}


@dataclass(frozen=True)
class Change:
    path: str
    value: Any
    append: bool = False

    def __str__(self) -> str:
        return f"{self.path}{'+=' if self.append else '='}{self.value}"


def parse_change(text: str) -> Change:
    m = re.match(r"^\s*([A-Za-z0-9_.\[\]\-]+?)\s*(\+?=)\s*(.*)$", text)
    if not m:
        raise ChangeError(f"'{text}': write a change as PATH=VALUE (or PATH+=VALUE to append), e.g. exit.end_date=2002-05-20")
    path, op, raw = m.groups()
    try:
        value = read_value(raw) if raw.strip() else None  # YAML 1.2 as in spec files: "yes" and "1:30:00" stay text
    except yaml.YAMLError:
        value = raw
    if isinstance(value, str):
        try:
            value = float(value)  # YAML 1.1 reads 1e6 as text
        except ValueError:
            pass
    return Change(path, value, op == "+=")


def _segments(path: str) -> list[str]:
    out: list[str] = []
    for part in path.split("."):
        m = re.match(r"^([^\[\]]*)((?:\[[^\]]+\])*)$", part)
        if not m or (not m.group(1) and not m.group(2)):
            raise ChangeError(f"'{path}': cannot read the path segment '{part}'")
        if m.group(1):
            out.append(m.group(1))
        out.extend(re.findall(r"\[([^\]]+)\]", m.group(2)))
    return out


def _item(lst: list[Any], key: str, where: str) -> int:
    if key.lstrip("-").isdigit():
        i = int(key)
        if -len(lst) <= i < len(lst):
            return i
        raise ChangeError(f"{where}: index {i} is out of range (the list has {len(lst)} items)")
    names = []
    for i, el in enumerate(lst):
        if isinstance(el, dict):
            for field in ("id", "name", "contributor"):
                if field in el:
                    names.append(str(el[field]))
                    if str(el[field]) == key:
                        return i
                    break
    near = difflib.get_close_matches(key, names, n=3)
    raise ChangeError(f"{where}: no item '{key}'; items: {', '.join(names) or 'by index 0..' + str(len(lst) - 1)}" + (f" (did you mean {', '.join(near)}?)" if near else ""))


def _valid_here(node: Any, model_fields: list[str]) -> list[str]:
    keys = list(node) if isinstance(node, dict) else []
    return sorted(set(keys) | set(model_fields))


def _set(data: dict[str, Any], change: Change) -> None:
    segs = _segments(change.path)
    node: Any = data
    walked: list[str] = []
    from endstate.spec.loader import _model_at

    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        where = ".".join(walked) or "the spec"
        if isinstance(node, list):
            idx = _item(node, seg, where)
            walked.append(f"[{seg}]")
            if last:
                _assign(node, idx, change)
                return
            node = node[idx]
            continue
        if not isinstance(node, dict):
            raise ChangeError(f"'{change.path}': {where} is a value, not a section")
        model = _model_at(tuple(int(s) if s.isdigit() else s for s in _plain(walked)))
        fields = list(model.model_fields) if model else []
        if seg not in node and seg not in fields:
            valid = _valid_here(node, fields)
            near = difflib.get_close_matches(seg, valid, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(near)}? " if near else ""
            prefix = f"{where}." if walked else ""
            shortcuts = "" if walked else f"; or a shortcut: {', '.join(SHORTCUTS)}"
            raise ChangeError(f"'{change.path}': {prefix}{seg} does not exist; {hint}valid here: {', '.join(prefix + v for v in valid)}{shortcuts}")
        walked.append(seg)
        if last:
            _assign(node, seg, change)
            return
        if node.get(seg) is None:
            node[seg] = {}
        node = node[seg]


def _plain(walked: list[str]) -> list[str]:
    return ["0" if w.startswith("[") else w for w in walked]


def _assign(container: Any, key: Any, change: Change) -> None:
    if change.append:
        cur = container[key] if (isinstance(container, list) or key in container) else []
        if cur is None:
            cur = []
        if not isinstance(cur, list):
            raise ChangeError(f"'{change.path}': += appends to a list, but this is {type(cur).__name__}")
        container[key] = cur + (change.value if isinstance(change.value, list) else [change.value])
    else:
        container[key] = change.value


def _shortcut(data: dict[str, Any], change: Change) -> bool:
    p, v = change.path, change.value
    if p == "exit_date":
        if not isinstance(v, dt.date):
            raise ChangeError(f"exit_date: '{v}' is not a date (write YYYY-MM-DD)")
        ex = data["exit"]
        ex["end_date"] = v
        if ex.get("strategy") == "end_state":
            ex["strategy"] = "hybrid"
        ex.setdefault("triggers", {}).setdefault("deadline", {"action": "withdraw", "within_months": 3})
        if ex["triggers"].get("deadline") is None:
            ex["triggers"]["deadline"] = {"action": "withdraw", "within_months": 3}
        return True
    if p == "command":
        text = str(v)
        if text == "committee":
            data["force"]["command"] = "committee"
            data["force"]["lead"] = None
            return True
        if text.startswith("lead_state:"):
            data["force"]["command"] = "lead_state"
            data["force"]["lead"] = text.split(":", 1)[1]
            data["tasks"]["allocation"] = "reallocate_to_hotspots"
            return True
        raise ChangeError(f"command: '{text}' must be 'committee' or 'lead_state:<contributor id>' (contributors: {', '.join(c['id'] for c in data['force']['contributors'])})")
    if p == "riot_control":
        ids = [c["id"] for c in data["force"]["contributors"]]
        targets = ids if v == "all" else [str(v)]
        for t in targets:
            c = data["force"]["contributors"][_item(data["force"]["contributors"], t, "force.contributors")]
            caps = c.setdefault("capabilities", [])
            if "riot_control" not in caps:
                caps.append("riot_control")
        return True
    if p == "border_personnel":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise ChangeError(f"border_personnel: '{v}' must be a number of personnel, 0 or more")
        border = [a for a in data["tasks"]["assignments"] if a["task"] == "border_control"]
        total = sum(a["personnel"] for a in border)
        if total > 0:
            for a in border:
                a["personnel"] = a["personnel"] * v / total
            data["tasks"]["assignments"] = [a for a in data["tasks"]["assignments"] if a["task"] != "border_control" or a["personnel"] > 0]
        elif v > 0:
            lead = data["force"].get("lead") or data["force"]["contributors"][0]["id"]
            regions = data["theatre"]["regions"]
            exposed = max(regions, key=lambda r: r.get("border_exposure", 0))
            data["tasks"]["assignments"].append({"contributor": lead, "task": "border_control", "region": exposed["id"], "personnel": v})
        _fit_personnel(data)
        return True
    if p == "training_start":
        if not isinstance(v, dt.date):
            raise ChangeError(f"training_start: '{v}' is not a date (write YYYY-MM-DD)")
        data["tasks"]["constabulary_training_start"] = v
        return True
    return False


def _fit_personnel(data: dict[str, Any]) -> None:
    """Raise contributors' strength (and the ceiling) to cover what a change assigns them."""
    need: dict[str, float] = {}
    for a in data["tasks"]["assignments"]:
        need[a["contributor"]] = need.get(a["contributor"], 0.0) + float(a["personnel"])
    for c in data["force"]["contributors"]:
        have = float(c.get("troops", 0)) + float(c.get("police", 0))
        if need.get(c["id"], 0.0) > have:
            c["troops"] = float(c.get("troops", 0)) + need[c["id"]] - have
    ceiling = data.get("resources", {}).get("personnel_ceiling")
    if ceiling is not None and sum(need.values()) > ceiling:
        data["resources"]["personnel_ceiling"] = sum(need.values())


def apply_changes(spec: MissionSpec, changes: list[str], name: str = "<spec>") -> MissionSpec:
    """The spec with every change applied, validated; raises ChangeError or SpecError."""
    data = spec.model_dump(mode="json", exclude={"strategies"}, exclude_none=True)
    for text in changes:
        ch = parse_change(text)
        if not _shortcut(data, ch):
            _set(data, ch)
    return validate_data(_jsonable(data), f"{name} with --change {' '.join(changes)}")


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    return x
