"""ODD → encoding guidelines (Markdown): the prose sections, then every element with its attributes,
closed value lists, allowed children, constraints and examples, all read from the same specs the
RELAX NG and Schematron are compiled from."""

from __future__ import annotations

from lxml import etree

from .. import TEI_NS
from .odd import EX_NS, SCH_NS, T, Constraint, Odd, _summary


def _inline(el: etree._Element) -> str:
    """TEI prose → Markdown inline text."""
    out = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            out.append(child.tail or "")
            continue
        local = etree.QName(child).localname
        inner = "".join(child.itertext())
        if local == "gi":
            out.append(f"`<{inner}>`")
        elif local == "att":
            out.append(f"`@{inner}`")
        elif local in ("val", "code", "ident"):
            out.append(f"`{inner}`")
        elif local == "tag":
            out.append(f"`<{inner}>`")
        elif local == "ref":
            out.append(f"[{_inline(child)}]({child.get('target')})")
        else:
            out.append(_inline(child))
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def _example(eg: etree._Element) -> str:
    """An egXML example as an XML code block, in the TEI namespace as editors write it."""
    parts = []
    for child in eg:
        text = etree.tostring(child, encoding="unicode", with_tail=False)
        text = text.replace(f' xmlns="{EX_NS}"', "").replace(f' xmlns:sch="{SCH_NS}"', "")
        parts.append(text)
    return "```xml\n" + "\n".join(parts) + "\n```"


def _prose(div: etree._Element, level: int) -> list[str]:
    lines = [f"{'#' * level} {_inline(div.find(T + 'head'))}", ""]
    for child in div:
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local == "p":
            lines += [_inline(child), ""]
        elif local == "list" and child.get("type") == "gloss":
            lines += [f"- `{_inline(label)}`: {_inline(item)}"
                      for label, item in zip(child.iterfind(T + "label"), child.iterfind(T + "item"))] + [""]
        elif local == "list":
            lines += [f"- {_inline(item)}" for item in child.iterfind(T + "item")] + [""]
        elif local == "div":
            lines += _prose(child, level + 1)
    return lines


def _attribute_lines(odd: Odd, name: str) -> list[str]:
    lines = []
    for att in odd.attributes(name).values():
        usage = "required" if att.required else "optional"
        if att.values is not None:
            lines.append(f"- `@{att.name}` ({usage}): {att.desc} Closed list:")
            lines += [f"  - `{value}`: {desc}" for value, desc in att.values]
        else:
            kind = att.datatype.key + (", one or more separated by spaces" if att.datatype.repeatable else "")
            lines.append(f"- `@{att.name}` ({usage}, {kind}): {att.desc}")
    return lines


def _rule_text(test: etree._Element, name: str) -> str:
    """An assertion's message, with <sch:name/> as the element it is about."""
    parts = [test.text or ""]
    for child in test:
        if isinstance(child.tag, str):
            parts.append(f"<{name}>" if etree.QName(child).localname == "name" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _constraint_lines(constraints: list[Constraint], name: str) -> list[str]:
    lines = []
    for c in constraints:
        for rule in c.rules:
            for test in rule:
                if isinstance(test.tag, str) and etree.QName(test).localname in ("assert", "report"):
                    lines.append(f"- Rule `{c.ident}`: {_rule_text(test, name)}")
    return lines


def render_markdown(odd: Odd) -> str:
    body = odd.tree.find(f"{T}text/{T}body")
    lines = ["<!-- Generated from tei/schema/edition.odd by `edition schema`: do not edit; edit the ODD. -->", "",
             "# Encoding guidelines", ""]
    for div in body.iterfind(T + "div"):
        if div.find(f".//{T}schemaSpec") is not None:
            continue
        lines += _prose(div, 2)
    lines += ["## Content classes", "",
              "Content models below refer to these groups, each defined once in the ODD.", ""]
    for name, macro in odd.macros.items():
        children = [c for c in macro.content if isinstance(c.tag, str)]
        model = ", ".join(_summary(c) for c in children)
        lines += [f"- `{name}`: {macro.desc} `{model}`"]
    lines += [""]
    lines += ["## Rules for attributes", "",
              "These rules apply to every element that carries the attribute; the Schematron rules of single "
              "elements are listed with the element.", ""]
    lines += _constraint_lines(odd.class_constraints(), "…") + [""]
    lines += ["## Elements", "",
              f"The edition uses {len(odd.elements)} TEI elements. Attributes every element may carry: "
              + ", ".join(f"`@{a}`" for a in odd.classes["att.global"].attributes) + ".", ""]
    for name in sorted(odd.elements, key=str.lower):
        spec = odd.elements[name]
        lines += [f"### `<{name}>`", "", spec.desc, ""]
        atts = [a for a in _attribute_lines(odd, name) if not a.startswith(("- `@xml:id` (optional",
                                                                              "- `@xml:lang` (optional"))]
        if atts:
            lines += ["Attributes:", ""] + atts + [""]
        children = sorted(odd.children(name), key=str.lower)
        text = "text" if odd.allows_text(name) else ""
        content = ", ".join(filter(None, [text] + [f"`<{c}>`" for c in children])) or "empty"
        lines += [f"Contains: {content}.", "", f"Content model: `{odd.content_summary(name)}`", ""]
        rules = _constraint_lines(spec.constraints, name)
        if rules:
            lines += rules + [""]
        for eg in spec.examples:
            lines += ["Example:", "", _example(eg), ""]
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["render_markdown", "SCH_NS", "TEI_NS"]
