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
WORDS = ("officials said forces moved near the line while talks were planned and observers reported shelling "
         "along the corridor as aid convoys waited at the checkpoint").split()


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _day(rng: random.Random) -> str:
    return f"2023-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"


def generate(root: Path, n: int, seed: int = 1) -> dict[str, int]:
    """Write root/briefings and root/mkdocs.yml; return the count per kind."""
    rng = random.Random(seed)
    counts = {kind: max(2, int(n * share)) for kind, share in SHARES.items()}
    counts["brief"] = max(1, n // 2000 + 2)
    ids = {kind: [f"{kind}-{i:05d}" for i in range(c)] for kind, c in counts.items()}
    base = root / "briefings"
    for kind in counts:
        (base / f"{kind}s").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text("site_name: Synthetic briefing\ntheme:\n  name: material\n", encoding="utf-8")

    def put(kind: str, rid: str, text: str) -> None:
        (base / f"{kind}s" / f"{rid}.yaml").write_text(text, encoding="utf-8")

    for rid in ids["source"]:
        put("source", rid, f"title: {_q(_sentence(rng, 6))}\npublisher: Outlet {rng.randint(1, 40)}\n"
                           f"authors: [Reporter {rng.randint(1, 200)}]\npublished: 2023-12-{rng.randint(1, 28):02d}\n"
                           f"kind: news-report\nreliability: {rng.choice('ABCDF')}\n")
    for i, rid in enumerate(ids["actor"]):
        other = ids["actor"][(i + 1) % len(ids["actor"])]
        put("actor", rid, f"name: Actor {i}\ntype: {rng.choice(['state', 'person', 'government-body', 'armed-group'])}\n"
                          f"names:\n  - name: Aktor {i}\n    lang: az\n    used_by: [{other}]\n"
                          f"roles:\n  - title: Spokesperson\n    of: {other}\n    start: 2020\n"
                          f"relations:\n  - type: member-of\n    actor: {other}\n    start: 2021-05\n")
    for i, rid in enumerate(ids["place"]):
        parent = f"\npart_of: {ids['place'][0]}" if i else ""
        put("place", rid, f"name: Place {i}\ntype: town\nnames:\n  - name: Mekan {i}\n    lang: az\n"
                          f"coordinates: {{lat: {39 + rng.random():.4f}, lon: {46 + rng.random():.4f}}}{parent}\n")
    claims = list(ids["claim"])
    for i, rid in enumerate(claims):
        # Every fifth pair of claims disputes one figure.
        subject = f"\nsubject: toll-{i // 2}\nvalue: {rng.randint(5, 90)}\nqualifier: at-least\nunit: people" \
            if i % 10 < 2 else ""
        put("claim", rid, f"statement: {_q(_sentence(rng))}\nasserted_by: {_q('Officials of actor ' + str(i))}\n"
                          f"actors: [{rng.choice(ids['actor'])}]\ndate: {_day(rng)}\n"
                          f"topics: [{rng.choice(TOPICS)}]\nsources: [{rng.choice(ids['source'])}]{subject}\n")
    events = ids["event"]
    for i, rid in enumerate(events):
        mine = [claims[j] for j in range(i, len(claims), len(events))]
        related = f"\nrelated: [{events[i - 1]}]" if i else ""
        put("event", rid, f"title: {_q('Event ' + str(i) + ': ' + _sentence(rng, 5))}\n"
                          f"date: \"{_day(rng)}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}+04:00\"\n"
                          f"summary: {_q(_sentence(rng, 30))}\n"
                          f"actors:\n  - actor: {rng.choice(ids['actor'])}\n    role: party\n"
                          f"  - actor: {rng.choice(ids['actor'])}\n    role: mediator\n"
                          f"places: [{rng.choice(ids['place'])}]\ntopics: [{rng.choice(TOPICS)}, {rng.choice(TOPICS)}]\n"
                          f"claims: [{', '.join(mine)}]\nsources: [{rng.choice(ids['source'])}]{related}\n")
    for i, rid in enumerate(ids["quote"]):
        put("quote", rid, f"text: {_q(_sentence(rng, 20))}\nspeaker: {rng.choice(ids['actor'])}\n"
                          f"said: {_day(rng)}\nsource: {rng.choice(ids['source'])}\nevent: {events[i % len(events)]}\n"
                          f"language: en\n")
    for i, rid in enumerate(ids["brief"]):
        topic = TOPICS[i % len(TOPICS)]
        put("brief", rid, f"title: Brief {i}\nas_of: \"2023-12-31T18:00+04:00\"\nbottom_line: {_q(_sentence(rng, 25))}\n"
                          f"key_points:\n  - text: {_q(_sentence(rng))}\n    cites: [{claims[i]}, {events[i]}]\n"
                          f"sections:\n  - title: {topic.capitalize()}\n    select: {{topics: [{topic}]}}\n"
                          f"  - title: Autumn\n    select: {{from: 2023-09, to: 2023-10, kinds: [event]}}\n"
                          f"  - title: Everything\n    select: {{from: 2023, kinds: [event, claim, quote, actor, place, source]}}\n"
                          + (f"related: [{ids['brief'][i - 1]}]\n" if i else ""))
    return counts


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2])))
