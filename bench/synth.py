"""A deterministic synthetic corpus: N records of every kind with realistic
references, disputes, quotes and a few briefs. The same (n, seed) always
writes the same bytes.

    python bench/synth.py OUT_DIR N
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

# Shares of the corpus by kind, like a conflict desk's after a year of logging.
SHARES = {"source": 0.06, "actor": 0.08, "place": 0.04, "event": 0.32, "claim": 0.28, "quote": 0.22}
TOPICS = ["ceasefire", "casualties", "corridor", "talks", "reactions", "shelling", "displacement", "economy"]
WORDS = [
    "officials", "said", "forces", "moved", "near", "the", "line", "while", "talks", "were", "planned", "and",
    "observers", "reported", "shelling", "along", "corridor", "as", "aid", "convoys", "waited", "at", "checkpoint",
]


MKDOCS_YML = """site_name: Synthetic briefing
docs_dir: briefings
strict: true
theme:
  name: material
  font: false
plugins:
  - search
  - briefing:
      pdf: false
  - offline
"""


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _day(rng: random.Random) -> str:
    return f"2023-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"


def generate(root: Path, n: int, seed: int = 1) -> dict[str, int]:
    """Write root/briefings and root/mkdocs.yml; return the count per kind."""
    rng = random.Random(seed)
    counts = {kind: max(2, int(n * share)) for kind, share in SHARES.items()}
    counts["brief"] = len(TOPICS)  # a brief per topic: every quote falls in one
    ids = {kind: [f"{kind}-{i:05d}" for i in range(c)] for kind, c in counts.items()}
    base = root / "briefings"
    for kind in counts:
        (base / f"{kind}s").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")

    def put(kind: str, rid: str, text: str) -> None:
        (base / f"{kind}s" / f"{rid}.yaml").write_text(text, encoding="utf-8")

    for rid in ids["source"]:
        put("source", rid, _lines(
            f"title: {_q(_sentence(rng, 6))}", f"publisher: Outlet {rng.randint(1, 40)}",
            f"authors: [Reporter {rng.randint(1, 200)}]", f"published: 2023-12-{rng.randint(1, 28):02d}",
            "kind: news-report", f"reliability: {rng.choice('ABCDF')}"))
    for i, rid in enumerate(ids["actor"]):
        other = ids["actor"][(i + 1) % len(ids["actor"])]
        put("actor", rid, _lines(
            f"name: Actor {i}", f"type: {rng.choice(['state', 'person', 'government-body', 'armed-group'])}",
            "names:", f"  - name: Aktor {i}", "    lang: az", f"    used_by: [{other}]",
            "roles:", "  - title: Spokesperson", f"    of: {other}", "    start: 2020",
            "relations:", "  - type: member-of", f"    actor: {other}", "    start: 2021-05"))
    for i, rid in enumerate(ids["place"]):
        put("place", rid, _lines(
            f"name: Place {i}", "type: town", "names:", f"  - name: Mekan {i}", "    lang: az",
            f"coordinates: {{lat: {39 + rng.random():.4f}, lon: {46 + rng.random():.4f}}}",
            *([f"part_of: {ids['place'][0]}"] if i else [])))
    claims = list(ids["claim"])
    for i, rid in enumerate(claims):
        # Two claims in every ten dispute one figure pairwise.
        figure = [f"subject: toll-{i // 2}", f"value: {rng.randint(5, 90)}", "unit: people"]
        put("claim", rid, _lines(
            f"statement: {_q(_sentence(rng))}", f"asserted_by: {_q('Officials of actor ' + str(i))}",
            f"actors: [{rng.choice(ids['actor'])}]", f"date: {_day(rng)}", f"topics: [{rng.choice(TOPICS)}]",
            f"sources: [{rng.choice(ids['source'])}]", *(figure if i % 10 < 2 else [])))
    # Every topic and subject the records use is defined, with a label.
    subjects = sorted({i // 2 for i in range(len(claims)) if i % 10 < 2})
    (base / "vocabulary.yaml").write_text(_lines(
        "topics:", *(f"  {t}: {{label: {t.capitalize()}, description: {_q(_sentence(rng, 8))}}}" for t in TOPICS),
        "subjects:", *(f"  toll-{k}: {{label: {_q(f'How many were killed in incident {k}?')}, unit: people}}"
                       for k in subjects)), encoding="utf-8")
    events = ids["event"]
    event_topics: list[set[str]] = []
    for i, rid in enumerate(events):
        mine = [claims[j] for j in range(i, len(claims), len(events))]
        # The first events cover every topic in the week the briefs cover, so every
        # brief's sections select something even in a small corpus.
        day = f"2023-09-{rng.randint(22, 28):02d}" if i < len(TOPICS) else _day(rng)
        when = f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+04:00"
        topics = [TOPICS[i % len(TOPICS)], rng.choice(TOPICS)]
        event_topics.append(set(topics))
        put("event", rid, _lines(
            f"title: {_q('Event ' + str(i) + ': ' + _sentence(rng, 5))}", f'date: "{when}"',
            f"summary: {_q(_sentence(rng, 30))}",
            "actors:", f"  - actor: {rng.choice(ids['actor'])}", "    role: party",
            f"  - actor: {rng.choice(ids['actor'])}", "    role: mediator",
            f"places: [{rng.choice(ids['place'])}]", f"topics: [{', '.join(topics)}]",
            f"claims: [{', '.join(mine)}]", f"sources: [{rng.choice(ids['source'])}]",
            # Each event relates to the one before; the first to the last: each is referred to.
            f"related: [{events[i - 1]}]"))
    quoted: dict[str, set[str]] = {t: set() for t in TOPICS}  # topic -> the months its quotes were said in
    for i, rid in enumerate(ids["quote"]):
        said = _day(rng)
        for topic in event_topics[i % len(events)]:
            quoted[topic].add(said[:7])
        put("quote", rid, _lines(
            f"text: {_q(_sentence(rng, 20))}", f"speaker: {rng.choice(ids['actor'])}", f"said: {said}",
            f"source: {rng.choice(ids['source'])}", f"event: {events[i % len(events)]}", "language: en"))
    for i, rid in enumerate(ids["brief"]):
        topic = TOPICS[i % len(TOPICS)]
        put("brief", rid, _lines(
            f"title: Brief {i}", 'as_of: "2023-12-31T18:00+04:00"', f"bottom_line: {_q(_sentence(rng, 25))}",
            "key_points:", f"  - text: {_q(_sentence(rng))}", f"    cites: [{claims[i]}, {events[i]}]",
            # A brief covers one week, as a desk's weekly does (a section of more
            # than 100 records is a listing, and check says so: long-section).
            "sections:", f"  - title: {topic.capitalize()}",
            f"    select: {{topics: [{topic}], from: 2023-09-22, to: 2023-09-28}}",
            "  - title: The week's events",
            f"    select: {{topics: [{topic}], from: 2023-09-22, to: 2023-09-28, kinds: [event]}}",
            # Its statements month by month: every quote is in a brief.
            *(line for month in sorted(quoted[topic]) for line in (
                f"  - title: Statements, {month}",
                f"    select: {{topics: [{topic}], from: {month}, to: {month}, kinds: [quote]}}")),
            *([f"related: [{ids['brief'][i - 1]}]"] if i else [])))
    return counts


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2])))
