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

  <!-- The editors' lettered series, one letter per note, in document order: their notes (also those inside
       another note) and their corrections and regularisations that carry no note of their own (a choice with
       sic/corr or orig/reg that no note points to: the edition makes no silent correction, so the XSLT writes
       one saying what the source reads). A note that repeats an earlier one of its division word for word (d002's
       remark on its five missing note texts), or of its paragraph in a long division (d003's wrong name corrected
       up to four times in one paragraph), keeps that one's letter and is printed once, where it first stands. -->
  <xsl:key name="e:note-target" match="note[@target]" use="tokenize(@target) ! substring-after(., '#')"/>

  <xsl:function name="e:silent-choice" as="xs:boolean">
    <xsl:param name="choice" as="element(choice)"/>
    <xsl:sequence select="exists($choice/(sic | orig)) and exists($choice/(corr | reg)) and empty($choice//note)
                          and not($choice/@xml:id and exists(key('e:note-target', string($choice/@xml:id), root($choice))))"/>
  </xsl:function>

  <!-- what makes two items of the series the same note: the same words in the same short division, or, in a
       long one, in the same paragraph. The call of a repetition must find the body on its reading page and, in
       print, near it: a short division (d002's four paragraphs) is one reading page and two or three printed
       ones; a long one is cut over pages anywhere, but never inside a paragraph (site/pages.py), so d003's
       sixteen corrections of a wrong name share a note per paragraph: 7 notes, each correction still marked
       in the text (its corr) and called. -->
  <xsl:variable name="e:short-division" as="xs:integer" select="6000"/>
  <xsl:function name="e:series-key" as="xs:string">
    <xsl:param name="item" as="element()"/>
    <xsl:variable name="div" select="$item/ancestor::div[1]"/>
    <xsl:variable name="block" select="$item/ancestor::*[self::p or self::ab or self::item or self::cell
                                       or self::head or self::note or self::lg][1]"/>
    <xsl:sequence select="(if (exists($div) and string-length(string($div)) le $e:short-division) then generate-id($div)
                           else if (exists($block)) then generate-id($block)
                           else generate-id($item)) || '|' || (if ($item/self::choice)
                          then local-name(($item/corr, $item/reg)[1]) || ':' || e:source-reading($item/(sic | orig))
                          else 'note:' || normalize-space(string($item)))"/>
  </xsl:function>

  <xsl:variable name="e:series" as="element()*"
      select="/TEI/text//(note[e:is-editorial(.)] | choice[e:silent-choice(.)])"/>
  <!-- generate-id(item) → map{'n': its letter's number, 'first': the item that is printed} -->
  <xsl:variable name="e:series-index" as="map(*)">
    <xsl:iterate select="$e:series">
      <xsl:param name="by-key" as="map(*)" select="map{}"/>
      <xsl:param name="by-item" as="map(*)" select="map{}"/>
      <xsl:on-completion select="$by-item"/>
      <xsl:variable name="key" select="e:series-key(.)"/>
      <xsl:variable name="entry" select="($by-key($key), map{'n': map:size($by-key) + 1, 'first': .})[1]"/>
      <xsl:next-iteration>
        <xsl:with-param name="by-key" select="map:put($by-key, $key, $entry)"/>
        <xsl:with-param name="by-item" select="map:put($by-item, generate-id(.), $entry)"/>
      </xsl:next-iteration>
    </xsl:iterate>
  </xsl:variable>

  <!-- the letter of an item of the editors' series -->
  <xsl:function name="e:letter" as="xs:string">
    <xsl:param name="item" as="element()"/>
    <xsl:number value="$e:series-index(generate-id($item))?n" format="a"/>
  </xsl:function>

  <!-- whether this item is the one printed (not a repetition of an earlier one) -->
  <xsl:function name="e:printed" as="xs:boolean">
    <xsl:param name="item" as="element()"/>
    <xsl:sequence select="$e:series-index(generate-id($item))?first is $item"/>
  </xsl:function>

  <!-- the id of an item of the series (a note's, or a correction's note) -->
  <xsl:function name="e:item-id" as="xs:string">
    <xsl:param name="item" as="element()"/>
    <xsl:variable name="anc" select="$item/ancestor::*[@xml:id][1]"/>
    <xsl:sequence select="if ($item/self::note) then e:note-id($item)
                          else if ($item/@xml:id) then $item/@xml:id || '-note'
                          else string(($anc/@xml:id, 'choice')[1]) || '-corr'
                               || (count(($anc, root($item))[1]//choice[. &lt;&lt; $item][e:silent-choice(.)]
                                         [ancestor::*[@xml:id][1] is $anc]) + 1)"/>
  </xsl:function>

  <!-- The call as the reader sees it: the source's own, or a letter for the editors' notes. -->
  <xsl:function name="e:note-call" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:choose>
      <xsl:when test="e:is-editorial($note)">
        <xsl:sequence select="e:letter($note)"/>
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
      <xsl:call-template name="e:note-body">
        <xsl:with-param name="id" select="$id"/>
        <xsl:with-param name="lang" select="e:note-lang(.)"/>
        <xsl:with-param name="label" select="if (label) then normalize-space(label[1]) else e:note-call(.)"/>
        <xsl:with-param name="editorial" select="e:is-editorial(.)"/>
        <xsl:with-param name="content" select="node() except label[1]"/>
      </xsl:call-template>
    </span>
    <xsl:call-template name="e:series-bodies"/>
  </xsl:template>

  <!-- A note the witness prints without a call in the text (subtype="call-missing": an endnote under its
       «Примечания», a web address at a page foot). There is no call to open it from, so it is not apparatus
       hung on a call but text standing where the witness prints it: a block (inline inside a paragraph) with
       its printed label, the editors' word on what it is ("Endnote; the witness prints no call for it"),
       and its text; the editors' notes on it keep their lettered calls, their bodies after it. Never a
       lone call mark («*», «xiii») standing between paragraphs. -->
  <xsl:template match="note[@subtype = 'call-missing'][not(e:is-editorial(.))][not(ancestor::note)]" mode="text" priority="2">
    <xsl:variable name="kind" select="'note.uncalled' || (if (@place = ('end', 'foot')) then '.' || @place else '')"/>
    <xsl:variable name="label" select="normalize-space((label[1], @n)[1])"/>
    <xsl:element name="{if (parent::p or ancestor::*[self::p or self::head or self::l or self::item or self::cell]) then 'span' else 'div'}">
      <xsl:attribute name="class" select="string-join(('tei-note', 'tei-note-' || (@type, 'authorial')[1],
                                          'tei-note-call-missing', @place ! ('tei-note-place-' || .)), ' ')"/>
      <xsl:attribute name="id" select="e:note-id(.)"/>
      <xsl:attribute name="role" select="'note'"/>
      <xsl:attribute name="lang" select="e:note-lang(.)"/>
      <xsl:if test="@n">
        <xsl:attribute name="data-n" select="@n"/>
      </xsl:if>
      <xsl:if test="$label">
        <span class="tei-note-uncalled-label"><xsl:value-of select="$label"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <span class="tei-note-uncalled-kind" lang="{$apparatus-lang}"><xsl:value-of select="e:label($kind)"/></span>
      <xsl:text> </xsl:text>
      <xsl:apply-templates select="node() except label[1]" mode="text"/>
    </xsl:element>
    <xsl:call-template name="e:series-bodies"/>
  </xsl:template>

  <!-- A note's body (data-apparatus="note"): its label, what it is (the editors'), its text. A long one
       (more than e:long-note characters) is also "tei-note-long": print sets it a little smaller, as WeasyPrint
       cannot split a footnote and a tall one moving with its call leaves a blank above the notes. -->
  <xsl:variable name="e:long-note" as="xs:integer" select="350"/>
  <xsl:template name="e:note-body">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="lang" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="editorial" as="xs:boolean"/>
    <xsl:param name="content" as="node()*"/>
    <xsl:param name="generated" as="element()?"/>
    <span class="{'tei-note-body' || (if (string-length(normalize-space(string-join($content ! string(.)))) gt $e:long-note) then ' tei-note-long' else '')}" id="{$id}-body">
      <xsl:sequence select="e:apparatus('note')"/>
      <xsl:attribute name="lang" select="$lang"/>
      <span class="tei-note-label">
        <xsl:sequence select="e:apparatus('label')"/>
        <xsl:value-of select="$label"/>
      </span>
      <!-- its space inside: where the kind is hidden (text, print), label and text keep one space between them -->
      <xsl:if test="$editorial">
        <span class="tei-note-kind">
          <xsl:sequence select="e:apparatus('kind')"/>
          <xsl:value-of select="' ' || e:label('note.editorial') || ':'"/>
        </span>
      </xsl:if>
      <!-- one space after the label (the note's own text may begin with one) -->
      <xsl:if test="exists($generated) or not(starts-with(translate(string($content[1]), '&#10;&#13;&#9;', '   '), ' '))">
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates select="$content" mode="text"/>
      <xsl:apply-templates select="$generated" mode="correction-text"/>
    </span>
  </xsl:template>

  <!-- An editors' note inside another note (an editors' remark on a source's note), or repeating an earlier
       one: its lettered call where it stands; its body printed once, after the outermost note, so it never
       interrupts the note it comments on. -->
  <xsl:template match="note[e:is-editorial(.)][ancestor::note or not(e:printed(.))]" mode="text" priority="3">
    <xsl:call-template name="e:series-call">
      <xsl:with-param name="item" select="."/>
    </xsl:call-template>
    <xsl:if test="not(ancestor::note)">
      <xsl:call-template name="e:series-bodies"/>
    </xsl:if>
  </xsl:template>

  <!-- The call of an item of the series whose body stands elsewhere: a link to that body. -->
  <xsl:template name="e:series-call">
    <xsl:param name="item" as="element()"/>
    <xsl:variable name="first" select="$e:series-index(generate-id($item))?first"/>
    <span class="tei-note tei-note-editorial tei-note-ref" id="{e:item-id($item)}">
      <a class="tei-note-call" href="#{e:item-id($first)}-body" role="doc-noteref"
         aria-label="{e:label('note.editorial') || ' ' || e:letter($item)}">
        <xsl:sequence select="e:apparatus('call')"/>
        <xsl:value-of select="e:letter($item)"/>
      </a>
    </span>
  </xsl:template>

  <!-- After an outermost note (or a series call outside notes): the bodies of the series' items inside it
       that are printed, each as a note of its own (a footnote in print, an entry of the page's notes). -->
  <xsl:template name="e:series-bodies">
    <xsl:if test="not(ancestor::note)">
      <xsl:for-each select="(self::note//note[e:is-editorial(.)] | self::note//choice[e:silent-choice(.)])[e:printed(.)]">
        <span class="tei-note tei-note-editorial tei-note-moved">
          <xsl:call-template name="e:note-body">
            <xsl:with-param name="id" select="e:item-id(.)"/>
            <xsl:with-param name="lang" select="if (self::note) then e:note-lang(.) else $apparatus-lang"/>
            <xsl:with-param name="label" select="e:letter(.)"/>
            <xsl:with-param name="editorial" select="true()"/>
            <xsl:with-param name="content" select="if (self::note) then node() else ()"/>
            <xsl:with-param name="generated" select="self::choice"/>
          </xsl:call-template>
        </span>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- A correction or regularisation without a note of its own: its lettered note, written by the XSLT. -->
  <xsl:template name="e:correction-note">
    <xsl:param name="choice" as="element(choice)"/>
    <xsl:choose>
      <xsl:when test="$choice/ancestor::note or not(e:printed($choice))">
        <xsl:call-template name="e:series-call">
          <xsl:with-param name="item" select="$choice"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="id" select="e:item-id($choice)"/>
        <span class="tei-note tei-note-editorial tei-note-correction" id="{$id}">
          <a class="tei-note-call" href="#{$id}-body" role="doc-noteref"
             aria-label="{e:label('note.editorial') || ' ' || e:letter($choice)}">
            <xsl:sequence select="e:apparatus('call')"/>
            <xsl:value-of select="e:letter($choice)"/>
          </a>
          <xsl:call-template name="e:note-body">
            <xsl:with-param name="id" select="$id"/>
            <xsl:with-param name="lang" select="$apparatus-lang"/>
            <xsl:with-param name="label" select="e:letter($choice)"/>
            <xsl:with-param name="editorial" select="true()"/>
            <xsl:with-param name="generated" select="$choice"/>
          </xsl:call-template>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the text of a correction's note: "The source reads: Georgy Chicherin." -->
  <xsl:template match="choice" mode="correction-text">
    <xsl:value-of select="e:label(if (corr) then 'corr.note' else 'reg.note') || ' '"/>
    <span class="tei-note-source-reading"
          lang="{(ancestor-or-self::*/@xml:lang)[last()]}">
      <xsl:value-of select="normalize-space(e:source-reading(sic | orig))"/>
    </span>
    <xsl:text>.</xsl:text>
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
