"""tei-edition: make a digital critical edition from raw texts, via TEI, to HTML and PDF."""

__version__ = "0.1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
