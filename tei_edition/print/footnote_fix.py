"""A note must stand on the page of its call: one WeasyPrint rule breaks that, and is switched off here.

When a paragraph's line does not fit and breaking before it would leave an orphan, WeasyPrint (70) moves
the page's last footnote to the next page to make room for the line, although that footnote's call is
already on this page ("report footnotes and see if we don't overflow", layout/block.py). Without that
rule the paragraph breaks as orphans and widows allow, and every note stays with its call (tests:
test_pdf.py, footnotes on the page of their call). The rule is one assignment in `_linebox_layout`; the
function is recompiled from its own source with that assignment false. If a WeasyPrint version no longer
has the line, nothing is patched and the test says whether the new version needs it.
"""

from __future__ import annotations

from weasyprint.layout import block

from .recompile import recompiled

RULE = "report = not context.in_column and can_break_now and not could_break_before"
_done = False


def apply() -> bool:
    """Patch once per process; True when the rule was found and switched off."""
    global _done
    if _done:
        return True
    if not recompiled(block, "_linebox_layout", {RULE: "report = False"}):
        return False
    _done = True
    return True
