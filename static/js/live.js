// Ontmoet live updates: follow the sessie over Socket.IO (CONTRACT.md, "Live updates").
// The server sends {seq, type, melding, fragmenten}; we apply each seq exactly once, in order.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.io) { return; }
  var code = root.getAttribute("data-code");
  var seq = parseInt(root.getAttribute("data-seq") || "0", 10);
  var statusEl = document.querySelector("[data-live-status]");
  var FASE_TYPES = ["sessie.gestart", "fase.gewijzigd", "sessie.afgesloten"];
  // Websocket first; where a proxy or venue network blocks it, long-polling over plain HTTP.
  var socket = window.io({ transports: ["websocket", "polling"], tryAllTransports: true });

  // Never wait silently: a `volg` without an answer within VOLG_WACHT ms, a refused connection
  // or a failure on the server's side shows NIET_VERBONDEN and tries again, with growing pauses
  // (1, 2, 4 … at most 15 s, with jitter, so a room full of phones does not retry in step).
  var VOLG_WACHT = 10000;
  var NIET_VERBONDEN = "Niet verbonden – opnieuw verbinden…";
  var eerderVerbonden = false;
  var pogingen = 0;
  var volgNummer = 0;
  var opnieuwTimer = null;

  function setStatus(state, text) {
    var vorige = statusEl ? statusEl.getAttribute("data-state") : null;
    if (statusEl) {
      statusEl.hidden = false;  // hidden without JavaScript: there is no live connection then
      statusEl.setAttribute("data-state", state);
      statusEl.textContent = text;
    }
    // Spoken (aria-live) once per change; the first connection on arrival is not news.
    if (vorige === state) { return; }
    if (state === "connected") {
      // Back after a break that was announced (also one before the first connection).
      if (eerderVerbonden || vorige === "reconnecting") { announce("Weer verbonden."); }
      eerderVerbonden = true;
    } else {
      announce(text);
    }
  }
  function announce(text, soort) { window.Ontmoet.meld(text, soort); }

  function nietVerbonden() { setStatus("reconnecting", NIET_VERBONDEN); }

  function straks(actie) {
    window.clearTimeout(opnieuwTimer);
    var pauze = Math.min(15000, 1000 * Math.pow(2, pogingen)) * (0.5 + Math.random());
    pogingen += 1;
    opnieuwTimer = window.setTimeout(actie, pauze);
  }

  // Own posts: the event of a knelpunt or reactie carries a one-way tag of its client request
  // id ("van"); this browser remembers the tags of what it sent, and does not announce its own
  // post as news (it hears its own confirmation instead). No author is stored or broadcast.
  var eigen = {};
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    var rid = elt && elt.querySelector ? elt.querySelector("input[data-request-id]") : null;
    if (rid && rid.value) { eigen[sha256(rid.value).slice(0, 16)] = true; }
  });
  // SHA-256 of a short ASCII string (request ids are [A-Za-z0-9_-]), as hex. Synchronous and
  // without crypto.subtle, which plain-HTTP addresses on a local network do not have.
  function sha256(ascii) {
    var K = [], H = [], i, j, p = 2;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    for (i = 0; i < 64; p++) {
      for (j = 2; j * j <= p && p % j; j++) { /* find primes */ }
      if (j * j > p) { if (i < 8) { H[i] = frac(Math.pow(p, 1 / 2)); } K[i++] = frac(Math.pow(p, 1 / 3)); }
    }
    var bytes = [];
    for (i = 0; i < ascii.length; i++) { bytes.push(ascii.charCodeAt(i) & 0xff); }
    var bits = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) { bytes.push(0); }
    for (i = 7; i >= 0; i--) { bytes.push(i >= 4 ? 0 : (bits >>> (i * 8)) & 0xff); }
    function rot(x, n) { return (x >>> n) | (x << (32 - n)); }
    for (var blok = 0; blok < bytes.length; blok += 64) {
      var w = [];
      for (i = 0; i < 64; i++) {
        if (i < 16) {
          w[i] = (bytes[blok + i * 4] << 24) | (bytes[blok + i * 4 + 1] << 16) | (bytes[blok + i * 4 + 2] << 8) | bytes[blok + i * 4 + 3];
        } else {
          var s0 = rot(w[i - 15], 7) ^ rot(w[i - 15], 18) ^ (w[i - 15] >>> 3);
          var s1 = rot(w[i - 2], 17) ^ rot(w[i - 2], 19) ^ (w[i - 2] >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (rot(e, 6) ^ rot(e, 11) ^ rot(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rot(a, 2) ^ rot(a, 13) ^ rot(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H = [(H[0] + a) | 0, (H[1] + b) | 0, (H[2] + c) | 0, (H[3] + d) | 0, (H[4] + e) | 0, (H[5] + f) | 0, (H[6] + g) | 0, (H[7] + h) | 0];
    }
    return H.map(function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }
  function follow() {
    window.clearTimeout(opnieuwTimer);
    var dit = ++volgNummer;  // only the answer to the latest volg counts
    socket.timeout(VOLG_WACHT).emit("volg", { code: code, sinds: seq }, function (err, ack) {
      if (dit !== volgNummer) { return; }
      if (err || !ack || (!ack.ok && ack.opnieuw)) {
        // No answer in time, or the server could not follow us just now: not live; try again.
        nietVerbonden();
        straks(function () { if (socket.connected) { follow(); } });
        return;
      }
      // What we missed held text that was removed since: load the current state instead.
      if (ack.ok && ack.herladen) { window.location.reload(); return; }
      if (ack.ok) { pogingen = 0; setStatus("connected", "Live verbonden"); }
      else { setStatus("disconnected", ack.fout || "Geen live verbinding"); }
    });
  }
  function swap(fragment) {
    var target = document.querySelector(fragment.doel);
    if (!target) { return; }
    if (window.OntmoetFocus) { window.OntmoetFocus.voorWissel(target, false); }
    window.htmx.swap(target, fragment.html, { swapStyle: fragment.wijze || "outerHTML" });
  }
  function apply(message) {
    (message.fragmenten || []).forEach(swap);
    if (window.OntmoetFocus) { window.OntmoetFocus.naWissel(); }
    if (window.Ontmoet) { window.Ontmoet.fillTokens(document); }
    var isFase = FASE_TYPES.indexOf(message.type) !== -1;
    if (!(message.van && eigen[message.van])) { announce(message.melding, isFase ? "fase" : null); }
    // Per-person panels (own posts, own votes, forms) are fetched again when the fase changes.
    if (isFase || message.herladen) { window.htmx.trigger(document.body, "ontmoet-fase"); }
    document.dispatchEvent(new CustomEvent("ontmoet:update", { detail: message }));
  }

  // Short-lived state outside the event log (presence): swap, never numbered or replayed.
  socket.on("vluchtig", function (message) {
    (message.fragmenten || []).forEach(swap);
    if (window.OntmoetFocus) { window.OntmoetFocus.naWissel(); }
  });
  socket.on("connect", follow);
  socket.on("disconnect", function (reden) {
    volgNummer += 1;  // an answer still on its way belongs to the old connection
    nietVerbonden();
    // The server closed this socket itself: socket.io does not come back by itself then.
    if (reden === "io server disconnect") { straks(function () { socket.connect(); }); }
  });
  socket.on("connect_error", function () {
    nietVerbonden();
    // Refused outright (not a network failure): socket.io gives up, so we try again ourselves.
    if (!socket.active) { straks(function () { socket.connect(); }); }
  });
  socket.on("update", function (message) {
    if (typeof message.seq !== "number" || message.seq <= seq) { return; }   // seen already
    if (message.seq > seq + 1) { follow(); return; }   // a gap: ask for what we missed, in order
    apply(message);
    seq = message.seq;
    root.setAttribute("data-seq", String(seq));
  });
})();
