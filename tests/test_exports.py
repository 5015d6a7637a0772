"""Exports: JSON (and its schema), CSV, JSON-LD, FollowTheMoney and STIX 2.1,
each read back with its own format's tools."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rdflib
import stix2
import yaml
from conftest_site import site_files
from followthemoney import model as ftm
from stix2validator import ValidationOptions, validate_string

from generator.export_context import ExportContext, links
from generator.exports import FORMATS
from generator.options import EXPORT_FORMATS, settings_for
from generator.pipeline import Prepared, export_context, export_data, prepare
from generator.publish import Policy
from generator.settings import read_settings

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, tzinfo=UTC)
SDO = rdflib.Namespace("https://schema.org/")
# The validator's warnings the README lists as expected: a relation type of
# ours that STIX does not suggest (202), an external URL without a hash (302).
EXPECTED_STIX_WARNINGS = {"202", "302"}

# A small corpus with all that publication withholds: a draft, an embargo, private notes.
SECRETS = ("GHOSTNAME", "SECRETDRAFTTITLE", "EMBARGOEDSTATEMENT", "PRIVATENOTETEXT", "ghost-actor-x",
           "secret-source-x", "embargoed-claim-x")
CORPUS: dict[str, dict[str, Any]] = {
    "sources/wire.yaml": {"title": "Wire report", "publisher": "Wire", "published": "2023-09-20",
                          "url": "https://example.org/wire", "kind": "news-report", "reliability": "B",
                          "credibility": 2},
    "sources/secret-source-x.yaml": {"draft": True, "title": "SECRETDRAFTTITLE", "publisher": "P",
                                     "published": "2023-09-20", "kind": "news-report"},
    "actors/land.yaml": {"name": "Land", "type": "state", "notes": "PRIVATENOTETEXT"},
    "actors/bloc.yaml": {"name": "Bloc", "type": "alliance"},
    "actors/envoy.yaml": {"name": "Envoy Person", "type": "person", "roles": [{"title": "Envoy", "of": "land"}],
                          "relations": [{"type": "member-of", "actor": "bloc"},
                                        {"type": "allied-with", "actor": "ghost-actor-x"}]},
    "actors/ghost-actor-x.yaml": {"draft": True, "name": "GHOSTNAME", "type": "person"},
    "places/capital.yaml": {"name": "Capital", "type": "city", "coordinates": {"lat": 40.1, "lon": -3.5},
                            "part_of": "province"},
    "places/province.yaml": {"name": "Province", "type": "region"},
    "places/frontier.yaml": {"name": "Frontier", "type": "border"},
    "events/talks.yaml": {"title": "Talks", "date": "2023-09-20", "summary": "Talks were held.",
                          "sources": ["wire", "secret-source-x"], "places": ["capital", "frontier"],
                          "actors": [{"actor": "envoy", "role": "mediator"}, {"actor": "land", "role": "host"},
                                     {"actor": "ghost-actor-x", "role": "guest"}],
                          "claims": ["held-yes", "held-no"]},
    "claims/held-yes.yaml": {"statement": "=HYPERLINK(\"http://evil.example\") the talks succeeded",
                             "asserted_by": "+Land officials", "actors": ["land"], "subject": "talks-outcome",
                             "value": "success", "sources": ["wire"]},
    "claims/held-no.yaml": {"statement": "The talks failed.", "asserted_by": "@Bloc", "actors": ["bloc"],
                            "subject": "talks-outcome", "value": "failure", "sources": ["wire"],
                            "notes": "PRIVATENOTETEXT"},
    "claims/embargoed-claim-x.yaml": {"embargo_until": "2099-01-01T00:00+00:00", "statement": "EMBARGOEDSTATEMENT",
                                      "asserted_by": "X", "sources": ["wire"]},
    "quotes/words.yaml": {"text": "-We will talk again", "speaker": "envoy", "said": "2023-09-20",
                          "source": "wire", "event": "talks"},
    "briefs/brief.yaml": {"title": "Brief", "as_of": "2023-09-21T12:00+04:00",
                          "bottom_line": "Talks were held [@talks; @embargoed-claim-x]; their outcome is disputed "
                                         "[@held-yes; @held-no].",
                          "key_points": [{"text": "Talks were held.", "cites": ["talks", "embargoed-claim-x"]}],
                          "sections": [{"title": "All", "select": {"ids": ["talks", "words", "embargoed-claim-x"]}}]},
}


def small_corpus(root: Path) -> Prepared:
    for rel, data in CORPUS.items():
        path = root / "briefings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    prepared = prepare(settings_for(root, "Desk", "https://desk.example/", None), policy=Policy(NOW),
                       progress=lambda _: None)
    assert prepared.ok, [p for p in prepared.checked.problems if p.is_error]
    return prepared


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportContext, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("exports")
    prepared = small_corpus(root)
    settings = settings_for(root, "Desk", "https://desk.example/", None)
    return export_context(prepared, settings), export_data(prepared, settings)


@pytest.fixture(scope="module")
def sample() -> tuple[ExportContext, dict[str, bytes]]:
    settings = read_settings(REPO)
    prepared = prepare(settings, progress=lambda _: None)
    assert prepared.ok
    return export_context(prepared, settings), export_data(prepared, settings, EXPORT_FORMATS)


def table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    data = files[f"csv/{name}.csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheets read UTF-8 by
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- every format ---------------------------------------------------------------------------


def test_every_format_writes_its_listed_files_for_the_sample(sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    _, files = sample
    assert set(files) == {path for f in FORMATS.values() for path in f.paths}
    assert all(files.values())


def test_publication_applies_to_every_export(small: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = small
    assert {"ghost-actor-x", "secret-source-x", "embargoed-claim-x"}.isdisjoint(ctx.corpus.records)
    for path, data in files.items():
        text = data.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (path, secret)
    assert b"Envoy Person" in files["briefing.ftm.json"]  # what is published is there


def test_exports_are_deterministic_across_processes(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        run = subprocess.run([sys.executable, "-m", "generator", "export", "-C", str(REPO), str(out)], env=env,
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
        outs.append(site_files(out))
    assert outs[0] == outs[1]
    assert set(outs[0]) == {path for f in FORMATS.values() for path in f.paths}


# --- JSON ---------------------------------------------------------------------------------------


def test_json_validates_against_its_generated_schema(sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = sample
    document, schema = json.loads(files["briefing.json"]), json.loads(files["briefing.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(document)) == []
    for kind, ids in ctx.corpus.by_kind.items():
        assert [r["id"] for r in document["records"][f"{kind}s"]] == ids
    claim = next(r for r in document["records"]["claims"] if r["id"] == "deaths-at-least-25")
    assert claim["url"] == "https://briefing.example.org/claims/deaths-at-least-25.html"
    assert {"field": "sources[0]", "id": "epoch-times-2023-09-20", "kind": "source",
            "url": "https://briefing.example.org/sources/epoch-times-2023-09-20.html"} in claim["references"]
    # The schema is not a formality: a claim without its statement, or of a kind it is not, fails.
    broken = copy.deepcopy(document)
    del broken["records"]["claims"][0]["data"]["statement"]
    broken["records"]["claims"][1]["kind"] = "event"
    assert len(list(validator.iter_errors(broken))) == 2


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_tables_hold_every_record_and_both_ends_of_every_link(
        sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = sample
    urls: dict[str, str] = {}
    for kind, ids in ctx.corpus.by_kind.items():
        rows = table(files, f"{kind}s")
        assert [r["id"] for r in rows] == ids
        urls |= {r["id"]: r["page_url"] for r in rows}
    rows = table(files, "links")
    assert len(rows) == len(links(ctx)) > 500
    for row in rows:
        assert urls[row["from_id"]] == row["from_url"] and urls[row["to_id"]] == row["to_url"], row
    pairs = {(r["claim_id"], r["source_id"]) for r in table(files, "claim_sources")}
    assert pairs == {(e.id, s) for e in ctx.corpus.of_kind("claim") for s in e.model.sources}  # type: ignore[attr-defined]
    relations = table(files, "relations")
    assert len(relations) == sum(len(e.model.relations) for e in ctx.corpus.of_kind("actor"))  # type: ignore[attr-defined]
    assert all(urls[r["actor_id"]] == r["actor_url"] and urls[r["to_id"]] == r["to_url"] for r in relations)
    assert all(r["event_id"] in urls and r["actor_id"] in urls for r in table(files, "event_actors"))
    disputed = table(files, "disputes")
    assert {r["claim_id"] for r in disputed} == {c for d in ctx.corpus.disputes for c in d.claims}


def test_csv_cells_never_run_as_formulas(small: tuple[ExportContext, dict[str, bytes]]) -> None:
    _, files = small
    claims = {r["id"]: r for r in table(files, "claims")}
    assert claims["held-yes"]["statement"].startswith("'=HYPERLINK(")
    assert claims["held-yes"]["asserted_by"] == "'+Land officials"
    assert claims["held-no"]["asserted_by"] == "'@Bloc"
    assert table(files, "quotes")[0]["text"] == "'-We will talk again"
    capital = next(r for r in table(files, "places") if r["id"] == "capital")
    assert capital["lon"] == "-3.5"  # a number is a number, not text to neutralise
    for path, data in files.items():
        if path.endswith(".csv"):
            for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
                assert not any(cell[:1] in ("=", "+", "@") for cell in row), (path, row)


# --- JSON-LD --------------------------------------------------------------------------------------


def test_jsonld_of_the_whole_corpus_parses_into_schema_org(sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = sample
    graph = rdflib.Graph().parse(data=files["briefing.jsonld"], format="json-ld",
                                 publicID="https://briefing.example.org/data/briefing.jsonld")
    assert len(set(graph.subjects(rdflib.RDF.type, SDO.Claim))) == len(ctx.corpus.by_kind["claim"])
    assert len(set(graph.subjects(rdflib.RDF.type, SDO.Quotation))) == len(ctx.corpus.by_kind["quote"])
    assert len(set(graph.subjects(rdflib.RDF.type, SDO.Event))) == len(ctx.corpus.by_kind["event"])
    stepanakert = rdflib.URIRef("https://briefing.example.org/places/stepanakert-khankendi.html")
    geo = graph.value(stepanakert, SDO.geo)
    assert geo is not None and float(graph.value(geo, SDO.latitude)) == pytest.approx(39.8153)  # type: ignore[arg-type]


# --- FollowTheMoney ------------------------------------------------------------------------------


def test_ftm_entities_pass_the_followthemoney_model(sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = sample
    lines = files["briefing.ftm.json"].decode().splitlines()
    entities = [json.loads(line) for line in lines]
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for data in entities:
        schema = ftm.get(data["schema"])
        assert schema is not None and not schema.abstract, data
        schema.validate(data)  # raises InvalidData on a value its type refuses
        proxy = ftm.get_proxy(data)
        for prop, value in proxy.itervalues():
            assert prop.type.name != "entity" or value in ids, (data["id"], prop.name, value)
    schemata = Counter(e["schema"] for e in entities)
    assert schemata["Event"] == len(ctx.corpus.by_kind["event"])
    assert schemata["Person"] + schemata["PublicBody"] + schemata["Organization"] == len(ctx.corpus.by_kind["actor"])
    assert schemata["Note"] == len(ctx.corpus.by_kind["claim"]) + len(ctx.corpus.by_kind["quote"])
    aliyev = next(e for e in entities if e["id"] == "ilham-aliyev")
    assert aliyev["schema"] == "Person" and "President of Azerbaijan" in aliyev["properties"]["position"]


# --- STIX 2.1 ------------------------------------------------------------------------------------


def stix_results(data: bytes) -> tuple[bool, list[str], set[str]]:
    result = validate_string(data.decode(), ValidationOptions())
    results = result.object_results if hasattr(result, "object_results") else [result]
    errors = [str(e) for r in results for e in r.errors]
    warnings = {str(w).split("{", 1)[1].split("}", 1)[0] for r in results for w in r.warnings}
    return result.is_valid, errors, warnings


def test_stix_bundle_passes_stix2_validator(sample: tuple[ExportContext, dict[str, bytes]]) -> None:
    ctx, files = sample
    valid, errors, warnings = stix_results(files["briefing.stix.json"])
    assert valid and errors == []
    assert warnings <= EXPECTED_STIX_WARNINGS, warnings
    bundle = stix2.parse(files["briefing.stix.json"].decode(), allow_custom=False)
    kinds = Counter(o.type for o in bundle.objects)
    assert kinds["identity"] == len(ctx.corpus.by_kind["actor"]) + 1  # and the site that publishes them
    assert kinds["grouping"] == len(ctx.corpus.by_kind["event"])
    assert kinds["opinion"] == sum(len(d.claims) for d in ctx.corpus.disputes)


def test_stix_maps_admiralty_grades_and_disputes(small: tuple[ExportContext, dict[str, bytes]]) -> None:
    _, files = small
    valid, errors, warnings = stix_results(files["briefing.stix.json"])
    assert valid and errors == [] and warnings <= EXPECTED_STIX_WARNINGS
    objects = json.loads(files["briefing.stix.json"])["objects"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for o in objects:
        by_type.setdefault(o["type"], []).append(o)
    report = next(o for o in by_type["report"] if o["name"] == "Wire report")
    assert report["confidence"] == 70 and report["labels"] == ["admiralty-reliability-b"]  # credibility 2, B
    notes = {o["content"]: o for o in by_type["note"]}
    yes, no = notes["=HYPERLINK(\"http://evil.example\") the talks succeeded"], notes["The talks failed."]
    assert yes["confidence"] == 70
    dispute = next(o for o in by_type["note"] if o["abstract"].startswith("Disputed"))
    assert set(dispute["object_refs"]) == {yes["id"], no["id"]}
    opinions = {o["authors"][0]: o for o in by_type["opinion"]}
    assert opinions["+Land officials"]["opinion"] == "disagree"
    assert opinions["+Land officials"]["object_refs"] == [no["id"]]
    assert opinions["@Bloc"]["object_refs"] == [yes["id"]]
    # The province has no position of its own: it is placed at the middle of
    # its parts; the frontier has none, and is left out.
    places = {o["name"]: o for o in by_type["location"]}
    assert places["Province"]["latitude"] == 40.1 and "Frontier" not in places


# --- the command -------------------------------------------------------------------------------------


def test_export_command_writes_the_formats_asked_for(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    small_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    (out).mkdir()
    (out / "mine.txt").write_text("the user's own file")
    result = CliRunner().invoke(main, ["export", "-C", str(tmp_path / "corpus"), "--format", "csv",
                                       "--format", "stix", str(out)])
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == {"mine.txt", *FORMATS["csv"].paths, *FORMATS["stix"].paths}
    # As of a moment before the wire report: nothing resting on it is in any file.
    early = tmp_path / "early"
    result = CliRunner().invoke(main, ["export", "-C", str(tmp_path / "corpus"), "--as-of", "2023-09-19", str(early)])
    assert result.exit_code == 0, result.output
    for path in early.rglob("*.*"):
        text = path.read_text(encoding="utf-8-sig")
        assert "Wire report" not in text and "Talks were held" not in text, path
    # A corpus with an error: exit 1, the problem named, nothing written.
    broken = tmp_path / "corpus" / "briefings" / "claims" / "held-no.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "sources: [nowhere]\n", encoding="utf-8")
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["export", "-C", str(tmp_path / "corpus"), str(again)])
    assert result.exit_code == 1 and "held-no.yaml" in result.output
    assert not again.exists()


def test_the_exports_option_names_formats_and_may_publish_none(tmp_path: Path) -> None:
    from mkdocs.config.base import ValidationError

    from generator.options import plugin_options

    with pytest.raises(ValidationError, match="exports"):
        plugin_options([{"briefing": {"exports": ["xml"]}}])
    options = plugin_options([{"briefing": {"exports": []}}])
    prepared = small_corpus(tmp_path)
    settings = settings_for(tmp_path, "Desk", "", options)
    assert settings.exports == () and export_data(prepared, settings) == {}
    options = plugin_options([{"briefing": {"exports": ["csv"]}}])
    assert set(export_data(prepared, settings_for(tmp_path, "Desk", "", options))) == set(FORMATS["csv"].paths)


def test_stix_timestamps_of_the_first_centuries_keep_four_digit_years(tmp_path: Path) -> None:
    # stix2 writes the year 1 as "1-01-01T...", which its own validator refuses.
    for rel, data in {"sources/old.yaml": {"title": "Annals", "publisher": "Scriptorium", "published": "0001-01-01",
                                           "kind": "report"},
                      "claims/old-claim.yaml": {"statement": "It was so.", "asserted_by": "Annals",
                                                "sources": ["old"]}}.items():
        path = tmp_path / "briefings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
    settings = settings_for(tmp_path, "Desk", "", None)
    prepared = prepare(settings, policy=Policy(NOW), progress=lambda _: None)
    data = export_data(prepared, settings, ("stix",))["briefing.stix.json"]
    valid, errors, _ = stix_results(data)
    assert (valid, errors) == (True, [])
    assert '"published": "0001-01-01T00:00:00Z"' in data.decode()
