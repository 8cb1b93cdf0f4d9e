<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription (mode "text"): editorial interventions and the source's own apparatus.
  Both readings of a <choice> are emitted, each marked with the reading it belongs to (emit.xsl):
    choice/sic, choice/orig, choice/abbr     tei-sic, tei-orig, tei-abbr   data-view="diplomatic"
    choice/corr, choice/reg, choice/expan    tei-corr, tei-reg, tei-expan  data-view="edited"
    A note inside a diplomatic-only reading is written after the <choice>, so it stands in both readings.
    A sic/corr or orig/reg that no editors' note explains gets one written here (notes.xsl, e:correction-note),
    lettered with the editors' notes: no correction is silent in any output.
    supplied                   tei-supplied, its square brackets written as text (tei-supplied-mark)
    gap                        tei-gap: "[…]", or the missing-note label inside a text-missing note
    seg[@type='source-editorial']  the source's own brackets, kept as text
    fw[@type='separator'] between two divisions: a section break shown in both readings (p.tei-fw-separator)
    fw                         residue (page numbers, running heads, captions): tei-fw, data-view="diplomatic"
                               (a note on residue goes with it: the edited reading shows no residue)
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="choice" mode="text">
    <span class="{e:class(., ())}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates select="sic, corr, orig, reg, abbr, expan, unclear" mode="text"/>
    </span>
    <xsl:apply-templates select="(sic | orig | abbr)/note" mode="text"/>
    <!-- no silent correction: one without a note gets the editors' lettered note (notes.xsl); inside a name,
         after the name (a link holds no link) -->
    <xsl:if test="e:silent-choice(.) and not(ancestor::*[self::persName | self::orgName | self::placeName | self::rs | self::name])">
      <xsl:call-template name="e:correction-note">
        <xsl:with-param name="choice" select="."/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- the source's reading, where the editors give another (notes inside: after the choice) -->
  <xsl:template match="choice/sic | choice/orig | choice/abbr" mode="text">
    <span class="{'tei-' || local-name()}">
      <xsl:sequence select="e:view('diplomatic')"/>
      <xsl:if test="self::sic">
        <xsl:attribute name="title" select="e:label('sic.title')"/>
      </xsl:if>
      <xsl:apply-templates select="node() except note" mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/corr" mode="text">
    <span class="tei-corr" title="{e:label('corr.title') || ' ' || e:source-reading(../sic)}">
      <xsl:sequence select="e:view('edited')"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/reg" mode="text">
    <span class="tei-reg" title="{e:label('reg.title') || ' ' || e:source-reading(../orig)}">
      <xsl:sequence select="e:view('edited')"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/expan" mode="text">
    <span class="tei-expan">
      <xsl:sequence select="e:view('edited')"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <!-- the text of a source reading, for a tooltip -->
  <xsl:function name="e:source-reading" as="xs:string">
    <xsl:param name="el" as="element()*"/>
    <!-- leaving out the notes inside it (not those it stands in: a correction inside a note) -->
    <xsl:sequence select="string-join($el/descendant::text()[empty(ancestor::note except $el/ancestor::note)], '')"/>
  </xsl:function>

  <xsl:template match="sic | corr | orig | reg | unclear | add | del | damage | restore | abbr | expan" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <!-- What the editors supplied, in square brackets that are text (not drawn by CSS), so every reader of the
       fragment shows them: the page, the PDF, the plain text, the search index, the contents, a running head
       (mode plain). The diplomatic view draws its own marks instead (edition.css). -->
  <xsl:template match="supplied" mode="text">
    <span class="{e:class(., @reason)}" title="{e:label('supplied.title')}">
      <xsl:call-template name="e:attrs"/>
      <span class="tei-supplied-mark">[</span>
      <xsl:apply-templates mode="text"/>
      <span class="tei-supplied-mark">]</span>
    </span>
  </xsl:template>

  <xsl:template match="supplied" mode="plain">
    <xsl:text>[</xsl:text>
    <xsl:apply-templates mode="plain"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="gap" mode="text">
    <span class="{e:class(., @reason)}">
      <xsl:choose>
        <xsl:when test="parent::note[@subtype = 'text-missing']">
          <xsl:attribute name="lang" select="$apparatus-lang"/>
          <xsl:value-of select="e:label('note.text-missing')"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="title" select="e:label('gap.title')"/>
          <xsl:text>[…]</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="seg" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="refine" select="(@type, @subtype)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The source's section break between two divisions («***» in 001 and 004): a visible break in both
       readings, as printed. Elsewhere (above footnotes) a separator is residue like any fw. -->
  <xsl:template match="fw[@type = 'separator'][parent::div | parent::body][preceding-sibling::div][following-sibling::div]"
                mode="text" priority="2">
    <p class="tei-fw tei-fw-separator" role="separator" title="{e:label('fw.separator')}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </p>
  </xsl:template>

  <xsl:template match="fw" mode="text">
    <span class="{e:class(., @type)}" aria-hidden="true">
      <xsl:sequence select="e:view('diplomatic')"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

</xsl:stylesheet>
