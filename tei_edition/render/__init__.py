"""Rendering: TEI → HTML fragment (html), fragment → pages (pages), register and chronology data
(register, dates), search index (search), interface strings (i18n)."""
