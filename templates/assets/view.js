/* Runs before the page paints: restore the reader's view (edited/diplomatic, name highlighting). */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  try {
    if (localStorage.getItem("edition.view") === "diplomatic") {
      root.classList.replace("view-edited", "view-diplomatic");
    }
    if (localStorage.getItem("edition.entities") === "on") { root.classList.add("show-entities"); }
  } catch (e) { /* storage blocked: the default view */ }
})();
