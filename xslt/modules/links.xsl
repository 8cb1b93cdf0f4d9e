<?xml version="1.0" encoding="UTF-8"?>
<!--
  Links (the one gate for every href whose value comes from the TEI).
    e:safe-href($url)  the URL when it may be an href, else the empty sequence (the caller then renders
                       plain text, no link). Allowed: http: and https: with a host, "#fragment", and
                       relative paths. Refused: every other scheme (javascript:, data:, vbscript:, file:,
                       mailto:, …), protocol-relative "//host" (it hides which scheme and host are meant;
                       the edition writes full URLs), backslashes (browsers read "\" as "/", so "/\host" is
                       "//host"), whitespace and control characters (browsers drop them inside a scheme).
  A fragment is only a string here; whether it names an element of the document is the caller's business.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:function name="e:safe-href" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="u" select="string($url)"/>
    <xsl:sequence select="
        if ($u = '' or matches($u, '[\s\p{Cc}\\]')) then ()
        else if (starts-with($u, '#')) then $u
        else if (matches($u, '^https?://[^/?#]', 'i')) then $u
        else if (starts-with($u, '//') or matches($u, '^[^/?#]*:')) then ()
        else $u"/>
  </xsl:function>

  <!-- an absolute web link (http: or https:), as opposed to a place in this edition -->
  <xsl:function name="e:is-web" as="xs:boolean">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:sequence select="exists(e:safe-href($url)) and matches($url, '^https?:', 'i')"/>
  </xsl:function>

</xsl:stylesheet>
