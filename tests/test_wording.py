"""How attributions read in a sentence (generator.wording), and how a
double name is given on a page (generator.naming)."""

from generator.naming import first_mention_only
from generator.text import html_text, md_text
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


def test_a_double_name_is_given_in_full_once_whether_a_page_writes_it_as_markdown_or_as_html() -> None:
    """The naming rule on a page whose listing rows are HTML: the first
    mention, in either form, keeps both names; every later one, in its own
    form, the first name alone. A map's caption (HTML-escaped only, no
    character references) is a figure of its own and is left as it is."""
    names = {"Stepanakert (Khankendi)": "Stepanakert"}
    md, row = md_text("Stepanakert (Khankendi)"), html_text("Stepanakert (Khankendi)")
    caption = '<figcaption>Map: Stepanakert (Khankendi).</figcaption>'
    page = f"<ul>\n<li>{row}</li>\n</ul>\n\n{caption}\n\nShelled: {md}. <li>{row}</li>\n"
    out = first_mention_only(page, names, md_text, html_text)
    assert out == f"<ul>\n<li>{row}</li>\n</ul>\n\n{caption}\n\nShelled: Stepanakert. <li>Stepanakert</li>\n"
    page = f"Shelled: {md}.\n\n<ul>\n<li>{row}</li>\n</ul>\n"
    shortened = f"Shelled: {md}.\n\n<ul>\n<li>Stepanakert</li>\n</ul>\n"
    assert first_mention_only(page, names, md_text, html_text) == shortened
    assert first_mention_only(page, names, md_text) == page  # the Markdown form alone sees one mention
