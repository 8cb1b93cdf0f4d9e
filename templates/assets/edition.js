/* Enhancements of the reading pages; the text reads without them.
   - notes open as a popover at their call (the list at the page end stays, with back-links)
   - names open a popover with the register data and a link to the register page
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
    var note = call.parentElement;
    var body = note.querySelector("[data-apparatus=\"note\"]");
    if (!body) { return; }
    var shown = showPopover(call, call.getAttribute("aria-label") || t("notes"), function (box) {
      var copy = body.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      box.appendChild(copy);
      var more = document.createElement("a");
      more.href = "#" + note.id + "-text";
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
        addSpan(box, "entity-abbr", data.abbr);
        var list = document.createElement("a");
        list.href = data.abbr_url;
        list.className = "entity-abbr-link";
        list.textContent = t("nav_abbreviations") + " →";
        box.appendChild(document.createElement("br"));
        box.appendChild(list);
      }
      var go = document.createElement("a");
      go.href = link.getAttribute("href");
      go.className = "entity-link";
      go.textContent = t("see_register") + " →";
      box.appendChild(document.createElement("br"));
      box.appendChild(go);
    });
    if (shown) { ev.preventDefault(); }
  });
  function addSpan(box, cls, text) {
    var s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    box.appendChild(s);
  }

  /* ---- view switches ---- */
  var toolbar = document.querySelector(".toolbar");
  if (toolbar) {
    toolbar.hidden = false;
    var viewBtn = toolbar.querySelector(".toggle-view");
    var entBtn = toolbar.querySelector(".toggle-entities");
    var sync = function () {
      viewBtn.setAttribute("aria-pressed", String(root.classList.contains("view-diplomatic")));
      entBtn.setAttribute("aria-pressed", String(root.classList.contains("show-entities")));
    };
    viewBtn.addEventListener("click", function () {
      var diplomatic = root.classList.contains("view-edited");
      root.classList.toggle("view-edited", !diplomatic);
      root.classList.toggle("view-diplomatic", diplomatic);
      remember("edition.view", diplomatic ? "diplomatic" : "edited");
      sync();
    });
    entBtn.addEventListener("click", function () {
      remember("edition.entities", root.classList.toggle("show-entities") ? "on" : "off");
      sync();
    });
    if (!document.querySelector(".edition-text .tei-entity")) { entBtn.hidden = true; }
    sync();
  }

  /* ---- cite ---- */
  if (cite.edition) {
    document.querySelectorAll(".edition-text p[id]").forEach(function (p) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "cite-button";
      b.textContent = t("cite");
      b.setAttribute("aria-label", t("cite_label") + " " + p.id);
      p.appendChild(b);
    });
    document.addEventListener("click", function (ev) {
      var b = ev.target.closest(".cite-button");
      if (!b) { return; }
      var p = b.parentElement;
      var url = cite.url + "#" + p.id;
      var text = cite.author + (cite.author ? ", " : "") + cite.title + ", " + t("cite_paragraph") + " " + p.id +
        ". " + t("in_edition") + ": " + cite.edition + ". " + url + " (" + t("accessed") + " " +
        new Date().toISOString().slice(0, 10) + ").";
      var status = document.createElement("p");
      status.className = "citation-status";
      status.setAttribute("role", "status");
      showPopover(b, t("cite_label"), function (box) {
        var c = document.createElement("p");
        c.className = "citation-text";
        c.textContent = text;
        box.appendChild(c);
        box.appendChild(status);
      });
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { status.textContent = t("cite_copied"); },
          function () { /* the citation stays shown for copying by hand */ });
      }
    });
  }
})();
