// Ontmoet verzenden: a form of a live sessie that could not be sent (no connection, no answer in
// time, a server error) keeps what was typed, says so next to the form and in #live-melding, and
// is sent again with the same client request id: by hand ("Opnieuw versturen"), when the browser
// is online again, and when the live connection is back. The server stores a post, stem, reactie
// or beoordeling once per request id, so sending again never counts twice.
//
// It works for every form with data-concept (concepten.js keeps the typed text on this device);
// what waits to be sent again is kept beside it in sessionStorage ("ontmoet:wacht:<sessie>:<form>":
// the request id and the button used), so a reload or a redrawn form does not forget it.
(function () {
  "use strict";
  if (window.OntmoetVerzenden) { return; }
  var C = window.OntmoetConcepten;
  if (!C) { return; }
  var PREFIX = "ontmoet:wacht:";
  var TIJDSLIMIET = 20000;  // ms; on venue Wi-Fi a request can otherwise hang without an end
  var TEKST = {
    verbinding: "Niet verstuurd: er is geen verbinding. Wat je invulde staat er nog. " +
      "We versturen het opnieuw zodra je weer verbinding hebt.",
    tijd: "Niet verstuurd: de server antwoordde niet op tijd. Wat je invulde staat er nog. " +
      "We versturen het opnieuw zodra de verbinding er weer is, of kies Opnieuw versturen.",
    server: "Niet verstuurd: er ging iets mis bij de server. Wat je invulde staat er nog. " +
      "Kies Opnieuw versturen om het nog eens te proberen.",
    // Forms the server does not store once per request id (data-niet-vanzelf): never sent again
    // by themselves, so what may have arrived is not stored twice; the person checks and chooses.
    handmatig: "Mogelijk niet verstuurd: er was geen verbinding of de server antwoordde niet op tijd. " +
      "Wat je invulde staat er nog. Kijk of het er toch al staat; kies anders Opnieuw versturen."
  };
  function tekstVoor(form, soort) {
    return form.hasAttribute("data-niet-vanzelf") ? TEKST.handmatig : (TEKST[soort] || TEKST.verbinding);
  }

  function opslag() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function sleutel(naam) { return PREFIX + C.sessie() + ":" + naam; }
  function leesWacht(naam) {
    var s = opslag();
    if (!s || !C.sessie()) { return null; }
    try { return JSON.parse(s.getItem(sleutel(naam)) || "null"); } catch (e) { return null; }
  }
  function bewaarWacht(naam, wacht) {
    var s = opslag();
    if (!s || !C.sessie()) { return; }
    try { s.setItem(sleutel(naam), JSON.stringify(wacht)); } catch (e) { /* full: the form still shows it */ }
  }
  function wisWacht(naam) {
    var s = opslag();
    if (s && C.sessie()) { s.removeItem(sleutel(naam)); }
  }

  // The form that sent a request. After a swap htmx may fire its events on another element
  // (the form itself is gone), so the request's own element comes first.
  function bron(e) {
    var cfg = e.detail.requestConfig;
    return (cfg && cfg.elt) || e.detail.elt;
  }
  function formulier(el) {
    var form = el && el.closest ? el.closest("form[data-concept]") : null;
    return form && C.sessie() ? form : null;
  }
  function formulierNaam(naam) {
    var gevonden = null;
    document.querySelectorAll("form[data-concept]").forEach(function (f) {
      if (f.getAttribute("data-concept") === naam) { gevonden = f; }
    });
    return gevonden;
  }
  function requestId(form) { return form.querySelector("input[data-request-id]"); }
  function nieuweId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var s = ""; for (var i = 0; i < 32; i++) { s += Math.floor(Math.random() * 16).toString(16); }
    return s;
  }
  // The request id this request carries (not the form's: a Stem form has a new one by then).
  function verstuurdeId(cfg, form) {
    var waarde = cfg.parameters ? cfg.parameters.client_request_id : null;
    if (Array.isArray(waarde)) { waarde = waarde[0]; }
    if (waarde) { return String(waarde); }
    var rid = requestId(form);
    return rid ? rid.value : null;
  }

  function verstuurKnop(form) { return form.querySelector("button[type=submit], button:not([type])"); }
  // The message goes where the person looks: above the form's buttons (below a vote's buttons).
  function plek(form) {
    var groep = form.querySelector(".utrecht-button-group");
    if (groep) { return { ouder: groep.parentNode, voor: groep }; }
    var buiten = form.parentNode && form.parentNode.closest ? form.parentNode.closest(".utrecht-button-group") : null;
    if (buiten) { return { ouder: buiten.parentNode, voor: buiten.nextSibling }; }
    var knop = verstuurKnop(form);
    if (knop) { return { ouder: knop.parentNode, voor: knop }; }
    return { ouder: form, voor: form.firstChild };
  }
  function meldingVan(naam) {
    return document.querySelector("[data-verzend-melding][data-voor=\"" + naam.replace(/"/g, "") + "\"]");
  }
  function wisMelding(naam, form) {
    var oud = meldingVan(naam);
    if (!oud) { return; }
    // "Opnieuw versturen" was used: focus goes to the form's own button, never to <body>.
    var knop = form && oud.contains(document.activeElement) ? verstuurKnop(form) : null;
    oud.parentNode.removeChild(oud);
    if (knop) { knop.focus({ preventScroll: true }); }
  }
  function toonMelding(form, tekst) {
    var naam = form.getAttribute("data-concept");
    wisMelding(naam);
    var box = document.createElement("div");
    box.className = "utrecht-alert utrecht-alert--error verzend-melding";
    box.setAttribute("data-verzend-melding", "");
    box.setAttribute("data-voor", naam);
    var p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.textContent = tekst;
    box.appendChild(p);
    var knop = document.createElement("button");
    knop.type = "button";
    knop.className = "utrecht-button utrecht-button--secondary-action";
    knop.setAttribute("data-opnieuw", naam);
    knop.textContent = "Opnieuw versturen";
    var label = form.getAttribute("data-concept-label");
    if (label) {
      var extra = document.createElement("span");
      extra.className = "visually-hidden";
      extra.textContent = ": " + label;
      knop.appendChild(extra);
    }
    box.appendChild(knop);
    var waar = plek(form);
    waar.ouder.insertBefore(box, waar.voor);
  }

  function mislukt(e, soort) {
    var cfg = e.detail.requestConfig || {};
    var form = formulier(bron(e));
    if (!form) { return; }
    var naam = form.getAttribute("data-concept");
    var submitter = cfg.triggeringEvent && cfg.triggeringEvent.submitter;
    bewaarWacht(naam, {
      rid: verstuurdeId(cfg, form),
      knop: submitter && submitter.id ? submitter.id : null,
      soort: soort
    });
    // What was typed or chosen stays on this device, request id included (a stem has nothing).
    if (form.querySelector("textarea, select, input:not([type=hidden])")) {
      C.bewaar(C.sessie(), naam, C.uitFormulier(form));
    }
    toonMelding(form, tekstVoor(form, soort));
    window.Ontmoet.meld(tekstVoor(form, soort));
  }

  // Send a waiting form again, with the request id it had. True when a request went out.
  function opnieuw(naam) {
    var wacht = leesWacht(naam);
    var form = formulierNaam(naam);
    if (!wacht || !form || form.hasAttribute("data-bezig")) { return false; }
    var knop = wacht.knop ? document.getElementById(wacht.knop) : null;
    if (!knop || !form.contains(knop)) { knop = verstuurKnop(form); }
    if (typeof form.requestSubmit !== "function") { return false; }
    form.requestSubmit(knop || undefined);
    return true;
  }
  function allesOpnieuw() {
    document.querySelectorAll("form[data-concept]").forEach(function (form) {
      // Emptied since (a required field): no browser bubble out of the blue; the message stays.
      if (form.checkValidity && !form.checkValidity()) { return; }
      if (form.hasAttribute("data-niet-vanzelf")) { return; }
      opnieuw(form.getAttribute("data-concept"));
    });
  }
  // A form that waits and is (again) on the page says so, e.g. after a reload or a redraw.
  function toonWachtend() {
    document.querySelectorAll("form[data-concept]").forEach(function (form) {
      var naam = form.getAttribute("data-concept");
      var wacht = leesWacht(naam);
      if (!wacht || meldingVan(naam) || form.hasAttribute("data-bezig")) { return; }
      toonMelding(form, tekstVoor(form, wacht.soort));
    });
  }

  document.addEventListener("htmx:configRequest", function (e) {
    var form = formulier(bron(e));
    if (!form) { return; }
    if (!e.detail.timeout) { e.detail.timeout = TIJDSLIMIET; }
    // Something of this form waits to be sent: whichever button sends it now, it goes with the
    // request id it had, so what may have arrived already is not stored a second time.
    var wacht = leesWacht(form.getAttribute("data-concept"));
    var rid = requestId(form);
    if (!wacht || !wacht.rid || !rid) { return; }
    e.detail.parameters.client_request_id = wacht.rid;
    // live.js recognises its own post by the form's id: keep them the same (not for Stem, whose
    // form moves on to a new id as the request leaves).
    if (!form.hasAttribute("data-elke-keer-nieuw")) { rid.value = wacht.rid; }
  });
  // A new attempt: no old success or failure message stands beside it.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = formulier(bron(e));
    if (!form) { return; }
    form.setAttribute("data-bezig", "");
    // Each click on Stem is another stem: the next one gets its own request id (this request
    // already carries the current one).
    var rid = requestId(form);
    if (rid && form.hasAttribute("data-elke-keer-nieuw")) { rid.value = nieuweId(); }
    wisMelding(form.getAttribute("data-concept"), form);
    var doel = e.detail.target;
    [doel, form].forEach(function (deel) {
      if (!deel || !deel.querySelectorAll) { return; }
      deel.querySelectorAll(".utrecht-alert--ok[data-melding], .concept-melding").forEach(function (oud) {
        oud.parentNode.removeChild(oud);
      });
    });
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = formulier(bron(e));
    if (!form) { return; }
    form.removeAttribute("data-bezig");
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    // The server answered (stored, or refused with its reason next to the field): nothing waits.
    if (status > 0 && status < 500) { wisWacht(form.getAttribute("data-concept")); }
  });
  document.addEventListener("htmx:sendError", function (e) { mislukt(e, "verbinding"); });
  document.addEventListener("htmx:timeout", function (e) { mislukt(e, "tijd"); });
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status >= 500 || status === 0) { mislukt(e, "server"); }
  });
  document.addEventListener("click", function (e) {
    var knop = e.target.closest ? e.target.closest("[data-opnieuw]") : null;
    if (!knop) { return; }
    if (!opnieuw(knop.getAttribute("data-opnieuw"))) {
      window.Ontmoet.meld("Dit formulier staat niet meer op de pagina; versturen kan nu niet.");
    }
  });
  window.addEventListener("online", allesOpnieuw);
  // The live connection is back (live.js marks its status element "connected"): send what waits.
  function volgVerbinding() {
    var status = document.querySelector("[data-live-status]");
    if (!status || !window.MutationObserver) { return; }
    var vorige = status.getAttribute("data-state");
    new window.MutationObserver(function () {
      var nu = status.getAttribute("data-state");
      if (nu === "connected" && vorige !== "connected") { allesOpnieuw(); }
      vorige = nu;
    }).observe(status, { attributes: true, attributeFilter: ["data-state"] });
  }
  document.addEventListener("htmx:afterSettle", toonWachtend);
  document.addEventListener("ontmoet:update", toonWachtend);
  document.addEventListener("DOMContentLoaded", function () { toonWachtend(); volgVerbinding(); });

  window.OntmoetVerzenden = { opnieuw: opnieuw, allesOpnieuw: allesOpnieuw };
})();
