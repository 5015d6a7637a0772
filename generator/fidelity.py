"""Quote fidelity: every quote checked against its source's archived text.

A source may name an archived copy of its text (``archive:``, a file in the
archive folder that mkdocs.yml's ``archive`` setting names, so that
copyrighted text need not be committed). Each quote of such a source must
appear in that text verbatim, normalising only quotation marks, dashes and
white space: a quote typed with straight quotes matches a report printed
with curly ones, but one word changed does not.

What a run finds is data (``Fidelity``): where in the archive each quote
sits (file, line, column, and the sentence around it, which the quote's page
shows), and problems located at the quote's ``text``:

* ``quote-not-in-source``: the nearest passage of the archive, and how it
  differs, word by word;
* ``quote-wrong-source``: the quote is not in its source's archive but in
  another source's;
* ``archive-missing``: the file a source names is not in the folder;
* ``unverifiable-quotes`` (warning, asked for with ``--strict``): a source
  whose quotes cannot be checked, because it names no archive; once a source.

When the configured folder is absent (a clone on another machine), nothing
is checked and ``Fidelity.note`` says so once: the corpus is not wrong.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from generator.corpus import CheckResult
from generator.link import Corpus
from generator.model import Quote, Source
from generator.problems import Problem, Severity, sorted_problems
from generator.validate import Entry, problem_at

# What normalising maps: typographic quotation marks to typewriter ones,
# dashes and minus to a hyphen, no-break and thin spaces to a space.
_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
                        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                        "\u00a0": " ", "\u2009": " ", "\u202f": " "})
# A sentence ends at . ! or ? (and any closing quote) before a capital, or at
# a line's end; not after an abbreviation ("Mr. Aliyev", "Sept. 21").
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*(?=\s+[\"“‘(]?[A-Z0-9])|\n")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                            "sept", "oct", "nov", "dec", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "u.s",
                            "u.k", "e.g", "i.e", "no", "vs"})


@dataclass(frozen=True, slots=True)
class Passage:
    """Where a quote sits in its source's archived text."""

    file: str  # the archive file, as the source names it
    line: int  # 1-based, of the quote's first character
    column: int
    before: str  # the sentence around the quote: the text before it,
    quoted: str  # the quote as the archive prints it,
    after: str  # and the text after it


@dataclass(slots=True)
class Fidelity:
    """What checking the quotes found."""

    passages: dict[str, Passage] = field(default_factory=dict)  # quote id -> where it sits
    problems: list[Problem] = field(default_factory=list)
    note: str = ""  # said once: the folder is absent, nothing was checked
    checked: int = 0  # quotes checked against an archive


@dataclass(frozen=True, slots=True)
class Archive:
    """A source's archived text, and the same text normalised, with where
    each normalised character came from."""

    name: str
    text: str
    normal: str
    origin: tuple[int, ...]  # normal[i] came from text[origin[i]]
    line_starts: tuple[int, ...]

    @classmethod
    def read(cls, name: str, path: Path) -> Archive:
        text = path.read_text(encoding="utf-8", errors="replace")
        normal, origin = normalise(text)
        starts = (0, *(m.end() for m in re.finditer("\n", text)))
        return cls(name, text, normal, tuple(origin), starts)

    def find(self, quote: str) -> tuple[int, int] | None:
        """Where the quote is in the original text (start, end), normalised
        alike; None when it is not."""
        wanted = normalise(quote)[0]
        at = self.normal.find(wanted) if wanted else -1
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(wanted) - 1] + 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def normalise(text: str) -> tuple[str, list[int]]:
    """The text with quotation marks, dashes and white space normalised (runs
    of white space as one space, none at the ends), and for each of its
    characters the offset in ``text`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text.translate(_MARKS)):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                origin.append(i)
            continue
        out.append(char)
        origin.append(i)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def verify_quotes(corpus: Corpus, folder: Path | None, strict: bool = False) -> Fidelity:
    """Check every quote of a source with an archive against it; with
    ``strict``, also say which sources' quotes cannot be checked."""
    found = Fidelity()
    if folder is None:
        return found
    if not folder.is_dir():
        found.note = f"the archive folder {folder} is absent: quotes were not checked against their sources"
        return found
    archives = _archives(corpus, folder, found)
    unverifiable: dict[str, int] = {}
    for entry in corpus.of_kind("quote"):
        quote = entry.model
        assert isinstance(quote, Quote)
        if quote.translated_by == "editors":  # the editors' words: no source prints them
            continue
        archive = archives.get(quote.source)
        if archive is None:
            source = corpus.records[quote.source].model
            if isinstance(source, Source) and source.archive is None:
                unverifiable[quote.source] = unverifiable.get(quote.source, 0) + 1
            continue
        found.checked += 1
        span = archive.find(quote.text)
        if span is not None:
            found.passages[entry.id] = _passage(archive, *span)
        else:
            found.problems.append(_missing(entry, quote, archive, archives))
    if strict:
        for sid, count in sorted(unverifiable.items()):
            found.problems.append(problem_at(
                corpus.records[sid], (), "unverifiable-quotes",
                f"{count} quote(s) cite this source, which names no archived text: they cannot be checked",
                "give archive: <file in the archive folder> (the plugin's archive setting names the folder)",
                Severity.WARNING))
    return found


def check_quotes(result: CheckResult, folder: Path | None, strict: bool = False) -> Fidelity:
    """Check the quotes of a checked corpus against the archive and add what
    is wrong to its problems (an error leaves it without a corpus, as any
    other error does)."""
    if result.corpus is None:
        return Fidelity()
    fidelity = verify_quotes(result.corpus, folder, strict)
    if fidelity.problems:
        result.problems = sorted_problems([*result.problems, *fidelity.problems])
        if not result.ok:
            result.corpus = None
    return fidelity


def _archives(corpus: Corpus, folder: Path, found: Fidelity) -> dict[str, Archive]:
    out = {}
    for entry in corpus.of_kind("source"):
        source = entry.model
        assert isinstance(source, Source)
        if source.archive is None:
            continue
        path = folder / source.archive
        if not path.is_file():
            found.problems.append(problem_at(
                entry, ("archive",), "archive-missing", f"{source.archive} is not in the archive folder",
                "name a file of the folder mkdocs.yml's archive setting names, relative to it"))
            continue
        out[entry.id] = Archive.read(source.archive, path)
    return out


def _passage(archive: Archive, at: int, end: int) -> Passage:
    """The quote where it sits, in the sentence around it."""
    text = archive.text
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at) if _ends_sentence(text, m.start())]
    start = starts[-1] if starts else 0
    stop = next((m for m in _SENTENCE_END.finditer(text, end) if _ends_sentence(text, m.start())), None)
    finish = stop.end() if stop else len(text)
    line, column = archive.position(at)
    return Passage(archive.name, line, column, _spaced(text[start:at]), text[at:end], _spaced(text[end:finish]))


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the stop before ``at`` ends a sentence, not an abbreviation."""
    if text[at:at + 1] == "\n":
        return True
    word = re.search(r"([\w.]+)[.!?]$", text[max(0, at - 12):at])
    return word is None or word.group(1).lower() not in _ABBREVIATIONS


def _spaced(text: str) -> str:
    """White space as one space, kept at the ends where there was some
    (it separates the text from the quote)."""
    inner = " ".join(text.split())
    if not inner:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + inner + (" " if text[-1:].isspace() else "")


def _missing(entry: Entry, quote: Quote, archive: Archive, archives: dict[str, Archive]) -> Problem:
    """The problem of a quote not in its source's archive: in another
    source's, or the nearest passage and how it differs."""
    for sid, other in sorted(archives.items()):
        if sid != quote.source and (span := other.find(quote.text)) is not None:
            line, _ = other.position(span[0])
            return problem_at(
                entry, ("text",), "quote-wrong-source",
                f"not in {quote.source}'s archived text ({archive.name}), but in {sid}'s ({other.name}, line {line})",
                f"source: {sid}, if that is where the quote comes from")
    passage, line, differences = nearest(archive, quote.text)
    return problem_at(
        entry, ("text",), "quote-not-in-source",
        f"not verbatim in {quote.source}'s archived text ({archive.name}); nearest, at line {line}: "
        f"\"{passage}\": {differences}",
        "copy the words as the source prints them (only quotation marks, dashes and spacing may differ)")


def nearest(archive: Archive, quote: str) -> tuple[str, int, str]:
    """The passage of the archive most like the quote (word by word, the
    punctuation around a word aside), its line, and how it differs from the
    quote, in words."""
    words = normalise(quote)[0].split(" ")
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", archive.normal)]
    text_words = [archive.normal[a:b] for a, b in spans]
    ours, theirs = [_bare(w) for w in words], [_bare(w) for w in text_words]
    best, best_at = -1.0, 0
    width = len(words)
    for i in range(max(1, len(theirs) - width + 1)):
        matcher = difflib.SequenceMatcher(None, ours, theirs[i:i + width + 2], autojunk=False)
        if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
            continue
        ratio = matcher.ratio()
        if ratio > best:
            best, best_at = ratio, i
    # Anchor the window where the quote's first word would be, so that it
    # holds the quote's last words too.
    window = theirs[best_at:best_at + width + 2]
    blocks = [b for b in difflib.SequenceMatcher(None, ours, window, autojunk=False).get_matching_blocks() if b.size]
    if blocks:
        best_at = max(0, best_at + blocks[0].b - blocks[0].a)
        window = theirs[best_at:best_at + width + 2]
        blocks = [b for b in difflib.SequenceMatcher(None, ours, window, autojunk=False).get_matching_blocks()
                  if b.size]
    # The passage runs from the first matching word to the last, widened by
    # the quote's words before and after those (a changed last word is a
    # change, not an addition).
    first, last = 0, len(window)
    if blocks:
        first = max(0, blocks[0].b - blocks[0].a)
        last = min(len(window), blocks[-1].b + blocks[-1].size + len(ours) - blocks[-1].a - blocks[-1].size)
    shown = text_words[best_at + first:best_at + last]
    said = []
    matcher = difflib.SequenceMatcher(None, ours, window[first:last], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        quoted, printed = " ".join(ours[i1:i2]), " ".join(window[first:last][j1:j2])
        if op == "replace":
            said.append(f"it has \"{printed}\" where the quote has \"{quoted}\"")
        elif op == "delete":
            said.append(f"the quote adds \"{quoted}\"")
        elif op == "insert":
            said.append(f"it has \"{printed}\", which the quote leaves out")
    if not spans or not shown:
        return "", 1, "the archived text has nothing like it"
    start = archive.origin[spans[best_at + first][0]]
    end = archive.origin[spans[best_at + last - 1][1] - 1] + 1
    line, _ = archive.position(start)
    printed_as = " ".join(archive.text[start:end].split())  # as printed: its own quotation marks
    return printed_as, line, "; ".join(said) or "they differ in case or punctuation"


def _bare(word: str) -> str:
    return word.strip("\"'()[],.;:!?")
