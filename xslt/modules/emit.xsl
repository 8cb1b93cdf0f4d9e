<?xml version="1.0" encoding="UTF-8"?>
<!--
  Output primitives: the only place that spells HTML class names and the view vocabulary.
  Every TEI element becomes an element with class "tei-<name>" (plus refinements such as
  "tei-note-editorial"), its xml:id as id and its xml:lang as lang.

  The view vocabulary (two attributes; every consumer keys on them, never on class names):
    data-view="diplomatic"   only in the diplomatic reading: the source's line breaks and printer's hyphens,
                             its readings where the editors corrected or regularised (sic, orig), columns,
                             page residue (fw)
    data-view="edited"       only in the edited reading: the editors' corrections and regularisations (corr, reg)
    (no data-view)           in both readings
    data-apparatus="note"    a note's body, standing at its call: not part of the running text
    data-apparatus="call"    a note's call mark
    data-apparatus="label"   the number a note's body opens with, as printed
    data-apparatus="kind"    what a note is, where its call does not say it ("Editors' note:")
    data-apparatus="page"    the source's page number (pb); "column" (cb), "milestone": markers beside the text
    data-apparatus="inference" the editors' mark after a date whose year they inferred ("[1917?]", a link to
                             the passage that gives the year): shown on screen and in print, not read as text
  Consumers: templates/assets/edition.css (screen), templates/print/print.css (print), the search index's
  exclusions (site/search.py), the plain text and every text reading of the fragment (html/fragment.py).

  Named templates: e:inline (span or another phrasing element), e:block (div or another block).
  Functions: e:label (interface string), e:class (class list for an element), e:view and e:apparatus
  (the vocabulary's attributes), e:shorten (a running head).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:variable name="e:labels" as="map(*)" select="parse-json($labels)"/>

  <!-- An interface string; the key itself when the label is missing, so a gap shows and is fixed. -->
  <xsl:function name="e:label" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="string(($e:labels($key), $key)[1])"/>
  </xsl:function>

  <!-- "tei-hi tei-hi-italic": the element's name, refined by a type or rend token where given. -->
  <xsl:function name="e:class" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="refine" as="xs:string*"/>
    <xsl:variable name="base" select="'tei-' || local-name($el)"/>
    <xsl:sequence select="string-join(($base, for $r in $refine[normalize-space()]
                                                return $base || '-' || replace(normalize-space($r), '[^\p{L}\p{N}_-]+', '-')), ' ')"/>
  </xsl:function>

  <!-- data-view="diplomatic" | "edited": the reading an element belongs to (see the header). -->
  <xsl:function name="e:view" as="attribute()">
    <xsl:param name="view" as="xs:string"/>
    <xsl:attribute name="data-view" select="$view"/>
  </xsl:function>

  <!-- data-apparatus="note" | "call" | "label" | "page" | "column" | "milestone" (see the header). -->
  <xsl:function name="e:apparatus" as="attribute()">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:attribute name="data-apparatus" select="$kind"/>
  </xsl:function>

  <!-- A running head: the text, cut at a word with an ellipsis when longer than $max characters. -->
  <xsl:function name="e:shorten" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:variable name="cut" select="if (string-length($text) le $max) then $text
                          else replace(replace(substring($text, 1, $max - 1), ' [^ ]*$', ''), '[ ,;:.–—-]+$', '') || '…'"/>
    <!-- a supplied title cut short keeps its closing bracket -->
    <xsl:sequence select="$cut || (if (string-length(replace($cut, '[^\[]', '')) gt string-length(replace($cut, '[^\]]', ''))) then ']' else '')"/>
  </xsl:function>

  <!-- The language of a text without xml:lang, told by its script (authors' names in the header). -->
  <xsl:function name="e:script-lang" as="xs:string?">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="cyrillic" select="string-length(replace($text, '[^&#x400;-&#x4FF;]', ''))"/>
    <xsl:variable name="greek" select="string-length(replace($text, '[^&#x370;-&#x3FF;&#x1F00;-&#x1FFF;]', ''))"/>
    <xsl:variable name="latin" select="string-length(replace($text, '[^A-Za-z]', ''))"/>
    <xsl:sequence select="if ($cyrillic gt max(($greek, $latin))) then 'ru'
                          else if ($greek gt max(($cyrillic, $latin))) then 'el' else ()"/>
  </xsl:function>

  <!-- id and lang of the current TEI element -->
  <xsl:template name="e:attrs">
    <xsl:if test="@xml:id">
      <xsl:attribute name="id" select="@xml:id"/>
    </xsl:if>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="e:inline">
    <xsl:param name="tag" as="xs:string" select="'span'"/>
    <xsl:param name="refine" as="xs:string*" select="(@type, @rend)"/>
    <xsl:element name="{$tag}">
      <xsl:attribute name="class" select="e:class(., $refine)"/>
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="e:block">
    <xsl:param name="tag" as="xs:string" select="'div'"/>
    <xsl:param name="refine" as="xs:string*" select="(@type, @rend)"/>
    <xsl:element name="{$tag}">
      <xsl:attribute name="class" select="e:class(., $refine)"/>
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </xsl:element>
  </xsl:template>

</xsl:stylesheet>
