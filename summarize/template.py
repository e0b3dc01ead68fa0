"""Review templates: which sections a draft has and which sentences feed each one (YAML in prompts/templates/)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from copilot.errors import ConfigError
from prompts.loader import load_template_data

SectionField = Literal[
    "okr_progress", "contributions", "improvement_areas", "development_plan", "behaviour_observations"
]


class SectionSpec(BaseModel):
    """One template section: where its items go, what the model is told, which sentences qualify."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: SectionField
    title: str
    instruction: str
    max_items: int = Field(default=5, ge=0, le=50)
    cues: list[str] = Field(min_length=1)
    require: list[str] = Field(default_factory=list, description="Patterns a routed sentence must also match.")
    exclude: list[str] = Field(
        default_factory=list, description="Patterns of talk that looks like this section but is not (never routed)."
    )

    @field_validator("cues", "require", "exclude")
    @classmethod
    def _compiles(cls, cues: list[str]) -> list[str]:
        return _compiled_patterns(cues)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{c})" for c in self.cues), re.I)

    @cached_property
    def required(self) -> re.Pattern[str] | None:
        return _joined(self.require)

    @cached_property
    def excluded(self) -> re.Pattern[str] | None:
        return _joined(self.exclude)

    def accepts(self, text: str) -> bool:
        """True when a sentence belongs in this section by its cues (and required patterns), and no exclusion."""
        return (
            bool(self.pattern.search(text))
            and (self.required is None or bool(self.required.search(text)))
            and (self.excluded is None or not self.excluded.search(text))
        )


def _compiled_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad cue pattern {pattern!r}: {exc}") from exc
    return patterns


def _joined(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


class SummarySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_points: int = Field(default=4, ge=0, le=20)


class ReviewTemplate(BaseModel):
    """A whole review template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    competencies: dict[str, str] = Field(default_factory=dict, description="Competency name -> cue pattern.")
    scale: list[str] = Field(
        default_factory=list, description="Levels a model may suggest per competency (never a rating); empty: none."
    )
    summary: SummarySpec = Field(default_factory=SummarySpec)
    idioms: list[str] = Field(
        default_factory=list,
        description="Phrases blanked out before any cue is matched: 'of course' names no course.",
    )
    not_items: list[str] = Field(
        default_factory=list,
        description="Patterns of talk that is no item of any section (the agenda of the meeting).",
    )
    sections: list[SectionSpec]

    @field_validator("idioms", "not_items")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        return _compiled_patterns(patterns)

    @cached_property
    def idiom_pattern(self) -> re.Pattern[str] | None:
        return _joined(self.idioms)

    @cached_property
    def not_item_pattern(self) -> re.Pattern[str] | None:
        return _joined(self.not_items)

    def routes(self, spec: SectionSpec, text: str) -> bool:
        """True when the sentence `text` belongs in section `spec`, idioms blanked out and the agenda left out."""
        if self.not_item_pattern is not None and self.not_item_pattern.search(text):
            return False
        return spec.accepts(self.idiom_pattern.sub(" ", text) if self.idiom_pattern is not None else text)

    @field_validator("competencies")
    @classmethod
    def _competency_patterns_compile(cls, competencies: dict[str, str]) -> dict[str, str]:
        for name, cue in competencies.items():
            try:
                re.compile(cue)
            except re.error as exc:
                raise ValueError(f"bad cue pattern for competency {name!r}: {exc}") from exc
        return competencies

    def competency_of(self, text: str) -> str | None:
        """The first competency whose cue pattern matches `text`."""
        for name, cue in self.competencies.items():
            if re.search(cue, text, re.I):
                return name
        return None


def load_template(name_or_path: str = "default") -> ReviewTemplate:
    """A packaged template by name, or a YAML file by path; invalid templates are a ConfigError."""
    path = Path(name_or_path)
    data: Any
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise ConfigError(f"review template file not found: {path}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"review template {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    else:
        data = load_template_data(name_or_path)
    try:
        return ReviewTemplate.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"review template {name_or_path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
