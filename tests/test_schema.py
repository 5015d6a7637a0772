"""The editors' JSON Schema is generated from the model and committed."""

import json
from pathlib import Path

from generator.model import KINDS
from generator.schema import schemas, stale_schemas, write_schemas


def test_committed_schema_is_current(repo: Path) -> None:
    assert stale_schemas(repo) == [], "the model changed: run 'make schema' and commit schema/"


def test_stale_schema_is_detected(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    (tmp_path / "schema" / "event.schema.json").write_text("{}", encoding="utf-8")
    assert stale_schemas(tmp_path) == ["event.schema.json"]


def test_schema_describes_each_kind() -> None:
    out = schemas()
    assert sorted(out) == sorted(f"{k}.schema.json" for k in KINDS)
    event = json.loads(out["event.schema.json"])
    assert event["additionalProperties"] is False
    assert set(event["required"]) == {"title", "date", "summary", "sources"}
    brief = json.loads(out["brief.schema.json"])
    selection = brief["$defs"]["Selection"]["properties"]
    assert "from" in selection and "from_" not in selection


def test_vscode_settings_map_every_folder(repo: Path) -> None:
    settings = json.loads((repo / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/claim.schema.json"] == ["briefings/claims/*.yaml"]
    assert len(settings["yaml.schemas"]) == len(KINDS)
