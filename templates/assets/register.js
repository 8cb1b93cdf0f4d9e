/* The register's filters: by name (any of an entry's names, in any script), by the document that mentions
   it, by group or type. The lists are complete without scripts; the form appears with them. */
(function () {
  "use strict";
  var form = document.querySelector(".register-filter");
  if (!form) { return; }
  var ui = JSON.parse(document.getElementById("ui-strings").textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll(".register-list li"));
  var q = form.querySelector("#reg-q"), doc = form.querySelector("#reg-doc"), type = form.querySelector("#reg-type");
  var count = form.querySelector(".register-count");
  var params = new URLSearchParams(location.search);
  if (params.get("document")) { doc.value = params.get("document"); }
  if (params.get("type")) { type.value = params.get("type"); }
  form.hidden = false;
  function fold(s) { return s.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function apply() {
    var text = fold(q.value.trim()), d = doc.value, t = type.value, shown = 0;
    items.forEach(function (li) {
      var group = li.closest(".register-group").dataset.group;
      var ok = (!d || (" " + li.dataset.docs + " ").indexOf(" " + d + " ") >= 0) &&
        (!t || t === group || t === "type-" + li.dataset.type) &&
        (!text || fold(li.dataset.names + " " + li.textContent).indexOf(text) >= 0);
      li.hidden = !ok;
      if (ok) { shown++; }
    });
    document.querySelectorAll(".register-group").forEach(function (g) {
      g.hidden = !g.querySelector(".register-list li:not([hidden])");
    });
    count.textContent = (d || t || text) ? (ui.register_shown || "{n}").replace("{n}", String(shown)) : "";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  apply();
})();
