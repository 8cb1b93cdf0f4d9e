"""Layout: one paragraph per source line (a text saved from a word processor or a web page).

Note calls are digits glued to the end of a word or a closing quotation mark ("переговоров13.");
numbers standing free ("3 ноября") are text. When the profile says the note texts are lost
(notes.missing = true), each call becomes a note flagged as text-missing, with the profile's comment.
"""

from __future__ import annotations

from .. import record as r
from ..inline import glued_call, language
from ..profile import Profile

LAYOUT = "paragraph-per-line"


def inline_with_calls(text: str, profile: Profile, line: int, rec: r.Record) -> list[r.Inline]:
    tokens: list[r.Inline] = []
    pos = 0
    missing = profile.get("notes.missing", False)
    for m in glued_call(language(profile)).finditer(text):     # digits glued to a word or a closing quote
        tokens.append(r.Text(text[pos:m.start()]))
        note = r.Note(n=m.group(1), place=profile.get("notes.place", "end"),
                      missing="text" if missing else None,
                      comment=profile.get("notes.missing_comment", "") if missing else "")
        tokens.append(r.NoteCall(note))
        rec.decisions.append(r.Decision(line, "note-call", f"digits {m.group(1)!r} glued to a word taken as a "
                                        f"note call: …{text[max(0, m.start() - 20):m.end() + 1]}…"))
        pos = m.end()
    tokens.append(r.Text(text[pos:]))
    return [t for t in tokens if not (isinstance(t, r.Text) and not t.text)]


def parse(lines: list[str], profile: Profile) -> r.Record:
    rec = r.Record(doc_id=profile.id, lang=profile.lang)
    div = r.Division(type=profile.get("structure.div_type", "chapter"))
    if profile.get("structure.head", ""):
        div.head = r.Heading([r.Text(profile.get("structure.head", ""))], supplied=True)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        div.blocks.append(r.Paragraph([r.LineBreak(n), *inline_with_calls(line.strip(), profile, n, rec)]))
    rec.body.append(div)
    return rec
