"""How attributions read in a sentence (generator.wording)."""

from generator.wording import in_sentence


def test_an_article_opening_a_common_noun_is_lower_case_after_according_to() -> None:
    assert in_sentence("The agreement, per Bloomberg") == "the agreement, per Bloomberg"
    assert in_sentence("The two sides (Azerbaijan and the Nagorno-Karabakh authorities)").startswith("the two sides")
    assert in_sentence("A US State Department spokesperson") == "a US State Department spokesperson"
    assert in_sentence("The Nagorno-Karabakh authorities (x)") == "the Nagorno-Karabakh authorities (x)"
    assert in_sentence("A spokesman for the ministry") == "a spokesman for the ministry"
    assert in_sentence("An official") == "an official"


def test_names_keep_their_capitals() -> None:
    for name in ("The Epoch Times; Bloomberg", "The Coast Post", "Bloomberg", "Armenian officials", "The", "A", ""):
        assert in_sentence(name) == name


def test_a_long_quote_is_cut_at_a_word_not_inside_one() -> None:
    from pathlib import Path

    from generator.discover import RecordFile
    from generator.model import Quote
    from generator.validate import Entry
    from generator.wording import title_of

    text = "We will hold to account everyone who caused this pollution in the bay, whatever their flag or owner says"
    quote = Quote.model_validate({"text": text, "speaker": "s", "said": "2024", "source": "r"})
    title = title_of(Entry(RecordFile(Path("q.yaml"), "q.yaml", "quote", "q"), quote, ""))
    kept = title.removeprefix("“").removesuffix(" …”")
    assert text.startswith(kept) and text[len(kept)] in " ,"  # whole words only
    assert len(kept) <= 87 and kept.endswith("whatever their")
