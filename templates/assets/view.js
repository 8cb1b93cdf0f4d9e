/* Runs before the page paints: restore the reader's view (edited/diplomatic, highlighting by type). */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  try {
    if (localStorage.getItem("edition.view") === "diplomatic") {
      root.classList.replace("view-edited", "view-diplomatic");
    }
    ["pers", "org", "place", "date", "bibl"].forEach(function (type) {
      if (localStorage.getItem("edition.highlight." + type) === "on") { root.classList.add("show-" + type); }
    });
  } catch (e) { /* storage blocked: the default view */ }
})();
