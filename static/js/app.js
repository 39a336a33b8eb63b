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
  var wachtrij = [];
  var meldTimer = null;
  function meld(tekst) {
    var regio = document.getElementById("live-melding");
    tekst = (tekst || "").replace(/\s+/g, " ").trim();
    if (!regio || !tekst) { return; }
    if (wachtrij.indexOf(tekst) === -1) { wachtrij.push(tekst); }
    if (meldTimer) { return; }
    regio.textContent = "";
    meldTimer = window.setTimeout(function () {
      regio.textContent = wachtrij.join(" ");
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
