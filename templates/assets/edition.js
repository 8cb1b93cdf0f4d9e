/* Enhancements of the reading pages; the text reads without them.
   - notes open as a popover at their call (the list at the page end stays, with back-links)
   - names open a popover with the register data and a link to the register page
   - abbreviations open a popover with their expansion and a link to the list of abbreviations
   - the edited/diplomatic switch and name highlighting, remembered in localStorage
   - a "Cite" button per paragraph copies a citation with its URL */
(function () {
  "use strict";
  var root = document.documentElement;
  var ui = readJSON("ui-strings");
  var entities = readJSON("entity-data");
  var cite = readJSON("cite-data");
  var pop = document.getElementById("popover");
  var popContent = pop && pop.querySelector(".popover-content");
  var popTitle = pop && document.getElementById("popover-title");
  var opener = null;

  function readJSON(id) {
    var el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }
  function t(key) { return ui[key] || key; }
  function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }
  function remember(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* ignore */ } }

  /* ---- popover ---- */
  var canPopover = pop && typeof pop.showPopover === "function";
  function showPopover(anchor, title, build) {
    if (!canPopover) { return false; }
    if (pop.matches(":popover-open")) { pop.hidePopover(); }
    popContent.textContent = "";
    popTitle.textContent = title;
    build(popContent);
    opener = anchor;
    pop.showPopover();
    var r = anchor.getBoundingClientRect();
    var width = pop.offsetWidth;
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20, window.scrollX + document.documentElement.clientWidth - width - 8));
    pop.style.left = left + "px";
    var below = r.bottom + 6 + pop.offsetHeight <= window.innerHeight || r.top < pop.offsetHeight + 12;
    pop.style.top = (window.scrollY + (below ? r.bottom + 6 : r.top - pop.offsetHeight - 6)) + "px";
    anchor.setAttribute("aria-expanded", "true");
    var focusable = pop.querySelector("a, button");
    if (focusable) { focusable.focus({ preventScroll: true }); }
    return true;
  }
  if (pop) {
    pop.querySelector(".popover-close").addEventListener("click", function () { pop.hidePopover(); });
    pop.addEventListener("toggle", function (ev) {
      if (ev.newState === "closed" && opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus({ preventScroll: true });
        opener = null;
      }
    });
  }

  /* ---- notes ---- */
  document.addEventListener("click", function (ev) {
    var call = ev.target.closest("[data-apparatus=\"call\"]");
    if (!call) { return; }
    /* the body the call links to: an editors' note on a source's note stands after that note */
    var body = document.getElementById((call.getAttribute("href") || "").slice(1));
    if (!body) { return; }
    var shown = showPopover(call, call.getAttribute("aria-label") || t("notes"), function (box) {
      var copy = body.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      /* in the popover every link of the note is a stop (in the text a name or a cited work is one only
         while its kind is highlighted): a keyboard reader reaches a note's sources by opening its call */
      copy.querySelectorAll("[tabindex]").forEach(function (el) { el.removeAttribute("tabindex"); });
      box.appendChild(copy);
      var more = document.createElement("a");
      more.href = "#" + body.id.replace(/-body$/, "") + "-text";
      more.className = "popover-more";
      more.textContent = t("notes") + " ↓";
      box.appendChild(more);
    });
    if (shown) { ev.preventDefault(); }
  });

  /* ---- names ---- */
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.tei-entity");
    if (!link || ev.target.closest(".popover")) { return; }
    var data = entities[link.dataset.ref];
    if (!data) { return; }
    var shown = showPopover(link, data.name, function (box) {
      var name = document.createElement("span");
      name.className = "entity-name";
      name.textContent = data.name;
      box.appendChild(name);
      if (data.dates) { addSpan(box, "entity-meta", data.dates); }
      if (data.note) { addSpan(box, "entity-note", data.note); }
      if (data.abbr) {   /* a body known by an abbreviation: its expansion, and the list of abbreviations */
        addAbbr(box, data);
      }
      /* the abbreviations written inside the name (ЦК in «ЦК РКП(б)»), each with its expansion */
      var shownAbbr = {};
      link.querySelectorAll("abbr[data-abbr]").forEach(function (el) {
        var a = entities[el.dataset.abbr];
        if (a && !shownAbbr[el.dataset.abbr] && a.abbr_url !== data.abbr_url) {
          shownAbbr[el.dataset.abbr] = true;
          box.appendChild(document.createElement("br"));
          addSpan(box, "entity-abbr", a.name + ": " + a.abbr);
          addAbbrLink(box, a);
        }
      });
      var go = document.createElement("a");
      go.href = link.getAttribute("href");
      go.className = "entity-link";
      go.textContent = t("see_register") + " →";
      box.appendChild(document.createElement("br"));
      box.appendChild(go);
    });
    if (shown) { ev.preventDefault(); }
  });
  function addAbbr(box, data) {
    addSpan(box, "entity-abbr", data.abbr);
    addAbbrLink(box, data);
  }
  function addAbbrLink(box, data) {
    var list = document.createElement("a");
    list.href = data.abbr_url;
    list.className = "entity-abbr-link";
    list.textContent = t("nav_abbreviations") + " →";
    box.appendChild(document.createElement("br"));
    box.appendChild(list);
  }

  /* ---- abbreviations of the text: the expansion, and the entry in the list of abbreviations ---- */
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.tei-abbr-link");
    if (!link || ev.target.closest(".popover")) { return; }
    var data = entities[link.dataset.abbr];
    if (!data) { return; }
    var shown = showPopover(link, data.name, function (box) {
      addSpan(box, "entity-name", link.textContent);
      addAbbr(box, data);
    });
    if (shown) { ev.preventDefault(); }
  });
  function addSpan(box, cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    box.appendChild(s);
  }

  /* ---- Old Style dates: the New Style equivalent by tap or keyboard, not on hover only ---- */
  function openDate(date) {
    showPopover(date, t("date_title"), function (box) {
      addSpan(box, "entity-name", date.textContent);
      addSpan(box, "entity-meta", date.getAttribute("data-equivalent") || "");
    });
  }
  document.querySelectorAll(".edition-text .tei-date-julian[title], .page-notes .tei-date-julian[title]").forEach(function (date) {
    date.setAttribute("data-equivalent", date.getAttribute("title"));
    date.removeAttribute("title");                  /* shown by the popover, and read by screen readers */
    date.setAttribute("role", "button");
    date.setAttribute("aria-label", date.textContent + " — " + date.getAttribute("data-equivalent"));
  });
  document.addEventListener("click", function (ev) {
    var date = ev.target.closest(".tei-date-julian[data-equivalent]");
    if (date && !ev.target.closest("a")) { openDate(date); }
  });
  document.addEventListener("keydown", function (ev) {
    var date = ev.target.closest && ev.target.closest(".tei-date-julian[data-equivalent]");
    if (date && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); openDate(date); }
  });

  /* ---- view switches: edited/diplomatic; highlighting by type, each switch its own legend ---- */
  var TYPES = { pers: ".tei-persName.tei-entity", org: ".tei-orgName.tei-entity",
                place: ".tei-placeName.tei-entity", date: ".tei-date-julian[data-equivalent], a[data-apparatus=\"inference\"]",
                bibl: "a[data-bibl], [data-bibl] a[href*=\"bibliography.html#\"]" };
  /* a name, an Old Style date (with the editors' inferred years), or a cited work's link to the bibliography
     is a tab stop only while its kind is highlighted: a page of five hundred names and a hundred and fifty citations is read without tabbing
     through them (they stay links for screen readers, and a note's popover holds its own as stops) */
  function reachable() {
    Object.keys(TYPES).forEach(function (type) {
      var on = root.classList.contains("show-" + type);
      document.querySelectorAll(within(TYPES[type])).forEach(function (el) {
        el.tabIndex = on ? 0 : -1;
      });
    });
  }
  function within(selector) {
    return selector.split(", ").map(function (s) { return ".edition-text " + s + ", .page-notes " + s; }).join(", ");
  }
  /* the contents: beside the text on a wide screen (open), folded above it on a phone */
  var contents = document.querySelector(".reading-layout > details.toc");
  if (contents && window.matchMedia("(max-width: 74.99rem)").matches && !location.hash.match(/^#contents$/)) {
    contents.open = false;
  }
  var toolbar = document.querySelector(".toolbar");
  if (toolbar) {
    toolbar.hidden = false;
    var viewBtn = toolbar.querySelector(".toggle-view");
    var typeBtns = toolbar.querySelectorAll("[data-highlight]");
    var sync = function () {
      viewBtn.setAttribute("aria-pressed", String(root.classList.contains("view-diplomatic")));
      typeBtns.forEach(function (b) {
        b.setAttribute("aria-pressed", String(root.classList.contains("show-" + b.dataset.highlight)));
      });
      reachable();
    };
    viewBtn.addEventListener("click", function () {
      var diplomatic = root.classList.contains("view-edited");
      root.classList.toggle("view-edited", !diplomatic);
      root.classList.toggle("view-diplomatic", diplomatic);
      remember("edition.view", diplomatic ? "diplomatic" : "edited");
      sync();
    });
    typeBtns.forEach(function (b) {
      if (!document.querySelector(within(TYPES[b.dataset.highlight]))) { b.hidden = true; }
      b.addEventListener("click", function () {
        var on = root.classList.toggle("show-" + b.dataset.highlight);
        remember("edition.highlight." + b.dataset.highlight, on ? "on" : "off");
        sync();
      });
    });
    var legend = toolbar.querySelector(".highlight-group");
    if (legend && !legend.querySelector("[data-highlight]:not([hidden])")) { legend.hidden = true; }
    sync();
  } else {
    reachable();
  }

  /* ---- search hits: the words a search matched, marked in the passage it led to ---- */
  var hl = new URLSearchParams(location.search).get("hl");
  if (hl) {
    var words = hl.split(/\s+/).filter(Boolean).map(function (w) { return w.toLocaleLowerCase(); });
    var anchor = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var text = document.querySelector(".edition-text");
    var hits = text ? markWords(text, words) : [];
    /* the passage the search result named, else the first hit after it (positions in the index are
       approximate), else the first on the page */
    var first = hits.filter(function (h) {
      return anchor && (anchor.contains(h) || (anchor.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING));
    })[0] || hits[0];
    if (first) {
      var note = first.closest("[data-apparatus=\"note\"]");
      if (note) {                                    /* a hit in a note: its call, and the note opened */
        var call = note.parentElement.querySelector("[data-apparatus=\"call\"]");
        first = call || note.parentElement;
      }
      first.classList.add("search-current");
      first.scrollIntoView({ block: "center" });
      if (note && first.matches("[data-apparatus=\"call\"]")) { first.click(); }   /* the note, its words marked */
    }
  }
  function markWords(scope, words) {
    var hits = [];
    /* a name found by another of its forms (another script): the mention itself */
    scope.querySelectorAll("[data-names]").forEach(function (el) {
      var names = el.getAttribute("data-names").replace(/[\u27e6\u27e7]/g, "").toLocaleLowerCase().split(/\s+/);
      if (words.some(function (w) { return names.indexOf(w) >= 0; })) { el.classList.add("search-hit"); hits.push(el); }
    });
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest("[data-view=\"diplomatic\"], script")) { nodes.push(walker.currentNode); }
    }
    nodes.forEach(function (node) {
      while (node) {
        var lower = node.nodeValue.toLocaleLowerCase();
        var at = -1, w = "";
        words.forEach(function (word) {
          var i = lower.indexOf(word);
          if (i >= 0 && (at < 0 || i < at)) { at = i; w = word; }
        });
        if (at < 0) { return; }
        var hit = node.splitText(at);
        node = hit.splitText(w.length);
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
        hits.push(mark);
      }
    });
    hits.sort(function (a, b) { return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1; });
    return hits;
  }

  /* ---- cite: one control, at the paragraph the reader is at (pointer, focus, or the top of the window) ---- */
  if (cite.edition) {
    var paragraphs = Array.prototype.slice.call(document.querySelectorAll(".edition-text p[id]"));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.textContent = t("cite");
    var place = function (p) {
      if (!p || button.parentElement === p || document.activeElement === button) { return; }
      p.appendChild(button);
      button.setAttribute("aria-label", t("cite_label") + " " + p.id);
    };
    var atTop = function () {
      for (var i = 0; i < paragraphs.length; i++) {
        if (paragraphs[i].getBoundingClientRect().bottom > 80) { return paragraphs[i]; }
      }
      return paragraphs[paragraphs.length - 1];
    };
    if (paragraphs.length) {
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      place(target && target.closest(".edition-text p[id]") || atTop());
      document.addEventListener("pointerover", function (ev) {
        var p = ev.target.closest && ev.target.closest(".edition-text p[id]");
        if (p) { place(p); }
      });
      document.addEventListener("focusin", function (ev) {
        var p = ev.target.closest && ev.target.closest(".edition-text p[id]");
        if (p && ev.target !== button) { place(p); }
      });
      var ticking = false;
      window.addEventListener("scroll", function () {
        if (ticking) { return; }
        ticking = true;
        window.requestAnimationFrame(function () {
          ticking = false;
          var r = button.parentElement && button.parentElement.getBoundingClientRect();
          if (!r || r.bottom < 0 || r.top > window.innerHeight) { place(atTop()); }   /* only once it has left the window */
        });
      }, { passive: true });
    }
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest(".cite-button");
      if (!b) { return; }
      var p = b.parentElement;
      var accessed = new Date().toISOString().slice(0, 10);
      var styles = citations(p, accessed);
      var status = document.createElement("p");
      status.className = "citation-status";
      status.setAttribute("role", "status");
      showPopover(b, t("cite_label"), function (box) {
        styles.forEach(function (style) {
          var h = document.createElement("p");
          h.className = "citation-style";
          h.textContent = style.label;
          var c = document.createElement(style.pre ? "pre" : "p");
          c.className = "citation-text citation-" + style.key;
          c.textContent = style.text;
          var copy = document.createElement("button");
          copy.type = "button";
          copy.className = "citation-copy";
          copy.textContent = t("cite_copy") + " (" + style.label + ")";
          copy.addEventListener("click", function () {
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(style.text).then(function () { status.textContent = t("cite_copied"); },
                function () { /* the citation stays shown for copying by hand */ });
            }
          });
          box.appendChild(h);
          box.appendChild(c);
          box.appendChild(copy);
        });
        box.appendChild(status);
      });
    });
  }

  /* A paragraph's citation in two styles: the work the text reproduces, as the build wrote it (cite-data:
     the same description as the page's meta tags and data/citations/), then the paragraph in the edition */
  function citations(p, accessed) {
    var n = p.id.replace(/^.*-p/, "");
    var url = cite.url + "#" + p.id;
    var editors = cite.editors || [];
    var list = function (names) {
      return names.length < 3 ? names.join(" " + t("and") + " ") : names.slice(0, -1).join(", ") + ", " + t("and") + " " + names[names.length - 1];
    };
    var inEdition = cap(t("in_edition")) + " " + cite.edition +
      (editors.length ? ", " + t("edited_by") + " " + list(editors) : "") +
      (cite.version ? ", " + t("version") + " " + cite.version : "");
    var chicago = cite.work_chicago + " " + cap(t("cite_paragraph")) + " " + n + ". " + inEdition + ". " +
      (cite.publisher ? cite.publisher + ", " : "") + cite.year + ". " + url + " (" + t("accessed") + " " + accessed + ").";
    var esc = function (s) { return String(s).replace(/[\\]/g, ""); };
    var work = cite.work_bibtex || { type: "misc", fields: [["title", cite.title]] };
    var bib = "@" + work.type + "{" + cite.key + "_p" + n + ",\n" +
      work.fields.map(function (f) { return "  " + f[0] + " = {" + esc(f[1]) + "},\n"; }).join("") +
      "  note = {" + esc(cap(t("cite_paragraph")) + " " + n + ". " + inEdition) + "},\n" +
      "  url = {" + url + "},\n" +
      "  urldate = {" + accessed + "}\n}";
    return [{ key: "chicago", label: "Chicago", text: chicago }, { key: "bibtex", label: "BibTeX", text: bib, pre: true }];
  }
})();
