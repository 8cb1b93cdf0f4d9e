<?xml version="1.0" encoding="UTF-8"?>
<!--
  Breaks (mode "text"): the source's lines, pages and columns.
    lb   <br class="tei-lb" data-view="diplomatic">; the first lb of a block starts no new line.
         break="no": class "tei-lb-nobreak" (the word goes on: no space around it in either reading);
         rend="hyphen" adds the printer's soft hyphen, <span class="tei-lb-hyphen" data-view="diplomatic">.
         Any other line end is a word space in the edited reading: when the text before it does not end
         with one, a space is written before the <br>, so hiding the <br> never glues two words.
    pb   <span class="tei-pb" data-apparatus="page">p. 75</span>, in the margin; an inferred number (type="inferred")
         in brackets, "[p. 44]", class tei-pb-inferred, its title saying it is the editors'; a pb without @n
         "[p.]", class tei-pb-unnumbered (a page begins, its number not given).
    cb   <span class="tei-cb" data-view="diplomatic" data-apparatus="column">, the column marker.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="lb" mode="text">
    <xsl:if test="@rend = 'hyphen'">
      <span class="tei-lb-hyphen" aria-hidden="true">
        <xsl:sequence select="e:view('diplomatic')"/>
        <xsl:text>-</xsl:text>
      </span>
    </xsl:if>
    <!-- a line that opens its block (only whitespace or other breaks before it) needs no break -->
    <xsl:variable name="block" select="(ancestor::*[self::p or self::ab or self::head or self::item or self::l
                                        or self::note or self::quote or self::cell or self::bibl][1], ..)[1]"/>
    <xsl:variable name="lb" select="."/>
    <xsl:variable name="opens" select="not($block//text()[. &lt;&lt; $lb][normalize-space()][not(ancestor::fw)])"/>
    <xsl:if test="not($opens)">
      <xsl:variable name="before" select="string(preceding-sibling::node()[1][self::text()])"/>
      <xsl:if test="not(@break = 'no') and normalize-space(substring($before, string-length($before))) != ''
                    or not(@break = 'no') and $before = ''">
        <xsl:text> </xsl:text>
      </xsl:if>
      <br class="{string-join(('tei-lb', if (@break = 'no') then 'tei-lb-nobreak' else ()), ' ')}" data-n="{@n}">
        <xsl:sequence select="e:view('diplomatic')"/>
      </br>
    </xsl:if>
  </xsl:template>

  <!-- an inferred number is the editors', not the source's: in brackets, and said so (title, aria-label).
       A pb without @n (other editions' TEI): a page of the source begins here, its number not given (TEI:
       "the physical sequence number is implicit in the presence of the pb element itself"): the editors'
       bracketed "[p.]", its title saying so, never a bare "p." that reads as a number lost. -->
  <xsl:template match="pb" mode="text">
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <span class="{e:class(., (@type, 'unnumbered'[$n = ''])[1])}" data-n="{$n}" role="doc-pagebreak"
          aria-label="{if ($n = '') then e:label('pb.unnumbered')
                       else e:label('pb.aria') || ' ' || $n || (if (@type = 'inferred') then ', ' || e:label('pb.inferred') else '')}">
      <xsl:sequence select="e:apparatus('page')"/>
      <xsl:if test="@type = 'inferred' or $n = ''">
        <xsl:attribute name="title" select="e:label(if ($n = '') then 'pb.unnumbered' else 'pb.inferred')"/>
      </xsl:if>
      <xsl:call-template name="e:attrs"/>
      <xsl:value-of select="if (@type = 'inferred' or $n = '') then '[' || string-join((e:label('pb'), $n[. != '']), ' ') || ']'
                            else e:label('pb') || ' ' || $n"/>
    </span>
  </xsl:template>

  <xsl:template match="cb" mode="text">
    <span class="tei-cb" data-n="{@n}" aria-hidden="true">
      <xsl:sequence select="e:view('diplomatic'), e:apparatus('column')"/>
      <xsl:value-of select="'‖' || e:label('cb') || ' ' || @n || '‖'"/>
    </span>
  </xsl:template>

  <xsl:template match="milestone" mode="text">
    <span class="{e:class(., @unit)}" data-n="{@n}">
      <xsl:sequence select="e:apparatus('milestone')"/>
    </span>
  </xsl:template>

</xsl:stylesheet>
