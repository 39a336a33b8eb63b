// Ontmoet: small glue for htmx. Forms work without JavaScript; this only makes them smoother.
(function () {
  "use strict";
  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Fragments broadcast over the socket carry no per-user CSRF token; fill in this page's.
  function fillTokens(root) {
    (root || document).querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
      if (!input.value) { input.value = token(); }
    });
  }
  // One place that speaks: the persistent polite region #live-melding (base.html, outside all
  // swapped content). Messages that arrive close together are read as one, none is dropped.
  // A message with a `soort` replaces a waiting one of the same soort (catching up on three
  // fase moves says only the last).
  var wachtrij = [];
  var meldTimer = null;
  function meld(tekst, soort) {
    var regio = document.getElementById("live-melding");
    tekst = (tekst || "").replace(/\s+/g, " ").trim();
    if (!regio || !tekst) { return; }
    wachtrij = wachtrij.filter(function (m) { return m.tekst !== tekst && !(soort && m.soort === soort); });
    wachtrij.push({ tekst: tekst, soort: soort || null });
    if (meldTimer) { return; }
    regio.textContent = "";
    meldTimer = window.setTimeout(function () {
      regio.textContent = wachtrij.map(function (m) { return m.tekst; }).join(" ");
      wachtrij = [];
      meldTimer = null;
    }, 100);
  }
  window.Ontmoet = { fillTokens: fillTokens, token: token, meld: meld };
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = token();
  });
  document.addEventListener("htmx:afterSwap", function (event) { fillTokens(event.target); });
  // Show the server's Dutch error fragment (4xx) instead of silently doing nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 500) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  document.addEventListener("DOMContentLoaded", function () { fillTokens(document); });
  // "Afdrukken" buttons (no onclick attribute: the Content-Security-Policy allows no inline script).
  document.addEventListener("click", function (event) {
    var knop = event.target.closest ? event.target.closest("[data-afdrukken]") : null;
    if (knop) { window.print(); }
  });
  // A panel rendered before the page's live seq moved on fetches itself again ("ontmoet-achter"):
  // data-achter-seq is the seq it was rendered at; with data-achter-fase(-van) only when the
  // element with that id shows another fase. Replaces htmx trigger filters, which need eval.
  function achter(el) {
    var live = document.querySelector("[data-live]");
    if (!live || !(Number(live.getAttribute("data-seq")) > Number(el.getAttribute("data-achter-seq")))) { return false; }
    var van = el.getAttribute("data-achter-fase-van");
    if (!van) { return true; }
    var bron = document.getElementById(van);
    return !!bron && bron.getAttribute("data-fase") !== el.getAttribute("data-achter-fase");
  }
  if (window.htmx) {
    window.htmx.onLoad(function (root) {
      var els = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-achter-seq]")) : [];
      if (root.matches && root.matches("[data-achter-seq]")) { els.unshift(root); }
      els.forEach(function (el) { if (achter(el)) { window.htmx.trigger(el, "ontmoet-achter"); } });
    });
  }
})();
