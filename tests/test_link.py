"""Cross-record results: disputes and brief selections."""

from pathlib import Path

from generator.corpus import read_corpus


def write(root: Path, rel: str, text: str) -> None:
    path = root / "briefings" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_selection_by_topic_actor_and_local_dates(tmp_path: Path) -> None:
    write(tmp_path, "sources/r.yaml", "title: R\npublisher: P\npublished: 2023-09-21\nkind: news-report\n")
    write(tmp_path, "actors/az.yaml", "name: Azerbaijan\ntype: state\n")
    for i, date in enumerate(["2023-09-18", "2023-09-19T23:30+04:00", "2023-09-20T13:00+04:00", "2023-09-21"]):
        write(tmp_path, f"events/e{i}.yaml", f"title: E{i}\ndate: \"{date}\"\nsummary: S\nsources: [r]\n"
                                             f"topics: [war]\nactors: [{{actor: az, role: party}}]\n")
    write(tmp_path, "quotes/q.yaml", "text: W\nspeaker: az\nsaid: 2023-09-20\nsource: r\nevent: e0\n")
    write(tmp_path, "briefs/b.yaml", "title: B\nas_of: \"2023-09-21T12:00+04:00\"\nbottom_line: L\n"
          "key_points: [{text: K, cites: [e0]}]\nsections:\n"
          "  - title: Days\n    select: {topics: [war], kinds: [event], from: 2023-09-19, to: 2023-09-20}\n"
          "  - title: Quotes\n    select: {actors: [az], kinds: [quote]}\n"
          "  - title: Listed\n    select: {ids: [e3, e0]}\n")
    result = read_corpus(tmp_path)
    assert result.ok, result.problems
    assert result.corpus is not None
    # local calendar: 23:30 in Baku on the 19th belongs to the 19th
    assert result.corpus.selections["b"] == [["e1", "e2"], ["q"], ["e3", "e0"]]
    assert result.corpus.backlinks["az"] == ["b", "e0", "e1", "e2", "e3", "q"]


def test_date_range_takes_records_that_overlap_it(tmp_path: Path) -> None:
    write(tmp_path, "sources/r.yaml", "title: R\npublisher: P\npublished: 2023-09-30\nkind: news-report\n")
    write(tmp_path, "events/month.yaml", "title: M\ndate: 2023-09\nsummary: S\nsources: [r]\n")
    write(tmp_path, "events/aug.yaml", "title: A\ndate: 2023-08-31\nsummary: S\nsources: [r]\n")
    write(tmp_path, "briefs/b.yaml", "title: B\nas_of: \"2023-09-30T12:00+04:00\"\nbottom_line: L\n"
          "key_points: [{text: K, cites: [aug]}]\nsections:\n"
          "  - title: From\n    select: {from: 2023-09-20}\n  - title: To\n    select: {to: 2023-09-01}\n")
    result = read_corpus(tmp_path)
    assert result.corpus is not None, result.problems
    assert result.corpus.selections["b"] == [["month"], ["aug", "month"]]


def test_an_actor_may_name_itself(tmp_path: Path) -> None:
    write(tmp_path, "actors/artsakh.yaml", "name: NK authorities\ntype: de-facto-authority\n"
          "names: [{name: Republic of Artsakh, used_by: [artsakh]}]\nrelations: [{type: part-of, actor: artsakh}]\n")
    codes = [(p.code, p.path) for p in read_corpus(tmp_path).problems]
    assert ("self-ref", "relations[0].actor") in codes
    assert not any(path.startswith("names") for code, path in codes if code == "self-ref")
