// Ontmoet live updates: follow the sessie over Socket.IO (CONTRACT.md, "Live updates").
// The server sends {seq, type, melding, fragmenten}; we apply each seq exactly once, in order.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.io) { return; }
  var code = root.getAttribute("data-code");
  var seq = parseInt(root.getAttribute("data-seq") || "0", 10);
  var statusEl = document.querySelector("[data-live-status]");
  var meldingEl = document.getElementById("live-melding");
  var FASE_TYPES = ["sessie.gestart", "fase.gewijzigd", "sessie.afgesloten"];
  var socket = window.io({ transports: ["websocket", "polling"] });

  function setStatus(state, text) {
    if (!statusEl) { return; }
    statusEl.hidden = false;  // hidden without JavaScript: there is no live connection then
    statusEl.setAttribute("data-state", state);
    statusEl.textContent = text;
  }
  function announce(text) {
    if (!meldingEl || !text) { return; }
    meldingEl.textContent = "";
    window.setTimeout(function () { meldingEl.textContent = text; }, 50);
  }
  function follow() {
    socket.emit("volg", { code: code, sinds: seq }, function (ack) {
      // What we missed held text that was removed since: load the current state instead.
      if (ack && ack.ok && ack.herladen) { window.location.reload(); return; }
      if (ack && ack.ok) { setStatus("connected", "Live verbonden"); }
      else { setStatus("disconnected", (ack && ack.fout) || "Geen live verbinding"); }
    });
  }
  function apply(message) {
    (message.fragmenten || []).forEach(function (fragment) {
      var target = document.querySelector(fragment.doel);
      if (!target) { return; }
      window.htmx.swap(target, fragment.html, { swapStyle: fragment.wijze || "outerHTML" });
    });
    if (window.Ontmoet) { window.Ontmoet.fillTokens(document); }
    announce(message.melding);
    // Per-person panels (own posts, own votes, forms) are fetched again when the fase changes.
    if (FASE_TYPES.indexOf(message.type) !== -1 || message.herladen) { window.htmx.trigger(document.body, "ontmoet-fase"); }
    document.dispatchEvent(new CustomEvent("ontmoet:update", { detail: message }));
  }

  // Short-lived state outside the event log (presence): swap, never numbered or replayed.
  socket.on("vluchtig", function (message) {
    (message.fragmenten || []).forEach(function (fragment) {
      var target = document.querySelector(fragment.doel);
      if (target) { window.htmx.swap(target, fragment.html, { swapStyle: fragment.wijze || "outerHTML" }); }
    });
  });
  socket.on("connect", follow);
  socket.on("disconnect", function () { setStatus("reconnecting", "Verbinding kwijt, opnieuw verbinden…"); });
  socket.on("update", function (message) {
    if (typeof message.seq !== "number" || message.seq <= seq) { return; }   // seen already
    if (message.seq > seq + 1) { follow(); return; }   // a gap: ask for what we missed, in order
    apply(message);
    seq = message.seq;
    root.setAttribute("data-seq", String(seq));
  });
})();
