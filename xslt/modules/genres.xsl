<?xml version="1.0" encoding="UTF-8"?>
<!--
  What other editions encode (mode "text"): drama, verse, letters, a critical apparatus, a manuscript's
  transcription, page images, and every other TEI element. Each gets a class tei-<name>; the look is the
  two stylesheets' (templates/assets/edition.css, templates/print/print.css).
    fallback    an element without a rule of its own: <div> where the Guidelines let it stand between
                paragraphs (tei-blocks.xsl, made from TEI P5) and nothing around it holds phrases, else <span>
    drama       sp, speaker, stage, castList/castItem (a list), role, roleDesc
    verse       l inside a block lg: one line a <div>; every fifth line numbered at the margin
                (<span class="tei-l-n" data-apparatus="milestone">, left out of the plain text and search)
    letters     the correspondence of the header (correspDesc: sender, addressee, place, date) opens the text
                as <dl class="tei-correspDesc" data-field="correspondence">; opener, closer, postscript blocks
    apparatus   app: the lemma (lem, else the first reading) in the text; the other readings as a note body
                (data-apparatus="note", called by a "°"), each with its witnesses' sigla from @wit; the witnesses
                (listWit in the header) listed where the text opens
    transcription  add (data-view both), del (diplomatic only: the edited reading is what the writer left),
                subst, unclear (title), handShift (a marker in the diplomatic view), damage
    page images pb/@facs or a surface's graphic: the image of the page beside it, in the diplomatic view
                (a web address, or a file beside the TEI that the site stage copies; print shows no page images);
                graphic/@url a picture
    authorities names with @ref or @key to an authority outside the edition: a link (web address) or data-key
    fields      the parts of a bibliographic entry written with nothing between them (<title>…</title><author>…)
                get a separator, <span class="tei-field-sep">, </span>, so they do not run together as one word
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- ===== fallback ===== -->
  <xsl:template match="*" mode="text" priority="-2">
    <xsl:choose>
      <xsl:when test="e:as-block(.)">
        <xsl:call-template name="e:block"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- raised or lowered as its @rend says (<edition rend="sup">2</edition>: «1868²», not «18682») -->
        <xsl:call-template name="e:inline">
          <xsl:with-param name="tag" select="if (tokenize(@rend) = ('sup', 'superscript')) then 'sup'
                                             else if (tokenize(@rend) = ('sub', 'subscript')) then 'sub' else 'span'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a block where it stands: a block element, and each element around it up to the text a block that
       holds blocks (a paragraph, a line, a note, a highlighted phrase hold phrases only) -->
  <xsl:function name="e:as-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="local-name($el) = $e:block-elements
        and (every $a in $el/ancestor::*[ancestor::text] satisfies
               (local-name($a) = $e:block-elements and not(local-name($a) = $e:phrase-holders)
                and not($a/self::quote[not(@type = 'block')])))"/>
  </xsl:function>

  <!-- ===== bibliographic fields =====
       Editions that generate their entries write the fields one after another with nothing between
       (<title>Vom großen Welttheaterschwindel</title><title>Die Fackel</title><author>Karl Kraus</author>):
       read as written they run together ("WelttheaterschwindelDie FackelKarl Kraus"). A field with text that
       follows another field with text, nothing between them, is preceded by a separator: ", ", or a space
       after a field that ends in punctuation; a note between two fields stays with the first (its call
       before the separator). Empty elements (lb, pb) separate nothing. Text between two fields, even a space, is the entry's own separator and is kept as it is. -->
  <xsl:template match="*[parent::bibl | parent::biblStruct | parent::analytic | parent::monogr | parent::imprint
                         | parent::series | parent::relatedItem][not(self::note)][normalize-space()]
                         [preceding-sibling::node()[not(self::note)][1][self::*][normalize-space()]]"
                mode="text" priority="20">
    <span class="tei-field-sep">
      <xsl:value-of select="if (matches(string(preceding-sibling::*[not(self::note)][1]), '[\p{P}]\s*$')) then ' '
                            else ', '"/>
    </span>
    <xsl:next-match/>
  </xsl:template>

  <!-- ===== drama ===== -->
  <xsl:template match="sp | castList | castGroup | spGrp" mode="text" priority="1">
    <xsl:choose>
      <xsl:when test="e:as-block(.)">
        <xsl:call-template name="e:block">
          <xsl:with-param name="tag" select="if (self::castList or self::castGroup) then 'ul' else 'div'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="e:inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="castItem[e:as-block(..)] | castGroup[e:as-block(..)][parent::castList | parent::castGroup]"
                mode="text" priority="2">
    <li class="{e:class(., @type)}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </li>
  </xsl:template>
  <xsl:template match="speaker | stage" mode="text" priority="1">
    <xsl:call-template name="e:block">
      <xsl:with-param name="tag" select="if (e:as-block(.)) then (if (self::speaker) then 'p' else 'p') else 'span'"/>
      <xsl:with-param name="refine" select="(@type, @rend)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== verse ===== -->
  <xsl:template match="l[parent::lg[e:as-block(.)] or e:as-block(.)]" mode="text" priority="1">
    <xsl:variable name="n" select="if (@n) then string(@n)
                                   else string(count(preceding::l[not(ancestor::note)][ancestor::text]) + 1)"/>
    <div class="{e:class(., (@type, @rend))}" data-n="{$n}">
      <xsl:call-template name="e:attrs"/>
      <xsl:if test="$n castable as xs:integer and xs:integer($n) mod 5 = 0">
        <span class="tei-l-n" aria-hidden="true">
          <xsl:sequence select="e:apparatus('milestone')"/>
          <xsl:value-of select="$n"/>
        </span>
      </xsl:if>
      <xsl:apply-templates mode="text"/>
    </div>
  </xsl:template>

  <!-- ===== letters: the correspondence and the witnesses open the text ===== -->
  <xsl:template match="text[not(parent::group)]" mode="text" priority="1">
    <xsl:apply-templates select="/TEI/teiHeader/profileDesc/correspDesc" mode="opening"/>
    <xsl:apply-templates select="(/TEI/teiHeader//listWit)[1]" mode="opening"/>
    <xsl:apply-templates mode="text"/>
  </xsl:template>

  <xsl:template match="correspDesc" mode="opening">
    <dl class="tei-correspDesc" data-field="correspondence" lang="{$apparatus-lang}">
      <xsl:for-each select="correspAction">
        <dt class="{e:class(., @type)}">
          <xsl:value-of select="e:label('corresp.' || (@type, 'other')[1])"/>
        </dt>
        <dd class="{e:class(., @type)}">
          <xsl:for-each select="*">
            <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
            <span class="{e:class(., ())}">
              <xsl:if test="@when"><xsl:attribute name="data-when" select="@when"/></xsl:if>
              <xsl:apply-templates mode="text"/>
              <xsl:if test="self::date and not(normalize-space()) and @when">
                <xsl:value-of select="@when"/>
              </xsl:if>
            </span>
          </xsl:for-each>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <xsl:template match="listWit" mode="opening">
    <dl class="tei-listWit" data-field="witnesses" lang="{$apparatus-lang}">
      <xsl:for-each select=".//witness">
        <dt class="tei-witness-siglum"><xsl:value-of select="e:siglum(.)"/></dt>
        <dd class="tei-witness">
          <xsl:call-template name="e:attrs"/>
          <xsl:apply-templates mode="text"/>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <!-- a witness's siglum: its abbr or @n, else its id -->
  <xsl:function name="e:siglum" as="xs:string">
    <xsl:param name="w" as="element(witness)"/>
    <xsl:sequence select="string(($w/abbr[@type = 'siglum'], $w/@n, $w/@xml:id)[1])"/>
  </xsl:function>

  <!-- an opener's or closer's parts are blocks there (a dateline, a salute, a signature on lines of their own):
       <div>, so every reader of the fragment (plain text, search) ends a word where the line ends -->
  <xsl:template match="(dateline | salute | signed | byline | docAuthor | docDate)[e:as-block(.)]" mode="text"
                priority="1.5">
    <xsl:call-template name="e:block"/>
  </xsl:template>
  <xsl:template match="postscript | opener | closer | figure" mode="text" priority="1">
    <xsl:choose>
      <xsl:when test="e:as-block(.)"><xsl:call-template name="e:block"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="e:inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== critical apparatus ===== -->
  <xsl:template match="app" mode="text" priority="1">
    <xsl:variable name="app" select="."/>
    <!-- every reading of this entry (also those grouped in rdgGrp), not those of an app inside one -->
    <xsl:variable name="readings" select="descendant::*[self::lem or self::rdg][ancestor::app[1] is $app]"/>
    <xsl:variable name="lemma" select="($readings[self::lem], $readings)[1]"/>
    <xsl:variable name="id" select="(@xml:id, generate-id())[1]"/>
    <span class="{e:class(., @type)}" id="{$id}">
      <span class="tei-lem">
        <xsl:if test="$lemma/@wit"><xsl:attribute name="data-wit" select="$lemma/@wit"/></xsl:if>
        <xsl:apply-templates select="$lemma/node()" mode="text"/>
      </span>
      <a class="tei-app-call" href="#{$id}-readings" role="doc-noteref">
        <xsl:sequence select="e:apparatus('call')"/>
        <xsl:text>°</xsl:text>
      </a>
      <span class="tei-app-readings" id="{$id}-readings" lang="{$apparatus-lang}">
        <xsl:sequence select="e:apparatus('note')"/>
        <xsl:for-each select="$readings">
          <span class="{e:class(., @type)}">
            <span class="tei-rdg-text" lang="{(ancestor::*/@xml:lang)[last()]}">
              <xsl:apply-templates mode="text"/>
              <xsl:if test="not(normalize-space())"><xsl:value-of select="e:label('app.omitted')"/></xsl:if>
            </span>
            <xsl:text> </xsl:text>
            <span class="tei-rdg-wit">
              <xsl:value-of select="string-join(for $w in tokenize(@wit) return e:wit-siglum($w, .), ' ')"/>
            </span>
            <xsl:if test="position() ne last()"><xsl:text>; </xsl:text></xsl:if>
          </span>
        </xsl:for-each>
        <xsl:apply-templates select="note | witDetail" mode="text"/>
      </span>
    </span>
  </xsl:template>

  <xsl:function name="e:wit-siglum" as="xs:string">
    <xsl:param name="ref" as="xs:string"/>
    <xsl:param name="at" as="element()"/>
    <xsl:variable name="w" select="if (starts-with($ref, '#')) then root($at)//witness[@xml:id = substring($ref, 2)] else ()"/>
    <xsl:sequence select="if ($w) then e:siglum($w[1]) else replace($ref, '^#', '')"/>
  </xsl:function>

  <!-- ===== transcription ===== -->
  <xsl:template match="del" mode="text" priority="1">
    <del class="{e:class(., (@type, @rend))}" title="{e:label('del.title')}">
      <xsl:sequence select="e:view('diplomatic')"/>
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </del>
  </xsl:template>
  <xsl:template match="add" mode="text" priority="1">
    <ins class="{e:class(., @place)}" title="{e:label('add.title')}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </ins>
  </xsl:template>
  <xsl:template match="subst" mode="text" priority="1">
    <span class="tei-subst">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>
  <xsl:template match="unclear" mode="text" priority="1">
    <span class="{e:class(., @reason)}" title="{e:label('unclear.title')}">
      <xsl:call-template name="e:attrs"/>
      <xsl:apply-templates mode="text"/>
    </span>
  </xsl:template>
  <xsl:template match="handShift" mode="text" priority="1">
    <span class="tei-handShift" aria-hidden="true">
      <xsl:sequence select="e:view('diplomatic')"/>
      <xsl:value-of select="'[' || e:label('handShift') || (if (@new) then ' ' || replace(@new, '^#', '') else '') || ']'"/>
    </span>
  </xsl:template>

  <!-- ===== page images ===== -->
  <xsl:template match="pb[@facs]" mode="text" priority="1">
    <xsl:next-match/>
    <xsl:variable name="url" select="e:facs-url(.)"/>
    <xsl:if test="e:is-image($url)">
      <span class="tei-facsimile">
        <xsl:sequence select="e:view('diplomatic')"/>
        <a href="{$url}" rel="noopener">
          <img src="{$url}" loading="lazy" alt="{e:label('facs.alt') || ' ' || @n}"/>
        </a>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- an image the page can show: on the web, or a file beside the TEI (a relative path that stays in its folder,
       copied beside the reading pages by the site stage: site/images.py) -->
  <xsl:function name="e:is-image" as="xs:boolean">
    <xsl:param name="url" as="xs:string"/>
    <xsl:sequence select="exists(e:safe-href($url)) and (e:is-web($url) or $url != '' and not(contains($url, ':'))
                          and not(starts-with($url, '#')) and not(starts-with($url, '/'))
                          and not(tokenize($url, '/') = '..'))"/>
  </xsl:function>

  <!-- the image of a page: @facs itself when it is an address, else the first graphic of the surface it names -->
  <xsl:function name="e:facs-url" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:variable name="facs" select="string(tokenize($pb/@facs)[1])"/>
    <xsl:variable name="surface" select="if (starts-with($facs, '#')) then root($pb)//*[@xml:id = substring($facs, 2)] else ()"/>
    <xsl:sequence select="if ($surface) then string(($surface[1]/descendant-or-self::graphic/@url)[1]) else $facs"/>
  </xsl:function>

  <xsl:template match="graphic[@url]" mode="text" priority="1">
    <xsl:variable name="url" select="string(@url)"/>
    <xsl:choose>
      <xsl:when test="e:is-image($url)">
        <img class="{e:class(., ())}" src="{$url}" loading="lazy"
             alt="{normalize-space(string-join((../figDesc, desc), ' '))}">
          <xsl:call-template name="e:attrs"/>
        </img>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="e:inline"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== authorities outside the edition ===== -->
  <xsl:template match="(persName | orgName | placeName | rs | name)[@key or matches(@ref, '^https?://')]
                       [not(starts-with(@ref, '#'))]" mode="text" priority="1">
    <xsl:variable name="url" select="string(tokenize(@ref)[1])"/>
    <xsl:choose>
      <xsl:when test="exists(e:safe-href($url)) and e:is-web($url)">
        <a class="{e:class(., @type)} tei-authority" href="{$url}" rel="noopener">
          <xsl:if test="@key"><xsl:attribute name="data-key" select="@key"/></xsl:if>
          <xsl:call-template name="e:mention-attrs"/>
          <xsl:apply-templates mode="text"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="{e:class(., @type)}" data-key="{@key}">
          <xsl:call-template name="e:mention-attrs"/>
          <xsl:apply-templates mode="text"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
