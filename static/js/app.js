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
})();
