"""The small Markdown subset of the generated encoding guidelines (docs/encoding-guidelines.md) as HTML:
headings, paragraphs, nested "-" lists, fenced code blocks, `code`, [links](url), HTML comments dropped.
Written for that one generated file, so the site needs no Markdown library."""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str) -> str:
    out, pos = [], 0
    for m in _CODE.finditer(text):
        out.append(_links(html.escape(text[pos:m.start()], quote=False)))
        out.append(f"<code>{html.escape(m.group(1), quote=False)}</code>")
        pos = m.end()
    out.append(_links(html.escape(text[pos:], quote=False)))
    return "".join(out)


# the site's one rule for links from the edition's files (xslt/modules/links.xsl, e:safe-href): http(s) with a
# host, a fragment or a relative path; any other scheme, "//host" or a backslash is shown as text
_SAFE_URL = re.compile(r"(?i:https?://[^/?#\\\s])[^\\\s]*|#[^\\\s]*|(?!//)[^:/?#\\\s]*(?:[/?#][^\\\s]*)?")


def _links(escaped: str) -> str:
    def link(m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if not _SAFE_URL.fullmatch(url):
            return m.group(1)
        return f'<a href="{html.escape(url)}">{m.group(1)}</a>'
    return _LINK.sub(link, escaped)


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text.lower()).strip("-") or "section"


def to_html(markdown: str, shift: int = 0) -> str:
    """HTML for the guidelines; `shift` lowers heading levels (the page has its own h1)."""
    lines = re.sub(r"<!--.*?-->", "", markdown, flags=re.S).splitlines()
    out: list[str] = []
    para: list[str] = []
    depth = 0  # open <ul> levels
    seen: dict[str, int] = {}

    def close_para() -> None:
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()

    def close_lists(to: int = 0) -> None:
        nonlocal depth
        while depth > to:
            out.append("</li></ul>")
            depth -= 1

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            close_para()
            close_lists()
            lang = line[3:].strip()
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            cls = f' class="language-{html.escape(lang)}"' if lang else ""
            out.append(f"<pre><code{cls}>{html.escape(chr(10).join(block), quote=False)}</code></pre>")
        elif m := re.match(r"(#{1,6})\s+(.*)", line):
            close_para()
            close_lists()
            level = min(6, len(m.group(1)) + shift)
            slug = _slug(re.sub(r"[`<>]", "", m.group(2)))
            seen[slug] = seen.get(slug, 0) + 1
            if seen[slug] > 1:
                slug = f"{slug}-{seen[slug]}"
            out.append(f'<h{level} id="{slug}">{_inline(m.group(2))}</h{level}>')
        elif m := re.match(r"(\s*)- (.*)", line):
            close_para()
            level = len(m.group(1)) // 2 + 1
            if level > depth:
                while depth < level:
                    out.append("<ul><li>")
                    depth += 1
            else:
                close_lists(level)
                out.append("</li><li>")
            out.append(_inline(m.group(2)))
        elif not line.strip():
            close_para()
            if depth and not (i + 1 < len(lines) and re.match(r"\s*- ", lines[i + 1])):
                close_lists()
        else:
            if depth:
                out.append(" " + _inline(line.strip()))
            else:
                para.append(line.strip())
        i += 1
    close_para()
    close_lists()
    return "\n".join(out)
