"""The example records ``briefing init`` writes: one fictional record of each
kind, referring to each other, so that ``briefing check --strict`` is clean
and every page type has something on it.
"""

from __future__ import annotations

from generator.discover import CORPUS_FOLDER
from generator.model import FOLDERS
from generator.scaffold.skeleton import modeline, vocabulary_modeline
from generator.vocabulary import VOCABULARY_FILE

_NOTE = "notes: Example record written by briefing init, fictional; edit it or delete it."

# One fictional record of each kind, referring to each other so that
# `briefing check --strict` is clean and every page type has something on it.
_EXAMPLES: dict[str, tuple[str, str]] = {
    "source": ("example-daily-2024-05-02", """\
title: Example River Bridge reopens after a year of repairs
publisher: The Example Daily
authors:
- A. N. Example
published: "2024-05-02"
url: https://example.org/news/bridge-reopens
kind: news-report
reliability: B
credibility: 2
summary: A fictional news report on the reopening of the Example River Bridge.
"""),
    "actor": ("example-transport-ministry", """\
name: Example Ministry of Transport
type: government-body
summary: The fictional ministry that runs the Example River Bridge.
"""),
    "place": ("example-river-bridge", """\
name: Example River Bridge
type: site
summary: A fictional road bridge, closed for a year of repairs.
"""),
    "event": ("example-bridge-reopening", """\
title: Example River Bridge reopens
date: "2024-05-01"
summary: The Example River Bridge reopened to traffic after a year of repairs.
actors:
- actor: example-transport-ministry
  role: operator
places:
- example-river-bridge
topics:
- bridge-repairs
claims:
- example-bridge-capacity
sources:
- example-daily-2024-05-02
"""),
    "claim": ("example-bridge-capacity", """\
statement: The repaired bridge can carry 5,000 vehicles a day.
asserted_by: The Example Ministry of Transport
actors:
- example-transport-ministry
subject: bridge-daily-capacity
value: 5000
unit: vehicles a day
date: "2024-05-01"
topics:
- bridge-repairs
sources:
- example-daily-2024-05-02
"""),
    "quote": ("example-ministry-on-reopening", """\
text: The bridge is open again, ahead of schedule.
speaker: example-transport-ministry
said: "2024-05-01"
source: example-daily-2024-05-02
event: example-bridge-reopening
context: A ministry spokesperson, at the reopening.
topics:
- bridge-repairs
"""),
    "brief": ("example-brief", """\
title: The Example River Bridge reopens
subtitle: An example brief, on fictional records
as_of: "2024-05-02T18:00+00:00"
bottom_line: The Example River Bridge reopened on 1 May 2024 after a year of repairs [@example-bridge-reopening].
what_to_watch: Whether the bridge carries as much traffic as the ministry expects [@example-bridge-capacity].
key_figures:
- bridge-daily-capacity
sections:
- title: The reopening
  text: |
    The bridge reopened on 1 May 2024 [@example-bridge-reopening]. The ministry puts its capacity at 5,000
    vehicles a day [@example-bridge-capacity; @example-ministry-on-reopening].
  select:
    topics:
    - bridge-repairs
"""),
}


def example_ids() -> dict[str, str]:
    """{kind: id} of the example records `init` writes."""
    return {kind: rid for kind, (rid, _) in _EXAMPLES.items()}


# The examples' topic and subject, defined where a corpus keeps its own terms.
_VOCABULARY = """\
# This corpus' own terms and subjects, merged with the defaults that ship
# with briefing: `briefing vocabulary` lists them all. Records refer to a
# term by its slug; readers see its label.
topics:
  bridge-repairs:
    label: Bridge repairs
    description: The closure, repair and reopening of the Example River Bridge (fictional).
subjects:
  bridge-daily-capacity:
    label: How many vehicles can cross the bridge each day?
    measures: The reopened bridge's capacity, in vehicles a day (fictional).
    unit: vehicles a day
"""


def example_files() -> dict[str, str]:
    """{path relative to the corpus repository: text} of the example records
    and the vocabulary they use."""
    files = {f"{CORPUS_FOLDER}/{FOLDERS[kind]}/{rid}.yaml": f"{modeline(kind)}\n{body}{_NOTE}\n"
             for kind, (rid, body) in _EXAMPLES.items()}
    files[f"{CORPUS_FOLDER}/{VOCABULARY_FILE}"] = f"{vocabulary_modeline()}\n{_VOCABULARY}"
    return files
