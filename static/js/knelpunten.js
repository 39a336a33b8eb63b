// Ontmoet knelpunten: fresh client request ids for broadcast forms, "Aanpassen", the timer countdown.
// Loaded with each knelpunten panel; runs its setup once per page.
(function () {
  "use strict";
  if (window.OntmoetKnelpunten) { window.OntmoetKnelpunten.scan(document); return; }

  function nieuweId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var s = ""; for (var i = 0; i < 32; i++) { s += Math.floor(Math.random() * 16).toString(16); }
    return s;
  }
  // Forms that arrive over the socket are the same for everyone: give each its own request id.
  function vulIds(root) {
    (root || document).querySelectorAll("input[data-request-id]").forEach(function (input) {
      if (!input.value) { input.value = nieuweId(); }
    });
  }
  // The end of a running timer is said once (per end time), in the one place that speaks.
  var gezegd = {};
  function tel(span) {
    var eind = parseInt(span.getAttribute("data-eind") || "0", 10);
    if (!eind) { return; }
    var rest = Math.max(0, Math.round((eind - Date.now()) / 1000));
    var tekst = Math.floor(rest / 60) + ":" + String(rest % 60).padStart(2, "0");
    if (span.textContent !== tekst) { span.textContent = tekst; }
    if (rest > 0) { span.setAttribute("data-telt", ""); return; }
    if (!span.hasAttribute("data-telt") || gezegd[eind]) { return; }  // ended before we saw it run
    gezegd[eind] = true;
    var label = span.getAttribute("data-timer-label");
    var melding = "De tijd is om" + (label ? " voor " + label : "") + ".";
    if (!span.parentNode.querySelector(".timer-om")) {
      var om = document.createElement("strong");
      om.className = "timer-om";
      om.textContent = " " + melding;
      span.parentNode.appendChild(om);
    }
    if (window.Ontmoet && window.Ontmoet.meld) { window.Ontmoet.meld(melding); }
  }
  function scan(root) {
    vulIds(root);
    document.querySelectorAll("[data-aftellen][data-eind]").forEach(tel);
  }
  window.OntmoetKnelpunten = { scan: scan };
  // The countdown is not announced every second (aria-live would flood screen readers).
  window.setInterval(function () { document.querySelectorAll("[data-aftellen][data-eind]").forEach(tel); }, 1000);
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
  document.addEventListener("ontmoet:update", function () { scan(document); });
  scan(document);
})();
