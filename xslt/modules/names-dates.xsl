<?xml version="1.0" encoding="UTF-8"?>
<!--
  Names and dates (mode "text").
    persName, orgName, placeName, rs, name with @ref="#id": a link to the register entry
      <a class="tei-persName tei-entity" data-ref="pers-x" href="{$register-url}pers-x.html">, when the
      register holds the id (else a span with data-ref, so a dangling ref never makes a broken link).
      A mention without xml:id gets id="{document}-m{n}" (n counts the mentions of the text in order):
      the print edition's index finds the page each mention landed on by that id.
    date: <time class="tei-date" datetime="{@when}" data-calendar="julian"> with the Gregorian date in
      the title for Old Style dates (@when is always Gregorian; @calendar the calendar as written).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:variable name="e:register" as="map(*)"
      select="map:merge(for $id in tokenize($register-ids) return map{$id: true()})"/>

  <!-- "#pers-lenin", "persons.xml#pers-lenin" → "pers-lenin" -->
  <!-- the mentions of the text, numbered once in document order (not per mention: d001 has thousands) -->
  <xsl:variable name="e:mentions" select="/TEI/text//(persName | orgName | placeName | rs | name)[@ref]"/>
  <xsl:variable name="e:mention-index" as="map(*)"
      select="map:merge(for $i in 1 to count($e:mentions) return map{generate-id($e:mentions[$i]): $i})"/>

  <!-- id and lang of a mention: its xml:id, else a number in the document -->
  <xsl:template name="e:mention-attrs">
    <xsl:if test="not(@xml:id) and @ref and map:contains($e:mention-index, generate-id())">
      <xsl:attribute name="id" select="/TEI/@xml:id || '-m' || $e:mention-index(generate-id())"/>
    </xsl:if>
    <xsl:call-template name="e:attrs"/>
  </xsl:template>

  <xsl:function name="e:ref-id" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="replace(string(tokenize($el/@ref)[1]), '^[^#]*#', '')"/>
  </xsl:function>

  <xsl:function name="e:links" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/@ref) and map:contains($e:register, e:ref-id($el))
                          and exists(e:safe-href($register-url || e:ref-id($el) || '.html'))"/>
  </xsl:function>

  <xsl:template match="persName | orgName | placeName | rs | name" mode="text">
    <xsl:variable name="ref" select="e:ref-id(.)"/>
    <xsl:variable name="kind" select="if (self::rs | self::name) then (@type, 'name')[1] else local-name()"/>
    <xsl:variable name="class" select="string-join(('tei-' || $kind, if (@ref) then 'tei-entity' else ()), ' ')"/>
    <xsl:choose>
      <!-- a link cannot hold a link: an inner name inside a linked name stays a span -->
      <xsl:when test="e:links(.) and not(ancestor::*[self::persName | self::orgName | self::placeName | self::rs
                                                      | self::name | self::ref][e:links(.) or self::ref])">
        <a class="{$class}" data-ref="{$ref}" href="{$register-url || $ref || '.html'}">
          <xsl:call-template name="e:mention-attrs"/>
          <xsl:apply-templates mode="text"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{$class}">
          <xsl:if test="@ref">
            <xsl:attribute name="data-ref" select="$ref"/>
          </xsl:if>
          <xsl:call-template name="e:mention-attrs"/>
          <xsl:apply-templates mode="text"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
    <!-- the editors' notes on corrections inside the name (Georgy Chicherin printed for Steinberg), after it -->
    <xsl:if test="not(ancestor::*[self::persName | self::orgName | self::placeName | self::rs | self::name])">
      <xsl:for-each select=".//choice[e:silent-choice(.)]">
        <xsl:call-template name="e:correction-note">
          <xsl:with-param name="choice" select="."/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- "1917-11-07" → "7 November 1917" (month names from the labels) -->
  <xsl:function name="e:format-iso" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <!-- a time after the day (a web page captured at 14:49) is left out; a value that is no ISO date shown as is -->
    <xsl:variable name="day" select="replace($iso, 'T.*$', '')"/>
    <xsl:variable name="parts" select="tokenize(replace($day, '^-', ''), '-')"/>
    <xsl:sequence select="if (not(matches($day, '^-?\d{4}(-\d{2}(-\d{2})?)?$'))) then $iso else string-join((
        if (count($parts) ge 3) then string(xs:integer($parts[3])) else (),
        if (count($parts) ge 2) then e:label('month.' || xs:integer($parts[2])) else (),
        $parts[1]), ' ')"/>
  </xsl:function>

  <xsl:function name="e:calendar" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="if (matches($date/@calendar, 'julian', 'i')) then 'julian'
                          else if (matches($date/@calendar, 'gregorian', 'i')) then 'gregorian'
                          else if ($date/@calendar) then replace($date/@calendar, '^.*[#-]', '')
                          else 'gregorian'"/>
  </xsl:function>

  <!-- A date says what the editors decided about it (the dates' contract, #13), in its class and title:
         @cert and @resp          the editors inferred the year (any certainty): tei-date-inferred, data-cert,
                                  data-evidence="#id" (@source, the element that gives the year; its opening
                                  words in the title)
         @resp without @cert      the editors set the calendar: tei-date-calendar-set
         @notBefore/@notAfter     approximate: tei-date-approximate, "approximate date, between … and …"
         @from/@to                a span (of years, when both are years): tei-date-span
       and an Old Style date its Gregorian equivalent. -->
  <xsl:template match="date" mode="text">
    <xsl:variable name="cal" select="e:calendar(.)"/>
    <xsl:variable name="iso-ok" select="matches(@when, '^\d{4}(-\d{2}(-\d{2})?)?$')"/>
    <xsl:variable name="inferred" select="exists(@cert) and exists(@resp)"/>
    <xsl:variable name="evidence" select="if (starts-with(@source, '#')) then id(substring-after(tokenize(@source)[1], '#')) else ()"/>
    <xsl:variable name="evidence-words" as="xs:string?">
      <xsl:if test="exists($evidence)">
        <!-- a division is quoted by its heading (reading a whole division per date costs seconds) -->
        <xsl:variable name="quoted" select="if ($evidence[1]/head) then $evidence[1]/head[1] else $evidence[1]"/>
        <xsl:variable name="plain" as="xs:string"><xsl:value-of><xsl:apply-templates select="$quoted/node()" mode="plain"/></xsl:value-of></xsl:variable>
        <xsl:sequence select="'«' || e:shorten(normalize-space($plain), 60) || '»'"/>
      </xsl:if>
    </xsl:variable>
    <xsl:element name="{if ($iso-ok) then 'time' else 'span'}">
      <xsl:attribute name="class" select="string-join(('tei-date', 'tei-date-' || $cal,
          if ($inferred) then 'tei-date-inferred' else if (@resp) then 'tei-date-calendar-set' else (),
          if (@notBefore or @notAfter) then 'tei-date-approximate' else (),
          if (@from and @to) then 'tei-date-span' else ()), ' ')"/>
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="$iso-ok">
        <xsl:attribute name="datetime" select="@when"/>
      </xsl:if>
      <xsl:attribute name="data-calendar" select="$cal"/>
      <xsl:if test="$inferred">
        <xsl:attribute name="data-cert" select="@cert"/>
        <xsl:if test="exists($evidence)">
          <xsl:attribute name="data-evidence" select="'#' || $evidence[1]/@xml:id"/>
        </xsl:if>
      </xsl:if>
      <xsl:variable name="gregorian" select="
          if (@when) then e:format-iso(@when)
          else if (@from and @to) then e:format-iso(@from) || ' – ' || e:format-iso(@to)
          else if (@notBefore and @notAfter) then e:format-iso(@notBefore) || ' – ' || e:format-iso(@notAfter)
          else ()"/>
      <xsl:variable name="says" select="(
          if ($cal = 'julian' and exists($gregorian)) then e:label('date.julian') || ' = ' || $gregorian || ' ' || e:label('date.gregorian') else (),
          if (@notBefore and @notAfter) then e:label('date.approximate') || ' ' || e:format-iso(@notBefore) || ' '
                                             || e:label('date.and') || ' ' || e:format-iso(@notAfter)
          else if (@notBefore) then e:label('date.notBefore') || ' ' || e:format-iso(@notBefore)
          else if (@notAfter) then e:label('date.notAfter') || ' ' || e:format-iso(@notAfter) else (),
          if ($inferred) then e:label('date.inferred') || ' (' || e:label('date.cert.' || @cert) || ')'
                              || (if (exists($evidence-words)) then ' ' || e:label('date.inferred.evidence') || ' ' || $evidence-words else '')
          else if (@resp) then e:label('date.calendar-set') || ': ' || e:label('date.calendar.' || $cal) else ())"/>
      <xsl:if test="exists($says)">
        <xsl:attribute name="title" select="string-join($says, '; ')"/>
      </xsl:if>
      <xsl:apply-templates mode="text"/>
    </xsl:element>
    <xsl:if test="$inferred">
      <xsl:call-template name="e:inference-mark">
        <xsl:with-param name="evidence" select="$evidence[1]"/>
        <xsl:with-param name="says" select="e:label('date.inferred') || ' (' || e:label('date.cert.' || @cert) || ')'
            || (if (exists($evidence-words)) then ' ' || e:label('date.inferred.evidence') || ' ' || $evidence-words else '')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The editors' inference of a date's year made visible (#16), on screen and in print alike: the year
       they supplied, in square brackets after the date, with "?" unless their certainty is high ("[1917?]"),
       in data-apparatus="inference" (left out of the plain text and the search index, as the editors' words
       beside the text). Where the TEI names the passage that gives the year (@source), the mark is a link
       to it: its stable address (id/ID.html, forwarding to the reading page that holds it; in the PDF the
       same address on the edition's website). A mark inside what is already a link (a name, a reference)
       is not a link of its own. -->
  <xsl:template name="e:inference-mark">
    <xsl:param name="evidence" as="element()?"/>
    <xsl:param name="says" as="xs:string"/>
    <xsl:variable name="first" select="substring(string((@when, @from, @notBefore, @to, @notAfter)[1]), 1, 4)"/>
    <xsl:variable name="last" select="substring(string((@to, @notAfter, @when)[1]), 1, 4)"/>
    <xsl:variable name="year" select="if ($last != $first and matches($last, '^\d{4}$')) then $first || '–' || $last else $first"/>
    <xsl:variable name="linked" select="exists($evidence/@xml:id)
        and not(ancestor::ref | ancestor::ptr | ancestor::persName | ancestor::orgName | ancestor::placeName
                | ancestor::name | ancestor::rs | ancestor::bibl[exists(e:bibl-entry(.))][not(e:holds-links(.))])"/>
    <xsl:element name="{if ($linked) then 'a' else 'span'}">
      <xsl:attribute name="class" select="'tei-date-inference tei-date-inference-' || @cert"/>
      <xsl:if test="$linked">
        <xsl:attribute name="href" select="$site-root || 'id/' || $evidence/@xml:id || '.html'"/>
      </xsl:if>
      <xsl:sequence select="e:apparatus('inference')"/>
      <xsl:attribute name="data-pagefind-ignore" select="''"/>
      <xsl:variable name="mark" select="'[' || (if (matches($year, '^\d{4}(–\d{4})?$')) then $year else '') || (if (@cert = 'high') then '' else '?') || ']'"/>
      <xsl:attribute name="title" select="$says"/>
      <xsl:if test="$linked">
        <xsl:attribute name="aria-label" select="$mark || ' ' || $says"/>
      </xsl:if>
      <xsl:value-of select="$mark"/>
    </xsl:element>
  </xsl:template>

</xsl:stylesheet>
