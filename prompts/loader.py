"""Versioned prompt files and review templates, loaded by name and version.

Prompts live in `prompts/<version>/<name>.txt` as `string.Template` text
(`$name` placeholders, so JSON braces need no escaping). A missing variable
is an error, never an empty string, and snapshot tests pin the rendered text
so a prompt change shows up as a diff.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from copilot.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PROMPTS_DIR / "templates"
_NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Prompt:
    """One prompt file of one version."""

    name: str
    version: str
    text: str

    @property
    def variables(self) -> set[str]:
        return {
            m.group("named") or m.group("braced")
            for m in string.Template.pattern.finditer(self.text)
            if m.group("named") or m.group("braced")
        }

    def render(self, **values: Any) -> str:
        missing = self.variables - values.keys()
        if missing:
            raise ConfigError(f"prompt {self.version}/{self.name} needs {', '.join(sorted(missing))}")
        return string.Template(self.text).substitute({k: str(v) for k, v in values.items()})


@cache
def load_prompt(name: str, version: str = "v1") -> Prompt:
    """Load `prompts/<version>/<name>.txt`; unknown names or versions are a ConfigError.

    A version holds only the prompts it changes: a file it lacks is inherited from the
    nearest earlier version, so comparing v2 with v1 compares exactly what v2 changed.
    """
    if not _NAME.match(name) or not _NAME.match(version):
        raise ConfigError(f"bad prompt name or version: {version}/{name}")
    if not (PROMPTS_DIR / version).is_dir():
        raise ConfigError(f"prompt not found: {version}/{name} (no prompt version {version})")
    earlier = [v for v in available_versions() if _order(v) <= _order(version)]
    for candidate in sorted(earlier, key=_order, reverse=True):
        path = PROMPTS_DIR / candidate / f"{name}.txt"
        if path.is_file():
            return Prompt(name=name, version=version, text=path.read_text(encoding="utf-8"))
    raise ConfigError(f"prompt not found: {version}/{name}")


def _order(version: str) -> tuple[int, str]:
    """v2 < v10: numeric order where the version is vN, else by name."""
    digits = version[1:]
    return (int(digits), "") if digits.isdigit() else (1 << 30, version)


def available_versions() -> list[str]:
    return sorted((p.name for p in PROMPTS_DIR.iterdir() if p.is_dir() and p.name.startswith("v")), key=_order)


@cache
def load_template_data(name: str = "default") -> dict[str, Any]:
    """Raw YAML of a review template (validated by `summarize.template`)."""
    if not _NAME.match(name):
        raise ConfigError(f"bad template name: {name}")
    path = TEMPLATES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(f"review template not found: {name} (looked in {TEMPLATES_DIR})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(f"review template {name} is not a mapping")
    return data
