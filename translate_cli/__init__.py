"""translate-cli: Albanian news articles into English translations and summaries.

The library is the product; the command line is a thin layer over it:

    from translate_cli import RunOptions, run
    result = run(["seeds/"], RunOptions(mt_model="path/to/opus-mt-sq-en"))
"""

from .data import Article, ArticleResult, ModelInfo, Paragraph, RunOptions, RunResult
from .errors import CacheError, InputError, ModelUnavailable, PromptError, TranslateCliError, UsageError
from .pipeline import StreamingRun, iter_run, run
from .reader import read_article
from .segment import split_long, split_sentences

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleResult",
    "CacheError",
    "InputError",
    "ModelInfo",
    "ModelUnavailable",
    "Paragraph",
    "PromptError",
    "RunOptions",
    "RunResult",
    "StreamingRun",
    "TranslateCliError",
    "UsageError",
    "__version__",
    "iter_run",
    "read_article",
    "run",
    "split_long",
    "split_sentences",
]
