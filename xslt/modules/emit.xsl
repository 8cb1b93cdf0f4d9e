<?xml version="1.0" encoding="UTF-8"?>
<!--
  Output primitives: the only place that spells HTML class names and common attributes.
  Every TEI element becomes an element with class "tei-<name>" (plus refinements such as
  "tei-note-editorial"), its xml:id as id and its xml:lang as lang.
  Named templates: e:inline (span or another phrasing element), e:block (div or another block).
  Functions: e:label (interface string), e:class (class list for an element).
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
