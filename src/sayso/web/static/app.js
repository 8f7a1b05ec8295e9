/* sayso serve: progressive enhancement only (every page works without it). Hovering a piece of a claim in an
   article highlights every piece of the same claim, in the text and in the side panel. */
(function () {
  "use strict";
  function ids(el) {
    return (el.getAttribute("data-att") || "").split(" ").filter(Boolean);
  }
  var all = document.querySelectorAll("[data-att]");
  if (!all.length) {
    return;
  }
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest("[data-att]") : null;
    document.querySelectorAll(".hl").forEach(function (x) { x.classList.remove("hl"); });
    if (!el) {
      return;
    }
    var want = ids(el);
    all.forEach(function (x) {
      if (ids(x).some(function (i) { return want.indexOf(i) >= 0; })) {
        x.classList.add("hl");
      }
    });
  });
})();
