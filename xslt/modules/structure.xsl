<?xml version="1.0" encoding="UTF-8"?>
<!--
  Structure (mode "text"): divisions, headings, paragraphs, quotations, lists, verse, tables,
  highlighting, titles, foreign words, references. Divisions become <section class="tei-div">,
  which the page builder splits into pages; their heading level follows their depth (h2…h6), and each
  heading carries its text as a running head (data-running, at most $running-max characters).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- Whitespace is the file's layout (one source line per XML line), never the text's: each run of it is
       one space, so no reader of the fragment (a browser, WeasyPrint, the plain text) sees a raw newline. -->
  <xsl:template match="text()" mode="text plain">
    <xsl:value-of select="e:collapse(.)"/>
  </xsl:template>

  <!-- the line-end whitespace before <lb break="no"/> is the file's layout, not a space in the word -->
  <xsl:template match="text()[following::node()[1][self::lb[@break = 'no']]]" mode="text plain" priority="1">
    <xsl:value-of select="replace(e:collapse(.), ' $', '')"/>
  </xsl:template>

  <!-- each run of whitespace as one space (normalize-space and two one-character tests: a regular
       expression over every text node of a large document costs a third of the transformation) -->
  <xsl:function name="e:collapse" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="inner" select="normalize-space($text)"/>
    <xsl:sequence select="if ($inner = '') then (if ($text = '') then '' else ' ')
                          else (if (normalize-space(substring($text, 1, 1)) = '') then ' ' else '') || $inner
                               || (if (normalize-space(substring($text, string-length($text))) = '') then ' ' else '')"/>
  </xsl:function>

  <xsl:template match="text | body | front | back | group" mode="text">
    <xsl:apply-templates mode="text"/>
  </xsl:template>

  <xsl:template match="div | div1 | div2 | div3 | div4 | div5" mode="text">
    <section class="{e:class(., @type)}" data-depth="{count(ancestor::div) + 1}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </section>
  </xsl:template>

  <xsl:template match="head" mode="text">
    <xsl:variable name="depth" select="count(ancestor::div) + 1"/>
    <xsl:element name="h{min((6, $depth + 1))}">
      <xsl:attribute name="class" select="e:class(., (@type, @rend))"/>
      <xsl:call-template name="e:attrs"/>
      <!-- the heading as a running head and PDF bookmark (print.css reads it) -->
      <xsl:variable name="plain" as="xs:string">
        <xsl:value-of><xsl:apply-templates mode="plain"/></xsl:value-of>
      </xsl:variable>
      <xsl:attribute name="data-running" select="e:shorten(normalize-space($plain), $running-max)"/>
      <xsl:apply-templates mode="text"/>
    </xsl:element>
  </xsl:template>

  <!-- a heading inside a list, table or verse group is a caption, not a section heading -->
  <xsl:template match="list/head | table/head | lg/head | figure/head" mode="text" priority="2">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'strong'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="p | ab" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'p'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- paragraphs that HTML cannot hold inside <p> (notes, quotes) become spans with the same class -->
  <xsl:template match="note//p | quote//p | item//p | cell//p | p//p" mode="text" priority="2">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="quote[@type = 'block'][not(ancestor::p | ancestor::note | ancestor::head)]" mode="text" priority="2">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'blockquote'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="quote | q | said" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="list[not(ancestor::p | ancestor::note | ancestor::head)]" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="if (@type = 'ordered') then 'ol' else 'ul'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="list[not(ancestor::p | ancestor::note | ancestor::head)]/item" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'li'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="list | item" mode="text" priority="-1">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="lg[not(ancestor::p | ancestor::note | ancestor::head)]" mode="text">
    <xsl:call-template name="e:block"/>
  </xsl:template>
  <xsl:template match="l" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="refine" select="'line'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="lg" mode="text" priority="-1">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="table[not(ancestor::p | ancestor::note)]" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'table'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="table[not(ancestor::p | ancestor::note)]/row" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'tr'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="table[not(ancestor::p | ancestor::note)]/row/cell" mode="text">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="'td'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="table | row | cell" mode="text" priority="-1">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="hi" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="
        if (contains(@rend, 'sup')) then 'sup'
        else if (contains(@rend, 'sub')) then 'sub'
        else if (matches(@rend, 'italic')) then 'i'
        else if (matches(@rend, 'bold')) then 'b'
        else 'span'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="emph | mentioned | term | soCalled" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'em'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="title" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'cite'"/>
      <xsl:with-param name="refine" select="@level"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="foreign | bibl | author | editor | pubPlace | publisher | biblScope | num | measure
                       | label | signed | salute | dateline | byline | docAuthor | docDate | opener | closer
                       | trailer | epigraph | argument | address | addrLine | w | c | pc | s | phr
                       | idno | affiliation | roleName | forename | surname | addName | genName" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <!-- blocks that may stand between paragraphs -->
  <xsl:template match="(opener | closer | trailer | epigraph | argument | byline | dateline | docAuthor
                       | docDate | signed | salute | bibl | label)[parent::div | parent::body | parent::front
                       | parent::back]" mode="text" priority="2">
    <xsl:call-template name="e:block"/>
  </xsl:template>

  <!-- A link only to a place in this document that exists, or to the web (http, https): the target passes
       e:safe-href (links.xsl) first; anything else (another scheme, a relative path to a file the site does
       not hold) is the element's text without a link. A ptr shows its target as text. -->
  <xsl:template match="ref | ptr" mode="text">
    <xsl:variable name="target" select="e:safe-href(tokenize(@target)[1])"/>
    <xsl:variable name="local" select="starts-with($target, '#') and exists(id(substring($target, 2)))"/>
    <xsl:choose>
      <xsl:when test="$local or e:is-web($target)">
        <a class="{e:class(., @type)}" href="{$target}">
          <xsl:if test="not($local)">
            <xsl:attribute name="rel" select="'noopener'"/>
          </xsl:if>
          <xsl:call-template name="e:attrs"/>
          <xsl:apply-templates mode="text"/>
          <xsl:if test="self::ptr">
            <xsl:value-of select="$target"/>
          </xsl:if>
        </a>
      </xsl:when>
      <xsl:when test="self::ptr">
        <span class="{e:class(., @type)}">
          <xsl:call-template name="e:attrs"/>
          <xsl:value-of select="normalize-space(@target)"/>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="e:inline"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="figure | graphic" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <!-- the editors' description of a picture the witness does not hold, after its caption: a word space between -->
  <xsl:template match="figDesc" mode="text">
    <xsl:if test="preceding-sibling::*"><xsl:text> </xsl:text></xsl:if>
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <!-- Elements without a rule of their own: genres.xsl (a block or a span that names them, by TEI P5). -->

  <!-- plain text (attributes): the edited reading, without notes, breaks, residue or source readings -->
  <xsl:template match="note | fw | choice/sic | choice/orig | choice/abbr | lb | pb | cb | milestone | figure" mode="plain"/>

</xsl:stylesheet>
