// Ontmoet focus: after every swap (an own action over htmx, a live redraw over the socket, a
// panel fetched again when the fase moves on) focus lands somewhere deliberate, never on <body>.
//   1. After an own action with errors: the error summary, else the first invalid field.
//   2. A draft that lost its form (concepten.js): the "Niet verstuurd" box.
//   3. The control that was used, when it is there again (same id; htmx does this itself too).
//   4. Within the swapped part: the nearest surviving container of that control (its first
//      control), else what the swapped part points to (data-focus-naar), else its heading.
// Messages marked data-melding in the answer to an own action are spoken once in #live-melding.
(function () {
  "use strict";
  if (window.OntmoetFocus) { return; }
  var FOCUSBAAR = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var vorig = null;      // {id, ouders, doel, ververs}: where focus was when its part was swapped out
  var eigen = [];        // swapped-in answers to this person's own actions
  var gepland = null;

  function zichtbaar(el) { return !!(el && el.isConnected && el.getClientRects().length); }
  function verloren() {
    var a = document.activeElement;
    return !a || a === document.body || a === document.documentElement || !a.isConnected;
  }
  function zet(el) {
    if (!zichtbaar(el)) { return false; }
    if (!el.matches(FOCUSBAAR) && !el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: true });
    var r = el.getBoundingClientRect();  // bring it into view with the least movement, no jump
    if (r.bottom < 0 || r.top > window.innerHeight) { el.scrollIntoView({ block: "nearest" }); }
    return document.activeElement === el;
  }
  function eerste(delen, selector) {
    for (var i = 0; i < delen.length; i++) {
      var deel = delen[i];
      if (!deel.isConnected) { continue; }
      if (deel.matches && deel.matches(selector) && zichtbaar(deel)) { return deel; }
      var gevonden = Array.prototype.filter.call(deel.querySelectorAll(selector), zichtbaar)[0];
      if (gevonden) { return gevonden; }
    }
    return null;
  }

  // Before a part is swapped out: remember the focused control in it, and its containers.
  function voorWissel(doel, ververs) {
    var a = document.activeElement;
    if (!doel || !a || a === document.body || !doel.contains(a)) { return; }
    var ouders = [];
    for (var p = a.parentElement; p && p !== doel; p = p.parentElement) { if (p.id) { ouders.push(p.id); } }
    vorig = { id: a.id || null, ouders: ouders, doel: doel.id || null, ververs: !!ververs };
  }

  function herstel() {
    var v = vorig;
    vorig = null;
    if (!v || !verloren()) { return; }
    if (v.id && zet(document.getElementById(v.id))) { return; }
    if (!v.ververs) {  // a panel fetched for a new fase holds other things under the same ids
      for (var i = 0; i < v.ouders.length; i++) {
        var ouder = document.getElementById(v.ouders[i]);
        if (!ouder) { continue; }
        var controle = Array.prototype.filter.call(ouder.querySelectorAll(FOCUSBAAR), zichtbaar)[0];
        if (zet(controle) || zet(ouder.querySelector("h2, h3, h4"))) { return; }
      }
    }
    var doel = v.doel && document.getElementById(v.doel);
    if (doel) {
      var naar = doel.getAttribute("data-focus-naar");
      if (naar && zet(document.querySelector(naar))) { return; }
      if (zet(doel.querySelector("h2, h3, h4")) || zet(doel)) { return; }
    }
    zet(document.getElementById("inhoud"));
  }

  function naWissel() {
    gepland = null;
    var delen = eigen;
    eigen = [];
    delen.forEach(function (deel) {
      if (!deel.isConnected) { return; }
      var meldingen = deel.matches("[data-melding]") ? [deel] : deel.querySelectorAll("[data-melding]");
      Array.prototype.forEach.call(meldingen, function (m) { window.Ontmoet.meld(m.textContent); });
    });
    var concept = window.OntmoetConcepten ? window.OntmoetConcepten.vernieuw() : null;
    var fout = eerste(delen, "[data-foutoverzicht]") || eerste(delen, "[aria-invalid='true']");
    if (fout && zet(fout)) { vorig = null; return; }
    if (concept && verloren() && zet(concept)) { vorig = null; return; }
    herstel();
  }
  function plan() { if (!gepland) { gepland = window.setTimeout(naWissel, 0); } }

  document.addEventListener("htmx:beforeSwap", function (e) {
    var cfg = e.detail.requestConfig;
    voorWissel(e.detail.target, !!(cfg && cfg.verb === "get"));
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var cfg = e.detail.requestConfig;
    if (cfg && cfg.verb && cfg.verb !== "get") { eigen.push(e.target); }
    plan();
  });
  document.addEventListener("DOMContentLoaded", function () {
    // A whole page that came back with errors (no JavaScript path, or a full form post).
    var overzicht = document.querySelector("[data-foutoverzicht]");
    if (overzicht) { zet(overzicht); }
    if (window.OntmoetConcepten) { window.OntmoetConcepten.vernieuw(); }
  });

  // live.js calls these around the fragments it swaps in.
  window.OntmoetFocus = { voorWissel: voorWissel, naWissel: plan };
})();
