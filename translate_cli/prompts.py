"""Summarizer prompt templates: data files in `prompts/`, validated when loaded."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from .errors import PromptError

PLACEHOLDER = "text"
# Template chosen for each model family when --prompt is not given; others get "plain".
FAMILY_TEMPLATES = {"t5": "t5", "mt5": "t5", "umt5": "t5", "longt5": "t5"}


@dataclass(frozen=True)
class PromptTemplate:
    """A validated template with exactly one `{text}` placeholder."""

    name: str  # template name, or the file it came from
    text: str  # the template itself

    def render(self, text: str) -> str:
        """The template with `text` in place of `{text}`."""
        return self.text.format(text=text)


def prompts_dir() -> Path:
    """The folder of bundled templates: inside the installed package, else the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise PromptError("the bundled prompts/ folder is missing from this installation")


def available_prompts() -> list[str]:
    """Names of the bundled templates."""
    return sorted(p.stem for p in prompts_dir().glob("*.txt"))


def load_prompt(name_or_file: str) -> PromptTemplate:
    """Load a bundled template by name, or a template file by path, and validate it."""
    path = Path(name_or_file).expanduser()
    if not path.is_file():
        path = prompts_dir() / f"{name_or_file}.txt"
        if not path.is_file():
            raise PromptError(
                f"no prompt template {name_or_file!r}; use a file or one of: "
                + ", ".join(available_prompts())
            )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PromptError(f"prompt template {path}: cannot read ({error})") from None
    return parse_prompt(text.removesuffix("\n"), name=name_or_file)


def prompt_for_family(model_type: str) -> PromptTemplate:
    """The bundled template for a model family, e.g. `summarize: {text}` for T5."""
    return load_prompt(FAMILY_TEMPLATES.get(model_type, "plain"))


def parse_prompt(text: str, *, name: str = "<template>") -> PromptTemplate:
    """Validate template text: `{text}` must appear, and nothing else may be a placeholder."""
    try:
        fields = [
            (field, spec, conversion)
            for _, field, spec, conversion in string.Formatter().parse(text)
            if field is not None
        ]
    except ValueError as error:
        raise PromptError(
            f"prompt template {name}: {error} (write {{{{ and }}}} for literal braces)"
        ) from None
    for field, spec, conversion in fields:
        if field != PLACEHOLDER:
            raise PromptError(
                f"prompt template {name}: unknown placeholder {{{field}}}; only {{{PLACEHOLDER}}} is allowed"
            )
        if spec or conversion:
            raise PromptError(f"prompt template {name}: {{{PLACEHOLDER}}} takes no format options")
    if not fields:
        raise PromptError(f"prompt template {name}: missing the {{{PLACEHOLDER}}} placeholder")
    return PromptTemplate(name=name, text=text)
