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
  window.Ontmoet = { fillTokens: fillTokens, token: token };
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
