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
    assert sorted(out) == sorted([*(f"{k}.schema.json" for k in KINDS), "vocabulary.schema.json"])
    event = json.loads(out["event.schema.json"])
    assert event["additionalProperties"] is False
    assert set(event["required"]) == {"title", "date", "summary", "sources"}
    brief = json.loads(out["brief.schema.json"])
    selection = brief["$defs"]["Selection"]["properties"]
    assert "from" in selection and "from_" not in selection


def test_vscode_settings_map_every_folder(repo: Path) -> None:
    settings = json.loads((repo / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/claim.schema.json"] == ["briefings/claims/*.yaml"]
    assert len(settings["yaml.schemas"]) == len(KINDS) + 1
    assert settings["yaml.schemas"]["./schema/vocabulary.schema.json"] == ["briefings/vocabulary.yaml"]


def test_schemas_list_the_corpus_terms(tmp_path: Path) -> None:
    """A closed vocabulary is an enum of the merged terms; an open one suggests its terms."""
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "vocabulary.yaml").write_text(
        "actor_types:\n  tanker-operator: {label: tanker operator}\n"
        "topics:\n  oil-spill: {label: Oil spill}\n", encoding="utf-8")
    write_schemas(tmp_path)
    actor = json.loads((tmp_path / "schema" / "actor.schema.json").read_text())
    assert "tanker-operator" in actor["properties"]["type"]["enum"]
    assert "vessel" in actor["properties"]["type"]["enum"]
    event = json.loads((tmp_path / "schema" / "event.schema.json").read_text())
    assert event["properties"]["topics"]["items"]["examples"] == ["oil-spill"]
    assert "enum" not in event["properties"]["topics"]["items"]
    assert stale_schemas(tmp_path) == []
    (tmp_path / "briefings" / "vocabulary.yaml").write_text("topics:\n  fire: {label: Fire}\n", encoding="utf-8")
    # Every kind with a topics or actor-type field is stale; sources and places are not.
    assert sorted(stale_schemas(tmp_path)) == ["actor.schema.json", "brief.schema.json", "claim.schema.json",
                                               "event.schema.json", "quote.schema.json"]
