"""The JSON Schema of mission specs (committed as ``spec/schema.json``; a test keeps it current)."""

from __future__ import annotations

import json
from typing import Any

from endstate.spec.models import MissionSpec


def schema_dict() -> dict[str, Any]:
    s = MissionSpec.model_json_schema(mode="validation")
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["$id"] = "https://endstate.invalid/schema/mission-spec-1.json"
    return s


def schema_json() -> str:
    return json.dumps(schema_dict(), indent=2, sort_keys=True) + "\n"
