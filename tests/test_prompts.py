"""Summarizer prompt templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_cli.errors import PromptError
from translate_cli.prompts import available_prompts, load_prompt, parse_prompt, prompt_for_family


def test_bundled_templates_are_valid() -> None:
    assert {"plain", "t5", "instruct"} <= set(available_prompts())
    for name in available_prompts():
        assert "{text}" in load_prompt(name).text


@pytest.mark.parametrize(("family", "rendered"), [("t5", "summarize: X"), ("bart", "X"), ("pegasus", "X")])
def test_template_follows_model_family(family: str, rendered: str) -> None:
    assert prompt_for_family(family).render("X") == rendered


def test_template_from_a_file_with_literal_braces(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("Summarize {{briefly}}:\n{text}\n", encoding="utf-8")
    assert load_prompt(str(path)).render("X") == "Summarize {briefly}:\nX"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Summarize this.", "missing the {text} placeholder"),
        ("{title}: {text}", "unknown placeholder {title}"),
        ("{}", "unknown placeholder {}"),
        ("{text} }", "Single '}'"),
        ("{text!r}", "no format options"),
    ],
)
def test_bad_templates_are_named_errors(template: str, message: str) -> None:
    with pytest.raises(PromptError, match=message.replace("{", r"\{").replace("}", r"\}")):
        parse_prompt(template)


def test_unknown_template_name_lists_the_bundled_ones() -> None:
    with pytest.raises(PromptError, match="plain"):
        load_prompt("no-such-template")
