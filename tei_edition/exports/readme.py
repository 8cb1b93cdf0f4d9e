"""The two texts the ZIP of all TEI carries beside the files: LICENCE.txt, each file's rights as its TEI
header states them (file by file: a source text under its holders' rights is never said to be under the
apparatus's licence), and README.txt, what the archive holds and how to cite it. Pure functions of the
documents' facts and the edition's settings, so a worker can make them."""

from __future__ import annotations

from ..config import Config
from ..corpus import Facts
from . import urls
from .metadata import Rights, document_rights


def licence_text(cfg: Config, documents: list[tuple[str, Facts]], files: list[tuple[str, Facts]],
                 edition: Rights) -> str:
    """`documents`: (id, facts) of each document; `files`: (ZIP name, facts) of the other TEI files
    (register, apparatus, schema), each with the facts of its own header."""
    out = ["Licences of the files in this archive, as each file's TEI header states them",
           "(teiHeader/fileDesc/publicationStmt/availability). A licence named for a file covers the whole",
           "file only where it says \"Licence of the whole file\".", ""]

    def entry(names: list[str], rights: Rights) -> None:
        out.extend(names)
        out.append("  " + (rights.statement or "(the header states no rights)"))
        if rights.licence:
            out.append(f"  Licence of the whole file: {rights.licence}")
        elif rights.apparatus_licence:
            out.append(f"  Licence of the encoding and the editorial apparatus only: {rights.apparatus_licence}")
        out.append("")

    for doc_id, facts in documents:
        entry([f"tei/{doc_id}.xml", f"tei-plain/{doc_id}.xml"], document_rights(facts))
    entry(["tei/corpus.xml (the whole edition; each document in it keeps its own header)"], edition)
    for name, facts in files:
        entry([name], document_rights(facts))
    return "\n".join(out)


def readme_text(cfg: Config, documents: list[tuple[str, Facts]], schema_files: list[str]) -> str:
    home = urls.absolute(cfg, urls.edition_home())
    version = f", version {cfg.version}" if cfg.version else ""
    lines = [f"{cfg.title}{version}", "", cfg.subtitle, "", f"Published by {cfg.publisher}: {home}"]
    if cfg.identifier:
        lines.append(f"Persistent identifier: {cfg.identifier}")
    lines += ["", "Contents", "",
              "  tei/dNNN.xml        each document as published: TEI P5, with the register entries it names in",
              "                      its <standOff> (the file stands on its own) and its citation structure",
              "  tei-plain/dNNN.xml  the same in plain TEI (project-specific markup dropped)",
              "  tei/corpus.xml      the whole edition as one teiCorpus (documents and register)",
              "  register/           the register (persons, organisations, places) and the apparatus files",
              "  schema/             the ODD (edition.odd), as the TEI Stylesheets compile it",
              "                      (edition.compiled.odd), and its RELAX NG and Schematron",
              "  LICENCE.txt         the rights of every file, as its header states them",
              "  SHA256SUMS          checksums of every file", "", "Documents", ""]
    for doc_id, facts in documents:
        lines.append(f"  {doc_id}  {facts.title_en or facts.title}")
    lines += ["", "Rights", "", "  " + " ".join(cfg.licence_text.split()), "  See LICENCE.txt, file by file.",
              "", "Reuse", "",
              f"  Distributed Text Services: {urls.absolute(cfg, urls.DTS + 'index.json')}",
              f"  Validate a document: jing schema/{schema_files[2] if len(schema_files) > 2 else 'edition.rng'} "
              "tei/d001.xml", ""]
    return "\n".join(lines)
