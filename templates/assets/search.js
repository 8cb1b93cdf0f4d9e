/* Search with the Pagefind index (built with the site into pagefind/): query and filters from the form,
   results with excerpts. The form is a plain GET form, so a search is a shareable URL. */
const ui = JSON.parse(document.getElementById("ui-strings").textContent);
const form = document.querySelector(".search-form");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const params = new URLSearchParams(location.search);
for (const name of ["q", "document", "language"]) {
  const field = form.elements[name];
  if (params.get(name)) { field.value = params.get(name); }
}

async function run() {
  const q = form.elements.q.value.trim();
  list.textContent = "";
  if (!q) { status.textContent = ""; return; }
  status.textContent = ui.search_loading;
  let pagefind;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  } catch (e) {
    status.textContent = ui.search_unavailable;  /* a site built with --no-search has no index */
    return;
  }
  await pagefind.options({ baseUrl: new URL(".", document.baseURI).pathname });
  const filters = {};
  if (form.elements.document.value) { filters.document = form.elements.document.value; }
  if (form.elements.language.value) { filters.language = form.elements.language.value; }
  const search = await pagefind.search(q, { filters });
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  status.textContent = results.length ? ui.search_results.replace("{n}", String(search.results.length)) : ui.search_none;
  for (const r of results) {
    const where = passage(r);
    const words = marked(r.excerpt);
    const li = document.createElement("li");
    const a = document.createElement("a");
    const url = new URL(r.url, document.baseURI);
    if (words.length) { url.searchParams.set("hl", words.join(" ")); }
    if (where.id) { url.hash = where.id; }
    a.href = url.href;
    a.className = "search-section";
    a.textContent = short(where.section || r.meta.section || r.meta.title || r.url);
    if (r.meta.lang) { a.lang = r.meta.lang; }
    const doc = document.createElement("p");
    doc.className = "search-document";
    doc.textContent = [r.meta.document, r.filters && r.filters.language && r.filters.language[0]]
      .filter(Boolean).join(" · ");
    const p = document.createElement("p");
    p.className = "search-excerpt";
    if (r.meta.lang) { p.lang = r.meta.lang; }
    p.append(excerpt(r.excerpt));
    li.append(a, doc, p);
    list.append(li);
  }
}

/* A heading as a result's title: cut between words */
function short(text, limit = 90) {
  text = text.replace(/\s+/g, " ").trim();
  return text.length <= limit ? text : text.slice(0, limit).replace(/\s+\S*$/, "") + "…";
}

/* Where the first hit stands: the innermost passage (paragraph, note, heading, division: anything with an id
   but a name's) that opens before it, and the heading it stands under. Pagefind records every element
   with an id as an anchor, with the word position it starts at. */
function passage(r) {
  const at = textPosition(r.content || "", r.locations && r.locations.length ? Math.min(...r.locations) : 0);
  let id = "", section = "";
  for (const a of r.anchors || []) {
    if (a.location > at) { continue; }
    if (/^h[1-6]$/.test(a.element) && a.text) { section = a.text.trim(); }
    if (a.element !== "a" && a.element !== "time" && !/-m\d+$/.test(a.id)) { id = a.id; }
  }
  return { id, section };
}

/* A word position counted without the register's names that stand with each mention (⟦…⟧, indexed but not
   text): Pagefind counts them in a hit's position, not in the positions of the anchors. */
function textPosition(content, at) {
  const words = content.split(/\s+/).filter(Boolean);
  let inside = false, names = 0;
  for (let i = 0; i < Math.min(at, words.length); i++) {
    const w = words[i];
    if (w.includes("\u27e6")) { inside = true; }
    if (inside) { names++; }
    if (w.includes("\u27e7")) { inside = false; }
  }
  return at - names;
}

/* The words Pagefind marked in the excerpt (the forms it matched, stems and other scripts included) */
function marked(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const words = new Set();
  for (const m of t.content.querySelectorAll("mark")) {
    for (const w of m.textContent.match(/[\p{L}\p{N}]+/gu) || []) { words.add(w); }
  }
  return [...words].filter(Boolean).slice(0, 8);
}

/* Pagefind's excerpt is text with <mark>: keep exactly that, as text and mark elements, whatever else the
   indexed text held (parsed in an inert template: nothing in it runs or loads) */
function excerpt(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const out = document.createDocumentFragment();
  let target = out, inside = false;
  const open = () => {   /* the register's names that found this mention: shown apart, not as the text */
    const span = document.createElement("span");
    span.className = "search-alias";
    out.append(span);
    target = span;
    inside = true;
  };
  for (const node of t.content.childNodes) {
    const text = node.textContent;
    const parts = text.split(/([\u27e6\u27e7])/);
    for (const part of parts) {
      if (part === "\u27e6") { open(); continue; }
      if (part === "\u27e7") { target = out; inside = false; continue; }
      if (!part) { continue; }
      if (node.nodeName === "MARK") {
        const m = document.createElement("mark");
        m.textContent = part;
        target.append(m);
      } else {
        target.append(document.createTextNode(part));
      }
    }
  }
  void inside;
  return out;
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const url = new URL(location.href);
  for (const name of ["q", "document", "language"]) {
    const v = form.elements[name].value;
    if (v) { url.searchParams.set(name, v); } else { url.searchParams.delete(name); }
  }
  history.replaceState(null, "", url);
  run();
});
run();
