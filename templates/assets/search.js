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
  const baseUrl = new URL(".", document.baseURI).pathname;
  await pagefind.options({ baseUrl });
  const parts = await merge(pagefind, baseUrl);
  let filters = {};
  if (form.elements.document.value) { filters.document = form.elements.document.value; }
  if (form.elements.language.value) { filters.language = form.elements.language.value; }
  filters = await narrowed(pagefind, q, filters, parts);
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

/* The other indexes, PART naming each */
const PART = "part";
let merged = null;
function merge(pf, baseUrl) {
  merged = merged || fetch(new URL("pagefind/parts.json", document.baseURI)).then((r) => (r.ok ? r.json() : []))
    .catch(() => []).then((parts) => Promise.all(parts.map((part) => pf.mergeIndex(
      new URL(part, document.baseURI).pathname, { baseUrl, mergeFilter: { [PART]: part } }))).then(() => parts));
  return merged;
}

/* Leave out indexes lacking a query word (Pagefind drops it or takes a shorter one: «с» for «социализм») */
async function narrowed(pf, q, filters, parts) {
  const counts = (await pf.search(q, { filters })).filters[PART] || {};
  const found = [], loose = [];
  for (const g of [{ not: { [PART]: { any: parts } } }, ...parts.filter((p) => counts[p]).map((p) => ({ [PART]: p }))]) {
    const s = await pf.search(q, { filters: { ...filters, ...g } });
    if (s.results.length) { (lacks(await s.results[0].data(), q) ? loose : found).push(g); }
  }
  return found.length && loose.length ? { ...filters, any: found } : filters;
}
function lacks(hit, q) {
  const words = (hit.locations || []).flatMap((l) => plain(hit.content.split(/\s+/)[l] || ""));
  return plain(q).some((t) => !words.some((w) => w.startsWith(stem(t))));
}
function plain(text) {   /* lower case, no accents (ё as е, й kept) */
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u0305\u0307-\u036f]/g, "").normalize("NFC")
    .match(/[\p{L}\p{N}]+/gu) || [];
}
/* Snowball Russian (the index's) for Cyrillic; else a guess */
const stem = (t) => (/[а-я]/.test(t) ? ruStem(t) : t.slice(0, Math.max(t.search(/[aeiouyαεηιουω]/) + 1 || 99, t.length - 3)));
const RU = {   /* [after а/я, others] */
  g: ["в вши вшись", "ив ивши ившись ыв ывши ывшись"], r: ["", "ся сь"],
  a: ["", "ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею"],
  p: ["ем нн вш ющ щ", "ивш ывш ующ"],
  v: ["ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно", "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен " +
    "ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю"],
  n: ["", "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я"],
  i: ["", "и"], d: ["", "ост ость"], s: ["", "ейш ейше"],
};
function cut(w, [aya, other], from) {   /* w less its longest ending, or null */
  [aya, other] = [aya.split(" "), other.split(" ")];
  const e = [...aya, ...other].filter((x) => w.endsWith(x) && w.length - x.length >= from)
    .sort((x, y) => y.length - x.length)[0];
  const at = w.length - (e || "").length;
  return e && (other.includes(e) || (at > from && "ая".includes(w[at - 1]))) ? w.slice(0, at) : null;
}
function ruStem(word) {
  let w = word.replace(/ё/g, "е");
  const vowel = (c) => "аеиоуыэюя".includes(c);
  const after = (f) => { for (let i = f + 1; i < w.length; i++) { if (!vowel(w[i]) && vowel(w[i - 1])) { return i + 1; } } return w.length; };
  const rv = w.split("").findIndex(vowel) + 1 || w.length, r2 = after(after(0));
  const g = cut(w, RU.g, rv);
  if (g !== null) {
    w = g;
  } else {
    w = cut(w, RU.r, rv) ?? w;
    const a = cut(w, RU.a, rv);
    w = a !== null ? cut(a, RU.p, rv) ?? a : cut(w, RU.v, rv) ?? cut(w, RU.n, rv) ?? w;
  }
  w = cut(w, RU.i, rv) ?? w;
  w = cut(w, RU.d, r2) ?? w;
  if (w.endsWith("нн") && w.length > rv) { return w.slice(0, -1); }
  const s = cut(w, RU.s, rv);
  if (s !== null) { return s.endsWith("нн") ? s.slice(0, -1) : s; }
  return w.endsWith("ь") && w.length > rv ? w.slice(0, -1) : w;
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
