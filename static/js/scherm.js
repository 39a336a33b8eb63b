// Ontmoet Scherm: the projector view follows the sessie over Socket.IO (CONTRACT.md, "Live updates").
// It shows what the whole room may see, so it never swaps the fragments an update carries (those
// are the begeleider's): any new seq makes it fetch its own content again (#scherm-inhoud).
(function () {
  "use strict";
  var root = document.querySelector("[data-scherm]");
  if (!root || !window.io || !window.htmx) { return; }
  var code = root.getAttribute("data-code");
  var seq = parseInt(root.getAttribute("data-seq") || "0", 10);
  var statusEl = document.querySelector("[data-scherm-status]");
  // Websocket first; where a proxy or venue network blocks it, long-polling over plain HTTP.
  var socket = window.io({ transports: ["websocket", "polling"], tryAllTransports: true });
  var wacht = null;

  function status(state, tekst) {
    if (!statusEl) { return; }
    statusEl.hidden = state === "connected";  // only a problem is worth a corner of the screen
    statusEl.setAttribute("data-state", state);
    statusEl.textContent = tekst;
    root.setAttribute("data-verbinding", state);
  }
  // Several updates close together (a fase move, a burst of posts) make one fetch.
  function ververs() {
    if (wacht) { return; }
    wacht = window.setTimeout(function () {
      wacht = null;
      window.htmx.trigger(document.body, "ontmoet-scherm");
    }, 150);
  }
  function volg() {
    socket.emit("volg", { code: code, sinds: seq }, function (ack) {
      if (ack && ack.ok) {
        status("connected", "Live verbonden");
        if (ack.herladen || (typeof ack.seq === "number" && ack.seq > seq)) {
          if (typeof ack.seq === "number") { seq = Math.max(seq, ack.seq); }
          ververs();
        }
      } else {
        status("disconnected", (ack && ack.fout) || "Geen live verbinding");
      }
    });
  }
  socket.on("connect", volg);
  socket.on("disconnect", function () { status("reconnecting", "Verbinding kwijt, opnieuw verbinden…"); });
  socket.on("update", function (message) {
    if (typeof message.seq !== "number" || message.seq <= seq) { return; }
    seq = message.seq;
    root.setAttribute("data-seq", String(seq));
    ververs();
  });
})();
