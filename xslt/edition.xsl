<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI → HTML fragment: the one rendering of the text, shared by the web and the print edition.

  Runs once per document; its output serves the site, the print edition and the plain text alike.
  Output: <article class="edition" id="dNNN" lang="…" data-doc="dNNN"> holding
    <header class="edition-source">    the TEI header as a readable source description (mode "header")
    <section class="edition-principles"> the editorial principles of the encodingDesc (mode "principles")
    <div class="edition-text">          the reading text (mode "text")
  Never page chrome (head, navigation, footer: the Jinja shells' job). Web and print differ in their shells
  and CSS, not here: every reading the views need is emitted (sic and corr, soft hyphens, line breaks,
  supplied text), marked with the view vocabulary of modules/emit.xsl (data-view, data-apparatus), and
  each consumer shows or reads what it needs.

  Modes:
    text        the reading text (structure, transcription, breaks, notes, names and dates)
    header      the teiHeader as a source description
    principles  the encodingDesc as the editorial principles
    plain       string value for attributes (the edited reading; notes, breaks and residue dropped)

  Parameters:
    labels        JSON object of interface strings (templates/i18n/<lang>.toml, section "text")
    register-ids  space-separated ids of register entries that exist (links only to those)
    register-url  URL prefix of register pages, relative to a reading page ("../register/")
    site-root     the site's root, relative to the page the fragment stands on ("../" from a reading page)
    apparatus-lang  language of the editors' apparatus (edition.toml apparatus_language)
    running-max   characters of a running head (data-running on headings) before it is shortened
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:include href="modules/emit.xsl"/>
  <xsl:include href="modules/links.xsl"/>
  <xsl:include href="modules/structure.xsl"/>
  <xsl:include href="modules/transcription.xsl"/>
  <xsl:include href="modules/breaks.xsl"/>
  <xsl:include href="modules/notes.xsl"/>
  <xsl:include href="modules/names-dates.xsl"/>
  <xsl:include href="modules/header.xsl"/>
  <xsl:include href="modules/apparatus.xsl"/>
  <xsl:include href="modules/tei-blocks.xsl"/>
  <xsl:include href="modules/genres.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"/>

  <xsl:mode name="text" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="header" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="principles" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="plain" on-no-match="text-only-copy" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode on-no-match="fail"/>

  <xsl:param name="labels" as="xs:string" select="'{}'"/>
  <xsl:param name="register-ids" as="xs:string" select="''"/>
  <xsl:param name="register-url" as="xs:string" select="'../register/'"/>
  <xsl:param name="site-root" as="xs:string" select="'../'"/>
  <xsl:param name="apparatus-lang" as="xs:string" select="'en'"/>
  <xsl:param name="running-max" as="xs:integer" select="55"/>

  <xsl:template match="/">
    <xsl:apply-templates select="TEI"/>
  </xsl:template>

  <xsl:template match="TEI">
    <article class="edition" id="{@xml:id}" lang="{(text/@xml:lang, @xml:lang, 'und')[1]}"
             data-doc="{@xml:id}">
      <xsl:apply-templates select="teiHeader" mode="header"/>
      <xsl:apply-templates select="teiHeader" mode="principles"/>
      <div class="edition-text" lang="{(text/@xml:lang, @xml:lang, 'und')[1]}">
        <xsl:apply-templates select="text" mode="text"/>
      </div>
    </article>
  </xsl:template>

</xsl:stylesheet>
