"""The gate before `edition annotate` and `edition build`: a document that does not validate is refused.

Annotating or rendering invalid TEI would write wrong output without a word (a date that does not exist in
the chronology, a name linked to nothing, an empty note in the apparatus); the validator already says
where and how to fix each problem, so the commands stop with its diagnostics instead.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..diagnostics import EditionError

SHOWN = 20     # diagnostics printed in the refusal; `edition validate` lists them all


def require_valid(cfg: Config, paths: list[Path] | None, action: str) -> None:
    """Raise EditionError listing the errors of `paths` (default: the whole edition), if any."""
    from . import validate
    report = validate(cfg, paths)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    errors.sort(key=lambda d: not d.rule.startswith(("xml-", "io-")))   # a file that cannot be read first: a cause
    if not errors:
        return
    lines = [d.format() for d in errors[:SHOWN]]
    if len(errors) > SHOWN:
        lines.append(f"... and {len(errors) - SHOWN} more")
    files = sorted({d.path for d in errors})
    raise EditionError(f"{len(errors)} validation error(s) in {', '.join(files)}; {action}:\n" + "\n".join(lines),
                       hint="fix each error where it is reported (the hint under it says how), then run "
                            "`edition validate` and this command again")


def gate_problem(cfg: Config, action: str) -> tuple[str, str | None] | None:
    """The validation gate where it runs beside the XSLT (the build's EarlyParts process, which then imports
    this module and the exports' alone, not the whole build): its refusal as (message, hint), None when
    the edition is valid."""
    try:
        require_valid(cfg, None, action)
    except EditionError as exc:
        return exc.args[0], exc.hint
    return None
