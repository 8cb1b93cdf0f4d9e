"""The html stage: each TEI document through the one XSLT into an HTML fragment, the fragment that the
site's pages, the print edition and the plain text all read."""
