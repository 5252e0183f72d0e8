"""The terminal view: original and translation side by side, and the summary, with rich.

All article text goes into rich as `Text` objects, so markup in an article prints literally.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .data import DATELINE, HEADLINE, ArticleResult, RunResult, TranslatedParagraph

#: At this width and above, rows are aligned sentence by sentence.
SENTENCE_ROWS_WIDTH = 100
#: Below this width the columns stack instead of squeezing.
STACKED_WIDTH = 70

_KIND_STYLES = {HEADLINE: "bold", DATELINE: "italic"}
#: Put before the original and the translation when they stack on a narrow terminal.
STACKED_LABELS = ("Albanian: ", "English: ")
#: Put before a translation that still looked degenerate after a retry.
LOW_QUALITY_MARK = "⚠ low quality:"


def render_run(result: RunResult, console: Console) -> None:
    """Show every article of a run."""
    names = result.display_names()
    for article in result.articles:
        render_article(article, console, name=names.get(article.source))


def render_article(article: ArticleResult, console: Console, *, name: str | None = None) -> None:
    """Show one article: heading, the summary panel first, warnings, then the side-by-side text.

    `name` is the heading (default: the file name); the gist comes before the long text.
    """
    title = Text(name or article.name, style="bold")
    if article.date:
        title.append(f"  {article.date}", style="cyan")
    console.rule(title)
    if article.error is not None:
        console.print(Text(f"error: {article.error}", style="bold red"))
        return
    if article.summary is not None:
        summary = Panel(Text(article.summary), title="Summary", title_align="left", border_style="green")
        console.print(summary)
    for warning in article.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    console.print(side_by_side(article.paragraphs, console.width))


def side_by_side(paragraphs: tuple[TranslatedParagraph, ...], width: int) -> Table | Group:
    """The original and its translation: a row per sentence when wide, per paragraph when
    narrower, and stacked one under the other on a narrow terminal."""
    if width < STACKED_WIDTH:
        blocks = []
        for paragraph in paragraphs:
            style = _KIND_STYLES.get(paragraph.kind, "")
            blocks += [
                Text.assemble(
                    (STACKED_LABELS[0], "bold dim"), Text(paragraph.source, style=f"dim {style}".strip())
                ),
                Text.assemble((STACKED_LABELS[1], "bold"), _paragraph_translation(paragraph, style)),
                Text(""),
            ]
        return Group(*blocks)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Albanian", ratio=1, style="dim", overflow="fold")
    table.add_column("English", ratio=1, overflow="fold")
    by_sentence = width >= SENTENCE_ROWS_WIDTH
    for paragraph in paragraphs:
        style = _KIND_STYLES.get(paragraph.kind, "")
        rows = (
            [(s.source, _translation_text(s.translation, s.low_quality, style)) for s in paragraph.sentences]
            if by_sentence
            else [(paragraph.source, _paragraph_translation(paragraph, style))]
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


def _paragraph_translation(paragraph: TranslatedParagraph, style: str) -> Text:
    parts = [_translation_text(s.translation, s.low_quality, style) for s in paragraph.sentences]
    return Text(" ").join(part for part in parts if part.plain)


def closing_line(result: RunResult) -> str:
    """One line saying how the run went: articles, failures, cache hits and misses."""
    done = len(result.articles) - len(result.failed)
    return (
        f"{done} of {len(result.articles)} articles translated, {len(result.failed)} failed; "
        f"cache: {result.cache_hits} hits, {result.cache_misses} misses"
    )
