"""The benchmark: every speed figure, measured side by side in one run.

    python bench/bench.py [--sizes 1000,10000] [--runs 3] [--skip-pdf] [--skip-serve]

Prints a table, one row per figure, each the median of --runs runs, on
deterministic synthetic corpora (bench/synth.py) written to a temporary
folder, and the PDF figures on the shipped sample briefing. Floors beside our
figures: PyYAML's C loader parsing the same files (for `check`), and a bare
`mkdocs build` of the same pages written out as plain Markdown (for the site
build). Builds run in child processes; their peak memory is each child's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.serve_latency import measure as serve_latency  # noqa: E402
from bench.serve_latency import middle_event, with_title  # noqa: E402
from bench.synth import generate  # noqa: E402
from generator.build import export_pages  # noqa: E402
from generator.corpus import read_corpus  # noqa: E402
from generator.geography import countries, disputed  # noqa: E402
from generator.link import Corpus  # noqa: E402
from generator.maps import _kept, figure_html  # noqa: E402
from generator.model import Event, Place  # noqa: E402
from generator.network import circle_layout, ego, network_layout, svg, ties  # noqa: E402
from generator.options import EXPORT_FORMATS  # noqa: E402
from generator.pipeline import export_data, prepare  # noqa: E402
from generator.reader import Reader  # noqa: E402
from generator.render import EGO_SIZE, NETWORK_WIDTH, render_pages  # noqa: E402
from generator.settings import read_settings  # noqa: E402

Row = tuple[str, str, str]  # figure, value, target


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def c_loader_floor(root: Path) -> None:
    for path in sorted((root / "briefings").glob("*/*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def render_only(root: Path) -> None:
    result = read_corpus(root)
    assert result.corpus is not None
    render_pages(result.corpus, root)


def network_only(corpus: Corpus) -> int:
    """The actors' graphs alone: the ties, the Network page's layout and SVG,
    and every actor's own graph. Returns how many ties were drawn."""
    all_ties = ties(corpus)
    actors = sorted({rid for t in all_ties for rid in (t.source, t.target)})
    names = {rid: rid for rid in actors}
    places, height = network_layout(actors, [(t.source, t.target) for t in all_ties], NETWORK_WIDTH)
    svg(all_ties, places, names, "network", NETWORK_WIDTH, height)
    for actor in actors:
        own = ego(all_ties, actor)
        svg(own, circle_layout(actor, own, *EGO_SIZE), names, actor, *EGO_SIZE, centre=actor)
    return len(all_ties)


def maps_only(corpus: Corpus, cold: bool) -> int:
    """The locator maps alone: one per place and per event at places, as the
    site draws them. Cold: none drawn yet in this process (the geography is
    read already); warm: a rebuild, every map already drawn for its inputs.
    Returns how many maps were drawn."""
    countries()
    disputed()
    if cold:
        _kept.cache_clear()
    reader = Reader(corpus)
    drawn = 0
    for rid, entry in sorted(corpus.records.items()):
        model = entry.model
        places = [rid] if isinstance(model, Place) else model.places if isinstance(model, Event) else []
        spots = reader.spots(places)
        if spots:
            figure_html(spots, rid)
            drawn += 1
    return drawn


def _hugo_version() -> str:
    hugo = shutil.which("hugo")
    if hugo is None:
        return ""
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.split()
    return out[1].split("+")[0] if len(out) > 1 else ""


def child(args: list[str]) -> tuple[float, float]:
    """Run a child process; (wall seconds, its peak RSS in MB)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    return wall, float(json.loads(out.strip().splitlines()[-1])["max_rss_mb"])


def median_child(args: list[str], runs: int) -> tuple[float, float]:
    results = [child(args) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_build(root: Path, site: Path, cached: bool = False) -> None:
    """In a child: the full `briefing build` of a corpus; clean (its page
    cache removed first) unless ``cached``."""
    from generator.build import build_site
    from generator.page_cache import CACHE_DIR

    if not cached:
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    result = build_site(root, progress=lambda _: None, site_dir=site)
    if not result.ok:
        raise SystemExit(f"build failed: {result.error or result.problems[:3]}")
    print(json.dumps({"max_rss_mb": _rss_mb()}))


def run_bare(config: Path, site: Path, dirty: bool = False) -> None:
    """In a child: a bare `mkdocs build` of the exported pages (``--dirty``:
    only pages newer than their output)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(config), site_dir=str(site), strict=False), dirty=dirty)
    print(json.dumps({"max_rss_mb": _rss_mb()}))


def edit_event(root: Path, marker: str) -> None:
    """One record edited: the event `serve` is measured on, retitled."""
    path = middle_event(root)
    path.write_text(with_title(path.read_text(encoding="utf-8"), marker), encoding="utf-8")


def hugo_site(plain: Path, out: Path) -> Path:
    """The same pages as a Hugo site (the floor: a compiled generator), with
    a bare page layout; folders' index pages become Hugo's section pages."""
    content = out / "content"
    for page in (plain / "docs").rglob("*.md"):
        rel = page.relative_to(plain / "docs")
        target = content / rel.parent / ("_index.md" if rel.name == "index.md" else rel.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    layouts = out / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    layout = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(layout, encoding="utf-8")
    (out / "hugo.toml").write_text('title = "floor"\n[markup.goldmark.renderer]\nunsafe = true\n', encoding="utf-8")
    return out


def hugo_time(site: Path, runs: int) -> float | None:
    """Median seconds of `hugo` building the site; None without Hugo."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    return median_time(lambda: subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
                                              check=True, capture_output=True), runs)


def corpus_figures(tmp: Path, n: int, runs: int) -> tuple[list[Row], float]:
    root = tmp / f"n{n}"
    generate(root, n)
    result = read_corpus(root)
    if result.problems:
        raise SystemExit(f"the synthetic corpus has problems: {result.problems[:3]}")
    files = len(list((root / "briefings").glob("*/*.yaml")))
    floor = median_time(partial(c_loader_floor, root), runs)
    check = median_time(partial(read_corpus, root), runs)
    render = median_time(partial(render_only, root), runs)
    assert result.corpus is not None
    network = median_time(partial(network_only, result.corpus), runs)
    drawn = network_only(result.corpus)
    maps = maps_only(result.corpus, cold=True)
    maps_cold = median_time(partial(maps_only, result.corpus, True), runs)
    maps_warm = median_time(partial(maps_only, result.corpus, False), runs)
    settings = read_settings(root)
    prepared = prepare(settings, progress=lambda _: None)
    data = export_data(prepared, settings, EXPORT_FORMATS)
    exports = median_time(partial(export_data, prepared, settings, EXPORT_FORMATS), runs)
    plain = tmp / f"plain{n}"
    export_pages(root, plain)
    build, build_mb = median_child(["--run-build", str(root), str(tmp / f"site{n}")], runs)
    bare, bare_mb = median_child(["--run-bare", str(plain / "mkdocs.yml"), str(tmp / f"bare{n}")], runs)
    # Rebuilds: ours with the cache the last clean build left, no edit and
    # one record edited; MkDocs' --dirty after one page's Markdown changed.
    unchanged, _ = median_child(["--run-build", str(root), str(tmp / f"site{n}"), "--cached"], runs)
    one = []
    for i in range(runs):
        edit_event(root, f"Edited title {i}")
        one.append(child(["--run-build", str(root), str(tmp / f"site{n}"), "--cached"])[0])
    rebuild = statistics.median(one)
    events = sorted((plain / "docs" / "events").glob("event-*.md"))
    dirty = []
    for i in range(runs):
        page = events[len(events) // 2]
        page.write_text(page.read_text(encoding="utf-8") + f"\nEdited {i}.\n", encoding="utf-8")
        dirty.append(child(["--run-bare", str(plain / "mkdocs.yml"), str(tmp / f"bare{n}"), "--dirty"])[0])
    bare_dirty = statistics.median(dirty)
    hugo = hugo_time(hugo_site(plain, tmp / f"hugo{n}"), runs)
    pages = sum(1 for _ in (plain / "docs").rglob("*.md"))
    rows = [
        (f"records, N={n}", f"{files}", ""),
        (f"PyYAML C loader, parse only (floor), N={n}", f"{floor:.2f} s", ""),
        (f"`check`, N={n}", f"{check:.2f} s", "≤ 1.5 s at 10,000" if n == 10_000 else ""),
        (f"`check` / C loader, N={n}", f"{check / floor:.2f} x", "≤ 1.7 x at 10,000" if n == 10_000 else ""),
        (f"page generation (records to Markdown), N={n}", f"{render:.2f} s", ""),
        (f"actors' graphs: the Network page ({drawn} ties) and every actor's, N={n}", f"{network:.2f} s", ""),
        (f"locator maps ({maps}), first drawn, N={n}", f"{maps_cold:.2f} s", ""),
        (f"locator maps ({maps}), rebuilt unchanged (cached by their inputs), N={n}", f"{maps_warm:.3f} s", ""),
        (f"data exports: JSON, CSV, JSON-LD, FtM, STIX ({sum(map(len, data.values())) / 2**20:.1f} MiB), N={n}",
         f"{exports:.2f} s", ""),
        (f"bare `mkdocs build` of the same pages (floor), N={n}", f"{bare:.1f} s", ""),
        (f"full `briefing build`, N={n}", f"{build:.1f} s", ""),
        (f"`briefing build` / bare MkDocs, N={n}", f"{build / bare:.2f} x", "≤ 1.2 x"),
        (f"peak memory of `briefing build`, N={n}", f"{build_mb:.0f} MB", ""),
        (f"peak memory of bare MkDocs, N={n}", f"{bare_mb:.0f} MB", ""),
        (f"`briefing build` again, nothing changed (page cache), N={n}", f"{unchanged:.1f} s", ""),
        (f"`briefing build` after one record edited (page cache), N={n}", f"{rebuild:.1f} s", ""),
        (f"bare `mkdocs build --dirty` after one page edited, N={n}", f"{bare_dirty:.1f} s", ""),
        (f"one-record rebuild / MkDocs --dirty, N={n}", f"{rebuild / bare_dirty:.2f} x",
         "≤ 2 x at 10,000" if n == 10_000 else ""),
        (f"Hugo {_hugo_version()}, the same {pages} pages, bare layout (floor), N={n}",
         "not installed" if hugo is None else f"{hugo:.2f} s", ""),
    ]
    return rows, build


def git_figures(tmp: Path, n: int, runs: int) -> list[Row]:
    """History read in one pass against one git call per file, and a
    record-level diff of two editions, on a copy of the corpus put in git
    over ten commits (each touching a twentieth of the files)."""
    from generator.editions import compare
    from generator.history import git, read_history
    from generator.publish import Policy, clock

    root = tmp / f"git{n}"
    shutil.copytree(tmp / f"n{n}", root)
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, *env, "commit", "-qm", "1")
    git(root, "tag", "edition-1")
    files = sorted((root / "briefings").glob("*/*.yaml"))
    for k in range(2, 11):
        for path in files[k::20]:
            with path.open("a", encoding="utf-8") as f:
                f.write(f"# edit {k}\n")
        git(root, *env, "commit", "-qam", str(k))
    git(root, "tag", "edition-2")
    one_pass = median_time(lambda: read_history(root), runs)
    sample = files[:: max(1, len(files) // 50)]
    start = time.perf_counter()
    for path in sample:
        git(root, "log", "-1", "--format=%H", "--", str(path.relative_to(root)))
    per_file = (time.perf_counter() - start) / len(sample) * len(files)
    changes = median_time(lambda: compare(root, "edition-1", "edition-2", Policy(clock())), runs)
    return [(f"history, one `git log` pass (10 commits), N={n}", f"{one_pass:.2f} s", ""),
            (f"history, one git call per file (estimated from {len(sample)}), N={n}", f"{per_file:.1f} s", ""),
            (f"`briefing diff` of two editions, N={n}", f"{changes:.2f} s", "")]


def pdf_figures(tmp: Path, runs: int) -> list[Row]:
    from generator.pdf import write_pdfs
    from generator.print_views import PdfOptions

    result = read_corpus(REPO)
    assert result.corpus is not None
    corpus = result.corpus
    one = median_time(lambda: write_pdfs(corpus, REPO, tmp / "pdf1", ["ceasefire-20-september-2023"],
                                         PdfOptions(edition="bench"), book=False, progress=lambda _: None), runs)
    every = median_time(lambda: write_pdfs(corpus, REPO, tmp / "pdfall", None, PdfOptions(edition="bench"),
                                           progress=lambda _: None), runs)
    briefs = len(corpus.by_kind["brief"])
    return [("PDF of the ceasefire brief (sample corpus)", f"{one:.2f} s", "< 2 s"),
            (f"all PDFs of the sample corpus ({briefs} briefs + book, parallel)", f"{every:.2f} s", "< 5 s")]


def serve_figures(tmp: Path, n: int) -> list[Row]:
    """On the corpus the builds above left a page cache in, as an editor's
    repository would have after a build."""
    delays = serve_latency(tmp / f"n{n}", edits=5, timeout=900.0)
    return [(f"`serve`: saved edit to rebuilt page served, N={n} (median of 5)", f"{statistics.median(delays):.2f} s",
             "≤ 1 s")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--run-build", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run-bare", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cached", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dirty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_build:
        run_build(args.run_build[0], args.run_build[1], cached=args.cached)
        return 0
    if args.run_bare:
        run_bare(args.run_bare[0], args.run_bare[1], dirty=args.dirty)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[Row] = []
    builds: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as name:
        tmp = Path(name)
        for n in sizes:
            more, builds[n] = corpus_figures(tmp, n, args.runs)
            rows += more
            rows += git_figures(tmp, n, args.runs)
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            rows.append((f"build growth, N={large} / N={small}", f"{builds[large] / builds[small]:.1f} x",
                         f"≤ {large / small * 1.1:.0f} x"))
        if not args.skip_serve:
            for n in sizes:
                rows += serve_figures(tmp, n)
        if not args.skip_pdf:
            rows += pdf_figures(tmp, args.runs)
    widths = [max(len(r[i]) for r in [("figure", "value", "target"), *rows]) for i in range(3)]
    for row in [("figure", "value", "target"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
