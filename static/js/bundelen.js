// Ontmoet bundelen: drag a knelpunt onto a thema. The same POST as the keyboard path
// ("Verplaats naar thema…" + "Verplaatsen"); the socket update then redraws every screen.
(function () {
  "use strict";
  if (window.OntmoetBundelen) { return; }
  window.OntmoetBundelen = true;
  var gesleept = null;

  document.addEventListener("dragstart", function (e) {
    var item = e.target.closest && e.target.closest("[data-knelpunt-id][data-verplaats-url]");
    if (!item) { return; }
    gesleept = item;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", item.getAttribute("data-knelpunt-id"));
    item.classList.add("wordt-gesleept");
  });
  document.addEventListener("dragend", function () {
    if (gesleept) { gesleept.classList.remove("wordt-gesleept"); }
    gesleept = null;
    document.querySelectorAll(".sleep-doel").forEach(function (el) { el.classList.remove("sleep-doel"); });
  });
  function doel(e) { return e.target.closest ? e.target.closest("[data-verplaats-doel]") : null; }
  document.addEventListener("dragover", function (e) {
    var d = doel(e);
    if (!d || !gesleept) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    d.classList.add("sleep-doel");
  });
  document.addEventListener("dragleave", function (e) {
    var d = doel(e);
    if (d && !d.contains(e.relatedTarget)) { d.classList.remove("sleep-doel"); }
  });
  document.addEventListener("drop", function (e) {
    var d = doel(e);
    if (!d || !gesleept) { return; }
    e.preventDefault();
    d.classList.remove("sleep-doel");
    var url = gesleept.getAttribute("data-verplaats-url");
    window.htmx.ajax("POST", url, { values: { thema: d.getAttribute("data-thema-id") }, swap: "none" });
  });
})();
