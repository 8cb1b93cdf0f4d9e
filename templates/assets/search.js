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
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.meta.title || r.url;
    const p = document.createElement("p");
    p.className = "search-excerpt";
    if (r.meta.lang) { p.lang = r.meta.lang; }
    p.append(excerpt(r.excerpt));
    li.append(a, p);
    list.append(li);
  }
}

/* Pagefind's excerpt is text with <mark>: keep exactly that, as text and mark elements, whatever else the
   indexed text held (parsed in an inert template: nothing in it runs or loads) */
function excerpt(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of t.content.childNodes) {
    if (node.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = node.textContent;
      out.append(m);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
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
