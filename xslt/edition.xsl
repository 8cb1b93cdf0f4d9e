<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI → HTML fragment: the one rendering of the text, shared by the web and the print edition.

  Output: <article class="edition" id="dNNN" lang="…"> holding
    <header class="edition-source">  the TEI header as a readable source description (mode "header")
    <div class="edition-text">        the reading text (mode "text")
  Never page chrome (head, navigation, footer: Jinja's job). Web and print differ in CSS, not here:
  every reading the views need is emitted (sic and corr, soft hyphens, line breaks, supplied text),
  and CSS shows one or the other.

  Modes:
    text    the reading text (structure, transcription, breaks, notes, names and dates)
    header  the teiHeader as a source description
    plain   string value for attributes and tables of contents (notes, breaks and residue dropped)

  Parameters:
    labels        JSON object of interface strings (templates/i18n/<lang>.toml, section "text")
    register-ids  space-separated ids of register entries that exist (links only to those)
    register-url  URL prefix of register pages (the web: "../register/"; print may pass "#")
    apparatus-lang  language of the editors' apparatus (edition.toml apparatus_language)
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

  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"/>

  <xsl:mode name="text" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="header" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="plain" on-no-match="text-only-copy" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode on-no-match="fail"/>

  <xsl:param name="labels" as="xs:string" select="'{}'"/>
  <xsl:param name="register-ids" as="xs:string" select="''"/>
  <xsl:param name="register-url" as="xs:string" select="'../register/'"/>
  <xsl:param name="apparatus-lang" as="xs:string" select="'en'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="TEI"/>
  </xsl:template>

  <xsl:template match="TEI">
    <article class="edition" id="{@xml:id}" lang="{(text/@xml:lang, @xml:lang, 'und')[1]}"
             data-doc="{@xml:id}">
      <xsl:apply-templates select="teiHeader" mode="header"/>
      <div class="edition-text" lang="{(text/@xml:lang, @xml:lang, 'und')[1]}">
        <xsl:apply-templates select="text" mode="text"/>
      </div>
    </article>
  </xsl:template>

</xsl:stylesheet>
