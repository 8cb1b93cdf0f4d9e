"""Problems found in the edition, reported uniformly: path:line:col: severity: message [rule]."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


class EditionError(Exception):
    """A failure the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        text = self.args[0]
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str
    rule: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.rule}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def summary(diags: list[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in diags)
    warnings = sum(d.severity == "warning" for d in diags)
    return f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)"


def to_json(diags: list[Diagnostic], files: int) -> str:
    return json.dumps({
        "files": files,
        "errors": sum(d.severity == "error" for d in diags),
        "warnings": sum(d.severity == "warning" for d in diags),
        "diagnostics": [asdict(d) for d in diags],
    }, ensure_ascii=False, indent=2)
