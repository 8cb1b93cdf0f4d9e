<?xml version="1.0" encoding="UTF-8"?>
<!--
  The editors' apparatus (mode "text"): references to the edition's own files become links to the pages the
  site makes of them. The editors' texts (tei/front/*.xml: the introductions, "About this edition") point into
  the documents, the register, the chronology and the bibliography by the files' TEI addresses; the reader
  follows them to the website:
    dNNN.xml#x                      → id/x.html (the stable address of a division, paragraph or note)
    dNNN.xml                        → dNNN/index.html (the document's first reading page)
    register/events.xml#ev-x, #ev-x → chronology.html#ev-x
    register/bibliography.xml#bib-x, #bib-x → bibliography.html#bib-x
    register/abbreviations.xml#abbr-x, #abbr-x → abbreviations.html#abbr-x
    register/persons.xml#pers-x (organisations, places) → register/pers-x.html
    about.xml, introduction.xml     → about.html, index.html
  A leading "../" (a file of tei/front/ pointing to tei/) is the same place. Only the editors' divisions
  (div[@resp="#ed"]) are read so: in a document's text a pointer to another file stays text, as links.xsl says. Every address is relative to the
  site's root ($site-root: "../" from a reading page, "" from a page at the root).
  bibl[@corresp="#bib-x"] (a citation pointed to its bibliography entry) is a link to that entry, carrying
  data-bibl (the entry id) so the site and print can list the passages citing each work, and an id (its xml:id,
  else "{document}-cit{n}", n counting the text's citations in order) where the print index of cited authors finds
  the page it landed on.
  abbr[@corresp="#abbr-x"] (an abbreviation of the text pointed to its entry) is a link to
  abbreviations.html#abbr-x carrying data-abbr, or inside a name's link an <abbr data-abbr>.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- The site address (relative to the site's root) of a place in the edition's files; empty when the target
       is not one (a web address, a place in this document, anything else). -->
  <xsl:function name="e:edition-href" as="xs:string?">
    <xsl:param name="target" as="xs:string?"/>
    <xsl:variable name="t" select="replace(string($target), '^(\.\./)+', '')"/>
    <xsl:variable name="file" select="substring-before($t || '#', '#')"/>
    <xsl:variable name="id" select="substring-after($t, '#')"/>
    <xsl:variable name="plain-id" select="matches($id, '^[A-Za-z][A-Za-z0-9_.-]*$')"/>
    <xsl:sequence select="
        if (matches($file, '^d[0-9]+\.xml$') and $plain-id) then 'id/' || $id || '.html'
        else if (matches($file, '^d[0-9]+\.xml$') and $id = '') then substring-before($file, '.xml') || '/index.html'
        else if (not($plain-id)) then
          (if ($file = 'about.xml') then 'about.html' else if ($file = 'introduction.xml') then 'index.html' else ())
        else if ($file = ('', 'register/events.xml') and starts-with($id, 'ev-')) then 'chronology.html#' || $id
        else if ($file = ('', 'register/bibliography.xml') and starts-with($id, 'bib-')) then 'bibliography.html#' || $id
        else if ($file = ('', 'register/abbreviations.xml') and starts-with($id, 'abbr-')) then 'abbreviations.html#' || $id
        else if ($file = ('register/persons.xml', 'register/organisations.xml', 'register/places.xml', '')
                 and matches($id, '^(pers|org|place)-')) then 'register/' || $id || '.html'
        else ()"/>
  </xsl:function>

  <!-- the entry a bibl points to: "#bib-x" → "bib-x" -->
  <xsl:function name="e:bibl-entry" as="xs:string?">
    <xsl:param name="bibl" as="element()"/>
    <xsl:variable name="id" select="replace(string(tokenize($bibl/@corresp)[1]), '^[^#]*#', '')"/>
    <xsl:sequence select="if (starts-with($id, 'bib-') and matches($id, '^[A-Za-z0-9_.-]+$')) then $id else ()"/>
  </xsl:function>

  <!-- the citations of the text, numbered once in document order (as the mentions: names-dates.xsl) -->
  <xsl:variable name="e:citations" select="/TEI/text//bibl[@corresp][not(@xml:id)]"/>
  <xsl:variable name="e:citation-index" as="map(*)"
      select="map:merge(for $i in 1 to count($e:citations) return map{generate-id($e:citations[$i]): $i})"/>

  <!-- a reference to another file of the edition (not to a place in this document, which ref's own rule links) -->
  <xsl:template match="ref[ancestor::div[@resp = '#ed']][exists(e:edition-href(tokenize(@target)[1]))
                           and not(starts-with(@target, '#') and exists(id(substring(@target, 2))))]" mode="text" priority="1">
    <a class="{e:class(., @type)}" href="{$site-root || e:edition-href(tokenize(@target)[1])}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </a>
  </xsl:template>

  <!-- a citation pointed to its bibliography entry: a link to the entry (a bibl standing between paragraphs
       keeps its block, the link inside it) -->
  <xsl:template match="bibl[exists(e:bibl-entry(.))]" mode="text" priority="3">
    <xsl:variable name="entry" select="e:bibl-entry(.)"/>
    <xsl:variable name="link" as="element()">
      <xsl:element name="{if (e:holds-links(.)) then 'span' else 'a'}">
        <xsl:attribute name="class" select="e:class(., @type)"/>
        <xsl:if test="not(e:holds-links(.))">
          <xsl:attribute name="href" select="$site-root || 'bibliography.html#' || $entry"/>
        </xsl:if>
        <xsl:attribute name="data-bibl" select="$entry"/>
        <xsl:if test="map:contains($e:citation-index, generate-id())">
          <xsl:attribute name="id" select="/TEI/@xml:id || '-cit' || $e:citation-index(generate-id())"/>
        </xsl:if>
        <xsl:call-template name="e:attrs"/>
        <xsl:apply-templates mode="text"/>
      </xsl:element>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="parent::div | parent::body | parent::front | parent::back">
        <div class="tei-bibl-block"><xsl:sequence select="$link"/></div>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$link"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a citation holding a link of its own (the cited passage, a name, a note): as no link may hold another,
       one run of its own words links to the entry, the one with most letters (mostly the title: a link named
       by what it cites), not every run between its names and dates (a patchwork of links, each a stop) -->
  <xsl:template match="bibl[exists(e:bibl-entry(.))][e:holds-links(.)]/text()[normalize-space()]" mode="text" priority="2">
    <xsl:variable name="runs" select="../text()[normalize-space()]"/>
    <xsl:variable name="most" select="max($runs ! string-length(replace(., '\P{L}', '')))"/>
    <xsl:choose>
      <xsl:when test=". is $runs[string-length(replace(., '\P{L}', '')) = $most][1]">
        <!-- the punctuation and spaces around the words stay outside the link -->
        <xsl:variable name="run" as="xs:string"><xsl:value-of><xsl:next-match/></xsl:value-of></xsl:variable>
        <xsl:variable name="href" select="$site-root || 'bibliography.html#' || e:bibl-entry(..)"/>
        <xsl:for-each select="analyze-string($run, '[^\s,.;:(][\s\S]*[^\s,.;:(]|[^\s,.;:(]')/*">
          <xsl:choose>
            <xsl:when test="local-name() = 'match'"><a href="{$href}"><xsl:value-of select="."/></a></xsl:when>
            <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:next-match/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a citation holding what becomes a link of its own: a reference, a name of the register, a note's call -->
  <xsl:function name="e:holds-links" as="xs:boolean">
    <xsl:param name="bibl" as="element()"/>
    <xsl:sequence select="exists($bibl//(ref | ptr | note | persName | orgName | placeName | name | rs
                                         | abbr[exists(e:abbr-entry(.))]))"/>
  </xsl:function>

  <!-- the entry of the list of abbreviations an abbreviation of the text points to: "#abbr-x" → "abbr-x" -->
  <xsl:function name="e:abbr-entry" as="xs:string?">
    <xsl:param name="abbr" as="element()"/>
    <xsl:variable name="id" select="replace(string(tokenize($abbr/@corresp)[1]), '^[^#]*#', '')"/>
    <xsl:sequence select="if (starts-with($id, 'abbr-') and matches($id, '^[A-Za-z0-9_.-]+$')) then $id else ()"/>
  </xsl:function>

  <!-- an abbreviation of the text pointed to its entry in the list of abbreviations (edition annotate): a link
       to the entry, carrying data-abbr (the site's popover shows the expansion); inside a name that is a link
       (or a reference) an <abbr> with data-abbr, whose expansion the name's popover shows -->
  <xsl:template match="abbr[not(parent::choice)][exists(e:abbr-entry(.))]" mode="text" priority="1">
    <xsl:variable name="entry" select="e:abbr-entry(.)"/>
    <xsl:choose>
      <xsl:when test="ancestor::*[self::persName | self::orgName | self::placeName | self::rs | self::name][e:links(.)]
                      or ancestor::ref">
        <abbr class="{e:class(., ())}" data-abbr="{$entry}">
          <xsl:call-template name="e:attrs"/>
          <xsl:apply-templates mode="text"/>
        </abbr>
      </xsl:when>
      <xsl:otherwise>
        <a class="{e:class(., ())} tei-abbr-link" href="{$site-root}abbreviations.html#{$entry}" data-abbr="{$entry}">
          <xsl:call-template name="e:attrs"/>
          <abbr><xsl:apply-templates mode="text"/></abbr>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="citedRange" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

</xsl:stylesheet>
