// Ontmoet volglinks. "Bewaar deze link": a copy button (the Clipboard API where the page is a secure
// context, else the link is selected for Ctrl+C or a long press, and said so), announced in
// #live-melding. "Mijn knelpunten": every volglink shown in this browser is kept in localStorage
// ("ontmoet:volglinks": address, title, date) and listed wherever the page has a
// [data-mijn-volglinks] section, with "Vergeten" per link for a shared device.
// Without JavaScript the link is simply shown, and nothing is kept.
(function () {
  "use strict";
  if (window.OntmoetVolglinks) { return; }
  var SLEUTEL = "ontmoet:volglinks";
  var MAX = 100;
  var VOLGLINK = /\/volg\/[A-Za-z0-9_-]{43}$/;

  function opslag() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function geldig(v) {
    return !!v && typeof v.url === "string" && VOLGLINK.test(v.url) && typeof v.titel === "string";
  }
  function lees() {
    var s = opslag();
    if (!s) { return []; }
    try {
      var lijst = JSON.parse(s.getItem(SLEUTEL) || "[]");
      return Array.isArray(lijst) ? lijst.filter(geldig) : [];
    } catch (e) { return []; }
  }
  function schrijf(lijst) {
    var s = opslag();
    if (!s) { return false; }
    try { s.setItem(SLEUTEL, JSON.stringify(lijst.slice(0, MAX))); return true; } catch (e) { return false; }
  }
  function meld(tekst) { if (window.Ontmoet && window.Ontmoet.meld) { window.Ontmoet.meld(tekst); } }

  // A "Bewaar deze link" block arrived: keep its link (once) and offer the copy button.
  function onthoud(blok) {
    var url = blok.getAttribute("data-url") || "";
    var v = { url: url, titel: blok.getAttribute("data-titel") || "Knelpunt", op: blok.getAttribute("data-op") || "" };
    if (!geldig(v)) { return; }
    var lijst = lees().filter(function (w) { return w.url !== url; });
    lijst.unshift(v);
    var bewaard = blok.querySelector("[data-volglink-bewaard]");
    if (schrijf(lijst) && bewaard) { bewaard.hidden = false; }
    toonAlle();
  }
  function vergeet(url) {
    schrijf(lees().filter(function (w) { return w.url !== url; }));
    toonAlle();
  }

  function datumTekst(iso) {
    var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return d ? Number(d[3]) + "-" + Number(d[2]) + "-" + d[1] : "";
  }
  function toon(sectie) {
    var ul = sectie.querySelector("[data-mijn-volglinks-lijst]");
    if (!ul) { return; }
    var lijst = lees();
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    lijst.forEach(function (v) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "utrecht-link utrecht-link--html-a";
      a.href = v.url;
      a.rel = "noreferrer";
      a.textContent = v.titel;
      li.appendChild(a);
      var datum = datumTekst(v.op);
      if (datum) {
        var meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = " · ingediend " + datum;
        li.appendChild(meta);
      }
      var knop = document.createElement("button");
      knop.type = "button";
      knop.className = "utrecht-button utrecht-button--subtle";
      knop.setAttribute("data-volglink-vergeet", v.url);
      knop.appendChild(document.createTextNode("Vergeten"));
      var wat = document.createElement("span");
      wat.className = "visually-hidden";
      wat.textContent = ": " + v.titel;
      knop.appendChild(wat);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(knop);
      ul.appendChild(li);
    });
    sectie.hidden = lijst.length === 0;
  }
  function toonAlle() { document.querySelectorAll("[data-mijn-volglinks]").forEach(toon); }

  function status(id, tekst) {
    var el = document.querySelector("[data-volglink-status=\"" + id.replace(/"/g, "") + "\"]");
    if (el) { el.textContent = tekst; }
    meld(tekst);
  }
  function handmatig(veld, id) {
    veld.focus();
    veld.select();
    var gelukt = false;
    try { gelukt = document.execCommand && document.execCommand("copy"); } catch (e) { gelukt = false; }
    status(id, gelukt ? "De volglink is gekopieerd." :
      "Kopiëren lukte niet vanzelf. De link is geselecteerd: kopieer hem met Ctrl+C (op een telefoon: houd hem ingedrukt).");
  }
  function kopieer(knop) {
    var id = knop.getAttribute("data-volglink-kopieer");
    var veld = document.getElementById(id);
    if (!veld) { return; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(veld.value).then(
        function () { status(id, "De volglink is gekopieerd."); },
        function () { handmatig(veld, id); }
      );
    } else {
      handmatig(veld, id);
    }
  }

  function nieuw(root) {
    var blokken = [];
    if (root.matches && root.matches("[data-volglink]")) { blokken.push(root); }
    if (root.querySelectorAll) {
      Array.prototype.push.apply(blokken, root.querySelectorAll("[data-volglink]"));
      root.querySelectorAll("[data-volglink-kopieer]").forEach(function (k) { k.hidden = false; });
    }
    blokken.forEach(onthoud);
  }

  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-volglink-kopieer], [data-volglink-vergeet]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-volglink-kopieer")) { kopieer(el); return; }
    var lijstSectie = el.closest("[data-mijn-volglinks]");
    vergeet(el.getAttribute("data-volglink-vergeet"));
    meld("De volglink is vergeten in deze browser.");
    // Focus stays in the list (or its heading when it is empty now), never on <body>.
    if (lijstSectie) {
      var eerste = lijstSectie.hidden ? null : lijstSectie.querySelector("[data-mijn-volglinks-lijst] a");
      var doel = eerste || document.getElementById("inhoud");
      if (doel) { doel.focus(); }
    }
  });
  // Another tab kept or forgot a link: show the same list here.
  window.addEventListener("storage", function (e) { if (e.key === SLEUTEL) { toonAlle(); } });
  document.addEventListener("DOMContentLoaded", function () {
    nieuw(document);
    toonAlle();
    if (window.htmx) { window.htmx.onLoad(function (root) { if (root !== document.body) { nieuw(root); } }); }
  });

  window.OntmoetVolglinks = { lees: lees, vergeet: vergeet };
})();
