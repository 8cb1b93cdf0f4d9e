<?xml version="1.0" encoding="UTF-8"?>
<!--
  Notes (mode "text"): a note is rendered where it stands, at its call; how it looks is decided here and
  in the two stylesheets only:
    <span class="tei-note tei-note-authorial [tei-note-text-missing]" id="dNNN-n3" data-n="15">
      <a class="tei-note-call" data-apparatus="call" href="#dNNN-n3-body" role="doc-noteref">15</a>
      <span class="tei-note-body" data-apparatus="note" id="dNNN-n3-body" lang="…"><span
            class="tei-note-label" data-apparatus="label">15</span> …text…</span>
    </span>
  An editors' note's body also says what it is: <span class="tei-note-kind" data-apparatus="kind">Editors'
  note:</span> after its label (shown in the page's notes list and the plain text, hidden elsewhere).
  Screen CSS hides the body in the text (a script shows it as a popover; without scripts the call's link
  opens it in place, :target; the page lists every note at its end); print CSS floats the body into the
  footnote area, where the call's link finds it.
  Authorial notes keep the source's call (@n, @rend bracket/paren); editors' notes are lettered a, b, c…
  A note inside a note (an editors' remark on a source note) is part of the outer note's body.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- An editors' note (the same rule as tei_edition/editorial.py, editors_note). -->
  <xsl:function name="e:is-editorial" as="xs:boolean">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="$note/@type = 'editorial' or exists($note/@resp)"/>
  </xsl:function>

  <!-- The language of a note's text: its own, the apparatus language for the editors', else inherited. -->
  <xsl:function name="e:note-lang" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:sequence select="string(($note/@xml:lang, if (e:is-editorial($note)) then $apparatus-lang else (),
                                  ($note/ancestor::*/@xml:lang)[last()], 'und')[1])"/>
  </xsl:function>

  <!-- A stable id for a note without xml:id (an editors' note on a correction): from what it points to,
       else from the nearest element with an id, so rebuilding never changes a note's address. -->
  <xsl:function name="e:note-id" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:variable name="anc" select="$note/ancestor::*[@xml:id][1]"/>
    <xsl:sequence select="
        if ($note/@xml:id) then string($note/@xml:id)
        else if (starts-with($note/@target, '#')) then substring-after(tokenize($note/@target)[1], '#') || '-note'
        else string(($anc/@xml:id, 'note')[1]) || '-note'
             || (count($note/preceding::note[not(@xml:id)][ancestor::*[@xml:id][1] is $anc]) + 1)"/>
  </xsl:function>

  <!-- Editors' notes are lettered in document order; counted once, not per note. -->
  <xsl:variable name="e:editorial-notes" select="//note[e:is-editorial(.)][not(ancestor::note)]"/>
  <xsl:variable name="e:editorial-index" as="map(*)"
      select="map:merge(for $i in 1 to count($e:editorial-notes) return map{generate-id($e:editorial-notes[$i]): $i})"/>

  <!-- The call as the reader sees it: the source's own, or a letter for the editors' notes. -->
  <xsl:function name="e:note-call" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:choose>
      <xsl:when test="e:is-editorial($note)">
        <xsl:number value="$e:editorial-index(generate-id($note))" format="a"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="n" select="string(($note/@n, $note/label, '*')[1])"/>
        <xsl:sequence select="if ($note/@rend = 'bracket') then '[' || $n || ']'
                              else if ($note/@rend = 'paren') then '(' || $n || ')'
                              else $n"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="note" mode="text">
    <xsl:variable name="id" select="e:note-id(.)"/>
    <xsl:variable name="kind" select="if (e:is-editorial(.)) then 'editorial' else (@type, 'authorial')[1]"/>
    <span class="{string-join(('tei-note', 'tei-note-' || $kind, @subtype ! ('tei-note-' || .),
                               @place ! ('tei-note-place-' || .)), ' ')}"
          id="{$id}">
      <xsl:if test="@n">
        <xsl:attribute name="data-n" select="@n"/>
      </xsl:if>
      <a class="tei-note-call" href="#{$id}-body" role="doc-noteref"
         aria-label="{e:label('note.' || $kind) || ' ' || e:note-call(.)}">
        <xsl:sequence select="e:apparatus('call')"/>
        <xsl:value-of select="e:note-call(.)"/>
      </a>
      <span class="tei-note-body" id="{$id}-body">
        <xsl:sequence select="e:apparatus('note')"/>
        <xsl:attribute name="lang" select="e:note-lang(.)"/>
        <span class="tei-note-label">
          <xsl:sequence select="e:apparatus('label')"/>
          <xsl:value-of select="if (label) then normalize-space(label[1]) else e:note-call(.)"/>
        </span>
        <!-- its space inside: where the kind is hidden (text, print), label and text keep one space between them -->
        <xsl:if test="e:is-editorial(.)">
          <span class="tei-note-kind">
            <xsl:sequence select="e:apparatus('kind')"/>
            <xsl:value-of select="' ' || e:label('note.editorial') || ':'"/>
          </span>
        </xsl:if>
        <!-- one space after the label (the note's own text may begin with one) -->
        <xsl:if test="not(starts-with(translate(string((node() except label[1])[1]), '&#10;&#13;&#9;', '   '), ' '))">
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:apply-templates select="node() except label[1]" mode="text"/>
      </span>
    </span>
  </xsl:template>

  <!-- an editors' remark inside a note: part of its body, marked as the editors' -->
  <xsl:template match="note//note" mode="text" priority="2">
    <xsl:text> </xsl:text>
    <span class="{string-join(('tei-note-inner', 'tei-note-inner-' || (if (e:is-editorial(.)) then 'editorial' else (@type, 'authorial')[1])), ' ')}"
          lang="{e:note-lang(.)}">
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="e:is-editorial(.)">
        <span class="tei-note-inner-label">
          <xsl:value-of select="e:label('note.editorial.inner')"/>
        </span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>

</xsl:stylesheet>
