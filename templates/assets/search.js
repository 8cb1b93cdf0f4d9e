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
  const parts = await mergeParts(pagefind, baseUrl);
  let filters = {};
  if (form.elements.document.value) { filters.document = form.elements.document.value; }
  if (form.elements.language.value) { filters.language = form.elements.language.value; }
  filters = await withoutLooseParts(pagefind, q, filters, parts);
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

/* The edition's other search indexes (one per run of documents, so that an edit re-indexes one run),
   listed in pagefind/parts.json, merged once into this search; each merged index's pages carry its name
   as the filter PART (the first index's pages carry none) */
const PART = "edition-part";
let merged = null;
function mergeParts(pagefind, baseUrl) {
  merged = merged || fetch(new URL("pagefind/parts.json", document.baseURI))
    .then((response) => (response.ok ? response.json() : []))
    .catch(() => [])
    .then((parts) => Promise.all(parts.map((part) => pagefind.mergeIndex(new URL(part, document.baseURI).pathname,
      { baseUrl, mergeFilter: { [PART]: part } }))).then(() => parts));
  return merged;
}

let entry = null;
function indexLanguage() {   /* the language whose stemmer the indexes use (edition.toml's documents decide) */
  entry = entry || fetch(new URL("pagefind/pagefind-entry.json", document.baseURI))
    .then((response) => response.json()).then((e) => Object.keys(e.languages || {})[0] || "").catch(() => "");
  return entry;
}

/* The filters that leave out the indexes where a word of the query was not found. Pagefind looks a word up
   in each index on its own, and an index with no word beginning like it falls back to its longest word
   the query word begins with («с» for «социализм», «Σ» for «Στάινμπεργκ»): with one index for the
   whole edition that happened only when the word was nowhere, and so it still does (nothing left out
   when no index has the word). One hit per index is read to tell which. */
async function withoutLooseParts(pagefind, q, filters, parts) {
  if (!parts.length) { return filters; }
  const language = await indexLanguage();
  const all = await pagefind.search(q, { filters });
  const counts = (all.filters && all.filters[PART]) || {};
  const groups = [{ not: { [PART]: { any: parts } } }, ...parts.filter((p) => counts[p]).map((p) => ({ [PART]: p }))];
  const found = [], loose = [];
  for (const group of groups) {
    const s = await pagefind.search(q, { filters: { ...filters, ...group } });
    if (!s.results.length) { continue; }
    (isLoose(await s.results[0].data(), q, language) ? loose : found).push(group);
  }
  return found.length && loose.length ? { ...filters, any: found } : filters;
}

/* Whether a hit of an index lacks a word of the query: the index had no word beginning like it and either
   left it out of the search or took a shorter word the query word begins with instead. A word beginning
   with the query word's stem is a match: all the forms of the word the index's stemmer finds. */
function isLoose(hit, q, language) {
  const words = new Set((hit.locations || []).flatMap((l) => plain(hit.content.split(/\s+/)[l] || "")));
  return plain(q).some((t) => ![...words].some((w) => w.startsWith(stemOf(t, language))));
}

function plain(text) {   /* as the index compares words: lower case, without accents (ё as е; й kept) */
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u0305\u0307-\u036f]/g, "").normalize("NFC")
    .match(/[\p{L}\p{N}]+/gu) || [];
}

/* The stem a word is looked up by: the Snowball Russian stemmer's for a Russian index (Pagefind's, which
   leaves words of other scripts as written); for another language, at least the word up to its first
   vowel and at most three letters shorter than the word */
function stemOf(t, language) {
  if (language === "ru") { return russianStem(t); }
  const vowel = t.search(/[aeiouyαεηιουωаеиоуыэюя]/u);
  return vowel < 0 ? t : t.slice(0, Math.max(vowel + 1, t.length - 3));
}

const RU_VOWELS = "аеиоуыэюя";
const RU = {
  gerund: ["ившись", "ывшись", "вшись", "ивши", "ывши", "вши", "ив", "ыв", "в"],
  gerundAfterAYa: ["вшись", "вши", "в"],
  reflexive: ["ся", "сь"],
  adjective: ["ими", "ыми", "его", "ого", "ему", "ому", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой", "ем", "им",
    "ым", "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"],
  participle: ["ивш", "ывш", "ующ", "ем", "нн", "вш", "ющ", "щ"],
  participleAfterAYa: ["ем", "нн", "вш", "ющ", "щ"],
  verb: ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно",
    "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило", "ыло",
    "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"],
  verbAfterAYa: ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
  noun: ["иями", "ями", "ами", "иях", "иям", "ием", "ией", "ях", "ах", "ей", "ой", "ий", "ям", "ем", "ам", "ом", "ев",
    "ов", "ие", "ье", "еи", "ии", "ию", "ью", "ия", "ья", "а", "е", "и", "й", "о", "у", "ы", "ь", "ю", "я"],
};

/* The longest of `endings` that ends w at or after `from` (and after а or я there, for those in `afterAYa`):
   w without it, or null */
function cut(w, endings, from, afterAYa = []) {
  let best = null;
  for (const e of endings) {
    if (w.endsWith(e) && w.length - e.length >= from && (!best || e.length > best.length)) { best = e; }
  }
  if (!best) { return null; }
  const at = w.length - best.length;
  if (afterAYa.includes(best) && !(at - 1 >= from && "ая".includes(w[at - 1]))) { return null; }
  return w.slice(0, at);
}

function russianStem(word) {
  let w = word.replace(/ё/g, "е");
  if (!/[а-я]/.test(w)) { return word; }
  const rv = (() => { const i = [...w].findIndex((c) => RU_VOWELS.includes(c)); return i < 0 ? w.length : i + 1; })();
  const after = (from) => {   /* the region after the first non-vowel following a vowel, from `from` */
    for (let i = from + 1; i < w.length; i++) {
      if (!RU_VOWELS.includes(w[i]) && RU_VOWELS.includes(w[i - 1])) { return i + 1; }
    }
    return w.length;
  };
  const r2 = after(after(0));
  let step = cut(w, RU.gerund, rv, RU.gerundAfterAYa);
  if (step !== null) {
    w = step;
  } else {
    w = cut(w, RU.reflexive, rv) ?? w;
    const adjective = cut(w, RU.adjective, rv);
    if (adjective !== null) {
      w = cut(adjective, RU.participle, rv, RU.participleAfterAYa) ?? adjective;
    } else {
      step = cut(w, RU.verb, rv, RU.verbAfterAYa);
      w = step ?? cut(w, RU.noun, rv) ?? w;
    }
  }
  w = cut(w, ["и"], rv) ?? w;
  w = cut(w, ["ость", "ост"], r2) ?? w;
  if (w.endsWith("нн") && w.length - 1 >= rv) { return w.slice(0, -1); }
  const superlative = cut(w, ["ейше", "ейш"], rv);
  if (superlative !== null) { return superlative.endsWith("нн") ? superlative.slice(0, -1) : superlative; }
  return w.endsWith("ь") && w.length - 1 >= rv ? w.slice(0, -1) : w;
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
