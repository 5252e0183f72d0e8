"""The terminal view: original and translation side by side, and the summary, with rich.

All article text goes into rich as `Text` objects, so markup in an article prints literally.
"""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .data import DATELINE, HEADLINE, ArticleResult, RunResult, TranslatedParagraph, TranslatedSentence
from .printable import printable

#: At this width and above, rows are aligned sentence by sentence.
SENTENCE_ROWS_WIDTH = 100
#: Below this width the columns stack instead of squeezing.
STACKED_WIDTH = 70

_KIND_STYLES = {HEADLINE: "bold", DATELINE: "italic"}
#: Put before the original and the translation when they stack on a narrow terminal.
STACKED_LABELS = ("Albanian: ", "English: ")
#: Put before a translation that still looked degenerate after a retry.
LOW_QUALITY_MARK = "⚠ low quality:"
#: Put before a flagged translation, and before each of its messages under it.
FLAG_MARK = "⚑"


def render_run(result: RunResult, console: Console) -> None:
    """Show every article of a run."""
    names = result.display_names()
    for article in result.articles:
        render_article(article, console, name=names.get(article.source))


def render_article(article: ArticleResult, console: Console, *, name: str | None = None) -> None:
    """Show one article: heading, the summary panel first, the count of what to check, warnings,
    then the side-by-side text with the flagged sentences marked.

    `name` is the heading (default: the file name); the gist comes before the long text.
    """
    title = Text(printable(name or article.name), style="bold")  # a file name may hold escape sequences
    if article.date:
        title.append(f"  {article.date}", style="cyan")
    console.rule(title)
    if article.error is not None:
        console.print(Text(f"error: {printable(article.error)}", style="bold red"))
        return
    if article.summary is not None:
        flags = [_flag_message(flag.message, indent=0) for flag in article.summary_flags]
        summary = Panel(
            Group(Text(article.summary), *flags), title="Summary", title_align="left", border_style="green"
        )
        console.print(summary)
    line = check_line(article)
    if line:
        console.print(Text(line, style="bold yellow"))
    for warning in article.warnings:
        console.print(Text(f"warning: {printable(warning)}", style="yellow"))
    console.print(side_by_side(article.paragraphs, console.width))


def side_by_side(paragraphs: tuple[TranslatedParagraph, ...], width: int) -> Table | Group:
    """The original and its translation: a row per sentence when wide, per paragraph when
    narrower, and stacked one under the other on a narrow terminal."""
    # Each paragraph's first sentence, counted across the article as the text output and the
    # report count them: a paragraph row's flag messages name sentences by these numbers.
    firsts = [1]
    for paragraph in paragraphs:
        firsts.append(firsts[-1] + len(paragraph.sentences))
    if width < STACKED_WIDTH:
        blocks = []
        for paragraph, first in zip(paragraphs, firsts, strict=False):
            style = _KIND_STYLES.get(paragraph.kind, "")
            blocks += [
                Text.assemble(
                    (STACKED_LABELS[0], "bold dim"), Text(paragraph.source, style=f"dim {style}".strip())
                ),
                _labelled(STACKED_LABELS[1], _paragraph_translation(paragraph, style, first)),
                Text(""),
            ]
        return Group(*blocks)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Albanian", ratio=1, style="dim", overflow="fold")
    table.add_column("English", ratio=1, overflow="fold")
    by_sentence = width >= SENTENCE_ROWS_WIDTH
    for paragraph, first in zip(paragraphs, firsts, strict=False):
        style = _KIND_STYLES.get(paragraph.kind, "")
        rows = (
            [(s.source, _sentence_text(s, style)) for s in paragraph.sentences]
            if by_sentence
            else [(paragraph.source, _paragraph_translation(paragraph, style, first))]
        )
        for number, (source, translation) in enumerate(rows, start=1):
            table.add_row(Text(source, style=style), translation, end_section=number == len(rows))
    return table


def _translation_text(translation: str, low_quality: bool, style: str) -> Text:
    """A translation, marked when it still looked degenerate after a retry."""
    text = Text(translation, style=style)
    if low_quality:
        text = Text.assemble((LOW_QUALITY_MARK, "bold red"), " ", text)
    return text


def _sentence_text(sentence: TranslatedSentence, style: str) -> Text | Group:
    """A sentence's translation with its flags: a marker before it and the messages under it."""
    text = _translation_text(sentence.translation, sentence.low_quality, style)
    if not sentence.flags:
        return text
    text = Text.assemble((f"{FLAG_MARK} ", "bold yellow"), text)
    return Group(text, *(_flag_message(flag.message) for flag in sentence.flags))


def _flag_message(message: str, *, indent: int = 2) -> Padding:
    """A flag's message, indented under the text it is about; wrapped lines hang under the
    message, not under the marker, so that each flag starts visibly at its own marker."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(FLAG_MARK, style="yellow"), Text(message, style="yellow"))
    return Padding(grid, (0, 0, 0, indent))


def _paragraph_translation(paragraph: TranslatedParagraph, style: str, first: int) -> Text | Group:
    """A paragraph's translation; flagged sentences are named by their number in the article,
    `first` being that of the paragraph's first sentence."""
    parts = [_translation_text(s.translation, s.low_quality, style) for s in paragraph.sentences]
    text = Text(" ").join(part for part in parts if part.plain)
    flagged = [(number, s) for number, s in enumerate(paragraph.sentences, start=first) if s.flags]
    if not flagged:
        return text
    # A row per paragraph: the marker cannot sit on its sentence, so each message names it.
    text = Text.assemble((f"{FLAG_MARK} ", "bold yellow"), text)
    messages = [_flag_message(f"sentence {n}: {f.message}") for n, s in flagged for f in s.flags]
    return Group(text, *messages)


def _labelled(label: str, translation: Text | Group) -> Text | Group:
    """The stacked view's "English: " label before a translation, flagged or not."""
    if isinstance(translation, Text):
        return Text.assemble((label, "bold"), translation)
    first, *messages = translation.renderables
    return Group(Text.assemble((label, "bold"), first), *messages)


def check_line(article: ArticleResult) -> str:
    """One line per article counting what to double-check, or "" when nothing is flagged."""
    sentences = [s for p in article.paragraphs for s in p.sentences if s.flags]
    if not sentences and not article.summary_flags:
        return ""
    # Sentences per kind, so that every count is of sentences ("3 sentences (2 name, 1 number)"),
    # however many flags of one kind a sentence has.
    kinds = Counter(kind for s in sentences for kind in dict.fromkeys(f.kind for f in s.flags))
    parts = []
    if sentences:
        detail = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        parts.append(f"{len(sentences)} sentence{'s' if len(sentences) != 1 else ''} ({detail})")
    if article.summary_flags:
        count = len(article.summary_flags)
        parts.append(f"the summary ({count} fact{'s' if count != 1 else ''})")
    return f"{FLAG_MARK} Check {' and '.join(parts)}"


def closing_line(result: RunResult) -> str:
    """One line saying how the run went: articles, failures, cache hits and misses."""
    done = len(result.articles) - len(result.failed)
    return (
        f"{done} of {len(result.articles)} articles translated, {len(result.failed)} failed; "
        f"cache: {result.cache_hits} hits, {result.cache_misses} misses"
    )
