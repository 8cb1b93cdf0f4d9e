<?xml version="1.0" encoding="UTF-8"?>
<!--
  The TEI header (mode "header"), in two parts of the article:
    <header class="edition-source"> a definition list (titles, author, original, translation, witness,
      notes on the text, per-document encoding remarks, languages, revisions); each dt and dd says what it
      holds with data-field (title, author, bibl, notes, encoding, languages, revisions) and, for titles and
      bibliographic entries, data-type (main, alt, sub; original, translation, witness, source): the print
      shell picks the bibliography by these, never by the translated labels.
    <section class="edition-principles tei-encodingDesc"> the editorial principles (mode "principles":
      project, correction, normalisation, quotation, hyphenation, segmentation, interpretation), each a
      <section class="tei-projectDesc|tei-correction|…"> with an h4; the home page and the print edition reuse it.
  Bibliographic content is rendered by mode "text"; notes inside the header are plain remarks.
  In the text, the editors' bibl type="document" (a document's author and date) is a metadata line.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:e="urn:edition:emit"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template match="teiHeader" mode="header">
    <xsl:variable name="fd" select="fileDesc"/>
    <header class="edition-source" lang="{(@xml:lang, $apparatus-lang)[1]}">
      <h2 class="edition-source-heading"><xsl:value-of select="e:label('source.heading')"/></h2>
      <dl class="tei-sourceDesc">
        <xsl:for-each select="$fd/titleStmt/title">
          <dt data-field="title" data-type="{(@type, 'main')[1]}"><xsl:value-of select="e:label('source.title.' || (@type, 'main')[1])"/></dt>
          <dd data-field="title" data-type="{(@type, 'main')[1]}">
            <xsl:call-template name="e:attrs"/>
            <xsl:variable name="plain" as="xs:string"><xsl:value-of><xsl:apply-templates mode="plain"/></xsl:value-of></xsl:variable>
            <xsl:attribute name="data-running" select="e:shorten(normalize-space($plain), $running-max)"/>
            <xsl:apply-templates mode="text"/>
          </dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/titleStmt/author">
          <dt data-field="author"><xsl:value-of select="e:label('source.author')"/></dt>
          <dd data-field="author">
            <xsl:if test="not(@xml:lang) and exists(e:script-lang(string(.)))">
              <xsl:attribute name="lang" select="e:script-lang(string(.))"/>
            </xsl:if>
            <xsl:call-template name="e:attrs"/>
            <xsl:apply-templates mode="text"/>
          </dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/sourceDesc/bibl | $fd/sourceDesc/biblStruct | $fd/sourceDesc/msDesc">
          <dt data-field="bibl" data-type="{(@type, 'source')[1]}"><xsl:value-of select="e:label('source.bibl.' || (@type, 'source')[1])"/></dt>
          <dd class="tei-bibl" data-field="bibl" data-type="{(@type, 'source')[1]}"><xsl:call-template name="e:attrs"/><xsl:apply-templates mode="text"/></dd>
        </xsl:for-each>
        <xsl:if test="$fd/notesStmt/note">
          <dt data-field="notes"><xsl:value-of select="e:label('source.notes')"/></dt>
          <dd data-field="notes">
            <ul class="tei-notesStmt">
              <xsl:for-each select="$fd/notesStmt/note">
                <li><xsl:call-template name="e:attrs"/><xsl:apply-templates mode="text"/></li>
              </xsl:for-each>
            </ul>
          </dd>
        </xsl:if>
        <xsl:if test="encodingDesc/editorialDecl/p">
          <dt data-field="encoding"><xsl:value-of select="e:label('source.encoding')"/></dt>
          <xsl:for-each select="encodingDesc/editorialDecl/p">
            <dd data-field="encoding"><xsl:call-template name="e:attrs"/><xsl:apply-templates mode="text"/></dd>
          </xsl:for-each>
        </xsl:if>
        <xsl:if test="profileDesc/langUsage/language">
          <dt data-field="languages"><xsl:value-of select="e:label('source.languages')"/></dt>
          <dd data-field="languages"><xsl:value-of select="string-join(profileDesc/langUsage/language ! normalize-space(.), ', ')"/></dd>
        </xsl:if>
        <xsl:if test="revisionDesc/change">
          <dt data-field="revisions"><xsl:value-of select="e:label('source.revisions')"/></dt>
          <xsl:for-each select="revisionDesc/change">
            <dd data-field="revisions">
              <xsl:call-template name="e:attrs"/>
              <xsl:if test="@when"><time datetime="{@when}"><xsl:value-of select="@when"/></time>: </xsl:if>
              <xsl:apply-templates mode="text"/>
            </dd>
          </xsl:for-each>
        </xsl:if>
      </dl>
    </header>
  </xsl:template>

  <xsl:template match="teiHeader" mode="principles">
    <xsl:apply-templates select="encodingDesc" mode="principles"/>
  </xsl:template>

  <xsl:template match="encodingDesc" mode="principles">
    <section class="edition-principles tei-encodingDesc" lang="{(ancestor::teiHeader/@xml:lang, $apparatus-lang)[1]}">
      <h3><xsl:value-of select="e:label('principles.heading')"/></h3>
      <xsl:for-each select="projectDesc | editorialDecl/*[not(self::p)]">
        <section class="{'tei-' || local-name()}">
          <h4><xsl:value-of select="e:label('principles.' || local-name())"/></h4>
          <xsl:for-each select="p">
            <p><xsl:call-template name="e:attrs"/><xsl:apply-templates mode="text"/></p>
          </xsl:for-each>
        </section>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- inside the header, a note is a remark in parentheses, not a numbered note -->
  <xsl:template match="teiHeader//note" mode="text" priority="3">
    <span class="tei-header-note">
      <xsl:call-template name="e:attrs"/>
      <xsl:text>(</xsl:text><xsl:apply-templates mode="text"/><xsl:text>)</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="teiHeader//p" mode="text" priority="3">
    <xsl:apply-templates mode="text"/>
  </xsl:template>

  <!-- The editors' description of a document of the text (001: «Интернациональное коммунистическое течение.
       январь 2005 г.» under a heading): a metadata line under the heading, in brackets as everything the
       editors wrote into the text, never a footnote. -->
  <xsl:template match="bibl[@type = 'document'][@resp]" mode="text" priority="3">
    <p class="tei-bibl tei-bibl-document" title="{e:label('bibl.document')}" lang="{(ancestor-or-self::*/@xml:lang)[last()]}">
      <xsl:call-template name="e:attrs"/>
      <span class="tei-supplied-mark">[</span>
      <xsl:apply-templates mode="text"/>
      <span class="tei-supplied-mark">]</span>
    </p>
  </xsl:template>

  <xsl:template match="gi | tag | att | val | code" mode="text">
    <xsl:call-template name="e:inline">
      <xsl:with-param name="tag" select="'code'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
