"""Make generator/geodata/disputed-10m.json from Natural Earth's 1:10m
"Admin 0 – Breakaway, Disputed Areas" layer as GeoJSON.

Usage: python tools/disputed_areas.py ne_10m_admin_0_disputed_areas.json

Only what the maps use is kept: each area's name, Natural Earth's note on
who administers and who claims it, its type, the country that administers
it, and the country each of Natural Earth's points of view (ISO, US, UN,
World Bank) gives it to; coordinates are rounded to 0.001 degree (about
100 m, finer than the 1:10m scale draws). The output is sorted, so the same
input gives the same bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "generator" / "geodata" / "disputed-10m.json"
VIEWS = {"ISO": "ADM0_A3_IS", "US": "ADM0_A3_US", "UN": "ADM0_A3_UN", "WB": "ADM0_A3_WB"}


def rounded(coordinates: Any) -> Any:
    if isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0], 3), round(coordinates[1], 3)]
    return [rounded(c) for c in coordinates]


def code(value: Any) -> str:
    """A country code, or "" where Natural Earth gives none (-99)."""
    text = str(value)
    return "" if text.startswith("-99") else text


def main(source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        p = feature["properties"]
        geometry = feature["geometry"]
        features.append({
            "type": "Feature",
            "properties": {"name": p["BRK_NAME"], "note": p["NOTE_BRK"] or "", "type": p["TYPE"],
                           "admin": p["ADM0_A3"], "views": {k: code(p[v]) for k, v in VIEWS.items()}},
            "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
        })
    features.sort(key=lambda f: (f["properties"]["name"], f["properties"]["admin"]))
    out = {"type": "FeatureCollection", "name": "ne_10m_admin_0_disputed_areas", "version": "4.0.0",
           "features": features}
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                   encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
