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
})();
