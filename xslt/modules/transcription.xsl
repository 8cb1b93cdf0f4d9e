<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription (mode "text"): editorial interventions and the source's own apparatus.
  Both readings of a <choice> are emitted; CSS shows corr (edited view) or sic (diplomatic view).
    choice/sic, choice/corr    tei-sic, tei-corr
    choice/orig, choice/reg    tei-orig (shown in both views), tei-reg (shown on demand)
    supplied                   tei-supplied (brackets drawn by CSS, stronger in the diplomatic view)
    gap                        tei-gap: "[…]", or the missing-note label inside a text-missing note
    seg[@type='source-editorial']  the source's own brackets, kept as text
    fw                         residue (page numbers, running heads): tei-fw, diplomatic view only
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
  </xsl:template>

  <xsl:template match="choice/sic" mode="text">
    <span class="tei-sic" title="{e:label('sic.title')}">
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/corr" mode="text">
    <span class="tei-corr" title="{e:label('corr.title') || ' ' || string-join(../sic/descendant::text()[not(ancestor::note)], '')}">
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/orig" mode="text">
    <span class="tei-orig" title="{e:label('reg.title') || ' ' || string-join(../reg/descendant::text()[not(ancestor::note)], '')}">
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/reg" mode="text">
    <span class="tei-reg">
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

  <xsl:template match="sic | corr | orig | reg | unclear | add | del | damage | restore" mode="text">
    <xsl:call-template name="e:inline"/>
  </xsl:template>

  <xsl:template match="supplied" mode="text">
    <span class="{e:class(., @reason)}" title="{e:label('supplied.title')}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </span>
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

  <xsl:template match="fw" mode="text">
    <span class="{e:class(., @type)}" aria-hidden="true">
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

</xsl:stylesheet>
