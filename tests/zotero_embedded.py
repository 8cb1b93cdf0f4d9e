"""What Zotero saves from a page whose metadata is in <meta> tags: a parser written from the code of Zotero's
"Embedded Metadata" web translator (zotero/translators, "Embedded Metadata.js", lastUpdated 2026-04-27: init,
addHighwireMetadata, processHighwireCreators), the part of its RDF import it hands the DC/z/og statements to
("RDF.js": detectType, handleCreators), Zotero.Utilities.cleanAuthor (zotero/utilities, utilities.js) and the
conversion of a translated item to Zotero's API form (utilities_item.js, itemToAPIJSON: a creator without a
first name is saved as one field, {"name": ...}). Only what the edition's pages use is modelled; where the
translator does more (Parsely, bylines, Open Graph authors, PMIDs...) it does nothing for these pages.

    item = zotero_item(html_text)   →  {"itemType", "title", "creators": [...], "publicationTitle", ...}
"""

from __future__ import annotations

import re

import lxml.html

# Embedded Metadata.js: HIGHWIRE_MAPPINGS (the fields the pages use)
HIGHWIRE = {"citation_title": "title", "citation_publication_date": "date", "citation_date": "date",
            "citation_journal_title": "publicationTitle", "citation_inbook_title": "publicationTitle",
            "citation_book_title": "bookTitle", "citation_volume": "volume", "citation_issue": "issue",
            "citation_publisher": "publisher", "citation_doi": "DOI", "citation_public_url": "url",
            "citation_language": "language"}
# the prefixes the translator knows without a declaration (_prefixes), for the statements it gives RDF
PREFIXES = {"bib", "bibo", "dc", "dcterms", "prism", "foaf", "vcard", "link", "z", "eprint", "eprints", "og",
            "article", "book", "music", "video", "so", "codemeta", "rdf"}
# Zotero's item types that the pages may name (Zotero.Utilities.itemTypeExists)
ITEM_TYPES = {"book", "bookSection", "journalArticle", "newspaperArticle", "magazineArticle", "webpage",
              "manuscript", "thesis", "document", "report", "encyclopediaArticle", "blogPost"}
HW_TYPES = {"citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
            "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
            "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
            "citation_dissertation_institution": "thesis"}
ALL_CAPS = "A-Z\u0400-\u042f"


def clean_author(author: str, role: str, use_comma: bool) -> dict:
    """Zotero.Utilities.cleanAuthor."""
    author = re.sub(r"^[\s\u00a0.,/\[\]:]+", "", author)
    author = re.sub(r"[\s\u00a0.,/\[\]:]+$", "", author)
    author = re.sub(r"[\s\u00a0]+", " ", author, count=1)
    first: str | None
    if use_comma:
        author = re.sub(r"\.([^ ])", r". \1", author, count=1)
        split = re.split(r"[,،] ?", author)
        last, first = (split[0], split[1]) if len(split) > 1 else (author, None)
    else:
        space = len(author)
        while True:                     # "Firstname Lastname [Country]" is not "[Country], Firstname Lastname"
            space = author.rfind(" ", 0, space) if space > 0 else -1
            last, first = author[space + 1:], author[:space] if space >= 0 else ""
            if (last[:1].isalpha()) or space <= 0:
                break
    if first and re.fullmatch(f"[{ALL_CAPS}]+", first) and len(first) < 4 and (len(first) == 1 or last.upper() != last):
        first = " ".join(c + "." for c in first)           # initials
    if first:
        names = re.split(r"(?:[\s.]+|(?=-))", re.sub(r"\s*([\u002D\u00AD\u2010-\u2015\u2212\u2E3A\u2E3B])\s*", "-",
                                                        re.sub(r"[\s,]+$", "", re.sub(r"^[\s.]+", "", first)), count=1))
        first = " ".join(n + ("." if re.fullmatch(f"-?[{ALL_CAPS}]", n) else "") for n in names).replace(" -", "-").strip()
    return {"firstName": first, "lastName": last, "creatorType": role}


def fix_case(name: str) -> str:
    return name.title() if name in (name.upper(), name.lower()) else name


def highwire_creators(values: list[str], role: str, lang: str) -> list[dict]:
    """processHighwireCreators: a tag may hold several names split by ";"; a single tag holding one name
    with two words on both sides of a comma is split at the comma (unless it looks Spanish)."""
    out, last_seen = [], None
    for value in values:
        creators = re.split(r"\s*;\s*", value)
        if len(creators) == 1 and len(values) == 1:
            by_comma = re.split(r"\s*,\s*", creators[0])
            spanish = (len(by_comma) == 2 and lang in ("es", "spa", "Spanish", "español")
                       and len(by_comma[0].split(" ")) == 2)
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1] and not spanish:
                creators = by_comma
        for creator in creators:
            creator = creator.strip()
            if not creator or not re.search(r"[^\s,\-.;]", creator) or creator == last_seen:
                continue
            last_seen = creator
            c = clean_author(creator, role, "," in creator)
            if c["firstName"]:
                c["firstName"], c["lastName"] = fix_case(c["firstName"]), fix_case(c["lastName"])
            out.append(c)
    return out


def meta_tags(html: str) -> list[tuple[str, str]]:
    head = lxml.html.document_fromstring(html).find("head")
    return [(m.get("name") or m.get("property") or "", m.get("content") or "")
            for m in head.iter("meta") if (m.get("name") or m.get("property")) and m.get("content")]


def zotero_item(html: str) -> dict:
    """The item Zotero's Embedded Metadata translator makes of a page, in Zotero's API form."""
    tags = meta_tags(html)
    values: dict[str, list[str]] = {}
    hw_type = hw_guess = None
    statements: dict[str, list[str]] = {}
    for name, value in tags:
        for tag in name.split():
            parts = re.split(r"[.:_]", tag)
            # "og:video:release_date": the second part may be the prefix (so "citation_book_title" is
            # read as a statement of the Open Graph "book" vocabulary, never as a Highwire tag)
            prefix, length = (parts[1].lower(), len(parts[0]) + len(parts[1]) + 1) if len(parts) > 2 else ("", 0)
            if prefix not in PREFIXES:
                prefix, length = parts[0].lower(), len(parts[0])
            if prefix in PREFIXES:
                prop = tag[length + 1:]
                statements.setdefault(f"{prefix}:{prop[:1].lower() + prop[1:]}", []).append(value)
                continue
            short = tag[tag.rfind("citation_"):] if "citation_" in tag else tag
            values.setdefault(short, []).append(value)
            if short in HW_TYPES:
                hw_type = HW_TYPES[short]
            elif short in ("citation_title", "citation_series_title"):
                hw_guess = hw_guess or "journalArticle"
            elif short == "citation_isbn":
                hw_guess = "book"
    first = lambda key: values.get(key, [""])[0]
    item: dict = {}
    # the item type: a Highwire container tag wins; else RDF's detectType on the statements
    if hw_type:
        item["itemType"] = hw_type
    elif statements:
        z = (statements.get("z:itemType") or statements.get("z:type") or [""])[0]
        dc = (statements.get("dc:type") or [""])[0]
        og = {"website": "webpage", "book": "book"}.get((statements.get("og:type") or [""])[0], "")
        dc_type = dc if dc in ITEM_TYPES else ""
        dc_guess = "journalArticle" if dc.lower().replace(" ", "") == "text" else ""
        item["itemType"] = ((z if z in ITEM_TYPES else "") or og or dc_type or hw_guess or "webpage" or dc_guess)
    else:
        item["itemType"] = hw_guess
    for key, field in HIGHWIRE.items():
        if first(key).strip():
            item[field] = " ".join(first(key).split())
    lang = first("citation_language")
    creators = (highwire_creators(values.get("citation_author", []) or values.get("citation_authors", []), "author", lang)
                + highwire_creators(values.get("citation_editor", []) or values.get("citation_editors", []), "editor",
                                    lang))
    if not creators:                      # the RDF creators: dc:creator literals
        creators = [clean_author(c, "author", "," in c) for c in statements.get("dc:creator", [])]
    item["creators"] = [{"name": c["lastName"], "creatorType": c["creatorType"]} if not c["firstName"]
                        else {"firstName": c["firstName"], "lastName": c["lastName"], "creatorType": c["creatorType"]}
                        for c in creators if c["firstName"] or c["lastName"]]
    pdf = values.get("citation_pdf_url")
    item["attachments"] = ([{"title": "Full Text PDF", "url": pdf[0], "mimeType": "application/pdf"}] if pdf
                           else [{"title": "Snapshot"}])
    return item
