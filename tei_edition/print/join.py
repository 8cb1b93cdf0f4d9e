"""The parts of the book, each laid out and written apart (print/parts.py), joined into one PDF as WeasyPrint
would have written the book in one piece (pikepdf, i.e. qpdf).

What one piece has and the join keeps: the pages in order, a blank verso where the next part would have
opened on one (WeasyPrint's blank page: no content, its own empty entry of the structure tree); the
named destinations of every part (one name tree); every link: a link to another part was written by
WeasyPrint as an address `CROSS + anchor` (it drops an internal link whose anchor is not in the file) and is
turned back into the internal link WeasyPrint writes (/Dest anchor, /Contents anchor); the outline, each
part's items after the previous part's, in order and depth; the structure tree: one Document element whose
kids are the parts' kids in order, the parent tree renumbered as WeasyPrint numbers it (the pages 0..n-1,
then the links and widgets in the order of their pages); the role map if a part has one; the catalog of the
first part (language, viewer preferences, marked content, XMP metadata, output intent) and its document
information. The PDF/A-3a twin takes from the first part's PDF/A file what only it has: its XMP (the PDF/A
claim in place of the PDF/UA one), the attached TEI files (/Names /EmbeddedFiles, /AF).
A document laid out in pieces (print/parts.py) is one document again: a piece's structure elements are
its pages' already (WeasyPrint tags page by page), and its outline items go under the document's item,
the piece's own first item (the document's, print.css `.print-piece`) dropped; the outline's counts are
then counted again as WeasyPrint counts them.
Each part keeps its own font subsets (a face is embedded once per part that uses it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, Pdf, String

# WeasyPrint writes an internal link only to an anchor of its own file: a link to another part is given this
# address (an external link, kept as written), and the join makes it internal again. ".invalid" is reserved
# (RFC 2606): should a part ever be read alone, the address leads nowhere.
CROSS = "https://parts.invalid/#"


@dataclass(frozen=True)
class Part:
    pdf: Path          # the part as a tagged PDF (the PDF/UA-1 claim; print/layout.py write_tagged)
    blank_after: bool  # a blank verso follows it (the next part opens on a recto)
    continues: int = 0        # a later piece of the document before it: its first outline item stands for
                              # that document's, and its items go under the document's item (1) or, a piece
                              # opening inside a part of the document, under that part's, its last (2)


def join(parts: list[Part], target: Path, pdfa: tuple[Path, Path] | None = None) -> int:
    """Join `parts` into `target`; with `pdfa` = (the first part's PDF/A-3a file, the PDF/A target) write the
    PDF/A-3a twin too. The number of pages."""
    book = Pdf.open(parts[0].pdf)
    sources = [book]
    try:
        _join_into(book, parts, sources)
        pages = len(book.pages)
        target.parent.mkdir(parents=True, exist_ok=True)
        _save(book, target)
        if pdfa is not None:
            with Pdf.open(pdfa[0]) as twin:
                _as_pdfa(book, twin)
                pdfa[1].parent.mkdir(parents=True, exist_ok=True)
                _save(book, pdfa[1])
        return pages
    finally:
        for pdf in sources:
            pdf.close()


def _save(pdf: Pdf, path: Path) -> None:
    # the streams as WeasyPrint compressed them; objects in object streams, as WeasyPrint writes them;
    # the file identifier from the content (two builds of the same book are the same bytes); the XMP as
    # WeasyPrint wrote it (pikepdf would rewrite it to record the PDF version)
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             recompress_flate=False, deterministic_id=True, min_version="1.7", fix_metadata_version=False)


def _join_into(book: Pdf, parts: list[Part], sources: list[Pdf]) -> None:
    root = book.Root.StructTreeRoot
    document = root.K[0]
    # (page, its part's parent-tree entry) and (annotation, its entry) in the joined order, keys renumbered last
    page_entries: list[tuple[pikepdf.Object, pikepdf.Object]] = []
    annot_entries: list[tuple[tuple[int, int], pikepdf.Object, pikepdf.Object]] = []
    names: list[tuple[str, pikepdf.Object]] = []
    role_map: dict[str, pikepdf.Object] = dict(root.RoleMap.items()) if "/RoleMap" in root else {}
    document_kids = list(document.K)

    def take(pdf: Pdf, number: int) -> None:
        foreign, first = number > 0, len(book.pages) if number > 0 else 0
        tree = dict(NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
        own_pages = [p.obj for p in pdf.pages]
        if foreign:
            src_document = pdf.Root.StructTreeRoot.K[0]
            for kid in src_document.K:     # their parent is the joined Document (not a copy of theirs)
                if isinstance(kid, Dictionary) and "/P" in kid:
                    del kid["/P"]
            with warnings.catch_warnings():   # (its named destinations are joined below)
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                book.pages.extend(pdf.pages)
            kids = _copy_all(book, pdf, list(src_document.K))
            for kid in kids:
                if isinstance(kid, Dictionary):
                    kid.P = document
            document_kids.extend(kids)
            tree = dict(zip(tree, _copy_all(book, pdf, list(tree.values()))))
            dests = list(NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else []
            names.extend(zip([str(name) for name, _ in dests], _copy_all(book, pdf, [dest for _, dest in dests])))
            _append_outline(book, pdf, parts[number].continues)
            if "/RoleMap" in pdf.Root.StructTreeRoot:
                role_map.update((k, _copy(book, v)) for k, v in pdf.Root.StructTreeRoot.RoleMap.items())
        else:
            for name, dest in NameTree(pdf.Root.Names.Dests).items() if "/Names" in pdf.Root else ():
                names.append((str(name), dest))
        joined = book.pages[first:first + len(own_pages)]
        for page in joined:
            page_entries.append((page.obj, tree[int(page.obj.StructParents)]))
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    old = int(annot.StructParent)
                    annot_entries.append(((number, old), annot, tree[old]))
                _internal(annot)

    for n, part in enumerate(parts):
        if n:
            sources.append(Pdf.open(part.pdf))
        take(sources[-1] if n else book, n)
        if part.blank_after:
            page_entries.append((_blank_after(book), Array()))

    # WeasyPrint's numbering (pdf/tags.py): the pages 0..n-1, then the annotations in the order of their pages
    nums: list = []   # (a list: appending to a pikepdf Array copies it, quadratic in the book's length)
    for key, (page, entry) in enumerate(page_entries):
        page.StructParents = key
        nums += [key, entry]
    start = len(page_entries)
    # the annotations part by part, each part's in the order of their old keys (it numbered them in its page order)
    for key, (_, annot, entry) in enumerate(sorted(annot_entries, key=lambda e: e[0]), start=start):
        annot.StructParent = key
        nums += [key, entry]
    root.ParentTree = book.make_indirect(Dictionary(Nums=Array(nums)))
    if "/Outlines" in book.Root and "/First" in book.Root.Outlines:
        book.Root.Outlines.Count = _recount(book.Root.Outlines)
    document.K = Array(document_kids)
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = start + len(annot_entries)
    if role_map:
        root.RoleMap = Dictionary(role_map)
    if names:
        tree = NameTree.new(book)
        for name, dest in names:
            if name not in tree:      # two anchors of one name: the first, as WeasyPrint resolves it
                tree[name] = dest
        if "/Names" not in book.Root:
            book.Root.Names = Dictionary()
        book.Root.Names.Dests = tree.obj


def _internal(annot: pikepdf.Object) -> None:
    """A link to another part (CROSS + anchor) made the internal link WeasyPrint writes to an anchor."""
    action = annot.get("/A")
    if action is None or action.get("/S") != Name.URI or not str(action.URI).startswith(CROSS):
        return
    anchor = unquote(str(action.URI)[len(CROSS):])
    del annot["/A"]
    annot.Dest = String(anchor)
    annot.Contents = String(anchor)


def _blank_after(book: Pdf) -> pikepdf.Object:
    """WeasyPrint's blank page (a verso left empty before a recto): the previous page's size, resources and
    first line of content (its coordinate system), nothing drawn."""
    before = book.pages[-1].obj
    content = before.Contents.read_bytes() if isinstance(before.Contents, pikepdf.Stream) else b""
    cm = content.split(b"\n", 1)[0] if content.startswith(b"1 0 0 -1 ") else b""
    data = cm + b"\nq\n0.75 0 0 0.75 0 0 cm\nQ" if cm else b""
    page = Dictionary(Type=Name.Page, MediaBox=before.MediaBox, Resources=before.Resources,
                      Contents=book.make_stream(data))
    for key in ("/TrimBox", "/BleedBox", "/Tabs"):
        if key in before:
            page[key] = before[key]
    book.pages.append(pikepdf.Page(book.make_indirect(page)))
    return book.pages[-1].obj


def _append_outline(book: Pdf, part: Pdf, continues: int = 0) -> None:
    """The part's outline items after the book's, in order and depth (their destinations point at the
    pages copied into the book); a continuing piece's first item is the document's: its items go under the
    book's last item instead, or (`continues` 2) under that item's last, the part the piece opens in (the
    counts are set afterwards: _recount)."""
    if "/Outlines" not in part.Root or "/First" not in part.Root.Outlines:
        return
    theirs = _copy(book, part.Root.Outlines)
    if "/Outlines" not in book.Root or "/First" not in book.Root.Outlines:
        book.Root.Outlines = theirs
        return
    ours = book.Root.Outlines
    if continues:
        stand_in = theirs.First
        if "/First" in stand_in:
            under = ours.Last.Last if continues == 2 and "/Last" in ours.Last else ours.Last
            _chain(under, stand_in.First, stand_in.Last)
        if "/Next" not in stand_in:
            return
        del stand_in.Next["/Prev"]
        theirs.First = stand_in.Next
    _chain(ours, theirs.First, theirs.Last)


def _chain(parent: pikepdf.Object, first: pikepdf.Object, last: pikepdf.Object) -> None:
    """The items first..last (siblings) appended to the children of `parent` (an item or the outline)."""
    item = first
    while True:
        item.Parent = parent
        if item.objgen == last.objgen or "/Next" not in item:
            break
        item = item.Next
    if "/Last" in parent:
        parent.Last.Next = first
        first.Prev = parent.Last
    else:
        parent.First = first
        if "/Prev" in first:
            del first["/Prev"]
    parent.Last = last
    if "/Next" in last:
        del last["/Next"]


def _recount(node: pikepdf.Object) -> int:
    """The outline items shown under `node` with every open item open, each item's /Count set as WeasyPrint
    sets it (pdf/anchors.py): its children and the open ones' counts, negative when closed."""
    shown = 0
    item = node.get("/First")
    while item is not None:
        closed = int(item.get("/Count", 0)) < 0
        below = _recount(item) if "/First" in item else 0
        item.Count = -below if closed else below
        shown += 1 + (0 if closed else below)
        item = item.get("/Next")
    return shown


def _as_pdfa(book: Pdf, twin: Pdf) -> None:
    """The joined book made the PDF/A-3a twin: the first part's PDF/A XMP and attachments."""
    catalog = twin.Root
    book.Root.Metadata = _copy(book, catalog.Metadata)
    if "/Names" in catalog and "/EmbeddedFiles" in catalog.Names:
        book.Root.Names.EmbeddedFiles = _copy(book, catalog.Names.EmbeddedFiles)
    if "/AF" in catalog:
        book.Root.AF = _copy(book, catalog.AF)
    if "/OutputIntents" in catalog:
        book.Root.OutputIntents = _copy(book, catalog.OutputIntents)


def _copy_all(book: Pdf, source: Pdf, objects: list) -> list:
    """Foreign objects into the book (as `_copy` each) by one call of qpdf's copier: the whole parent tree or
    the named destinations of a part (8,802 in the book) copied member by member cost a second of Python.
    The array holding them is copied too, and left unreferenced (the file written holds only what its
    catalog reaches)."""
    if not objects:
        return []
    return list(book.copy_foreign(source.make_indirect(Array(objects))))


def _copy(book: Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """A foreign object into the book: an indirect one by qpdf's copier (an object already copied, a page
    above all, is the same copy), a direct array or dictionary member by member."""
    if not isinstance(obj, pikepdf.Object):     # a number, as pikepdf gives it
        return obj
    if obj.is_indirect:
        return book.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(book, o) for o in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _copy(book, v) for k, v in obj.items()})
    return obj
