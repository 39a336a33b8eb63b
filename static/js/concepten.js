// Ontmoet concepten: text that is typed but not yet sent stays on this device (sessionStorage),
// per sessie and per form, until it is sent or thrown away. A fase change, a reload or a swap
// never drops it silently: the form shows it again ("Je tekst is nog niet verstuurd"), and while
// its form is not on the page it waits in the box "Niet verstuurd" (#concepten).
//
// Forms opt in with data-concept="<name, unique within the sessie>" and
// data-concept-label="<what it is, for people>". The store itself (lees, bewaar, wis, lijst,
// uitFormulier, naarFormulier) has no DOM assumptions, so other code (a queue of posts that
// could not be sent, say) can keep its entries under the same keys, request id included.
(function () {
  "use strict";
  if (window.OntmoetConcepten) { return; }
  var PREFIX = "ontmoet:concept:";
  var opDePagina = {};   // forms (by name) that were on the page at the last look

  function opslag() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function sessieCode() {
    var root = document.querySelector("[data-live][data-code]");
    return root ? root.getAttribute("data-code") : null;
  }
  function sleutel(sessie, formulier) { return PREFIX + sessie + ":" + formulier; }

  function lees(sessie, formulier) {
    var s = opslag();
    if (!s || !sessie) { return null; }
    try { return JSON.parse(s.getItem(sleutel(sessie, formulier)) || "null"); } catch (e) { return null; }
  }
  function bewaar(sessie, formulier, concept) {
    var s = opslag();
    if (!s || !sessie) { return; }
    concept.formulier = formulier;
    concept.bewaard = Date.now();
    try { s.setItem(sleutel(sessie, formulier), JSON.stringify(concept)); } catch (e) { /* full: nothing to do */ }
  }
  function wis(sessie, formulier) {
    var s = opslag();
    if (s && sessie) { s.removeItem(sleutel(sessie, formulier)); }
  }
  function lijst(sessie) {
    var s = opslag();
    var uit = [];
    if (!s || !sessie) { return uit; }
    var begin = sleutel(sessie, "");
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(begin) === 0) {
        try { uit.push(JSON.parse(s.getItem(k))); } catch (e) { /* skip a broken entry */ }
      }
    }
    return uit.sort(function (a, b) { return (a.bewaard || 0) - (b.bewaard || 0); });
  }

  // The fields a person fills in (and the client request id); never the CSRF token.
  function velden(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && !el.disabled &&
        (el.type !== "hidden" || el.hasAttribute("data-request-id")) &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function uitFormulier(form) {
    var waarden = {};
    var tekst = [];
    velden(form).forEach(function (el) {
      if (el.type === "checkbox") {
        // A group of checkboxes under one name (e.g. the knelpunten of an actie) keeps every tick.
        if (el.checked) { (waarden[el.name] = waarden[el.name] || []).push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { waarden[el.name] = el.value; }
      } else {
        waarden[el.name] = el.value;
        if (el.tagName === "TEXTAREA" && el.value.trim()) { tekst.push(el.value.trim()); }
      }
    });
    return { label: form.getAttribute("data-concept-label") || "", velden: waarden, tekst: tekst.join("\n\n") };
  }
  function naarFormulier(form, concept) {
    velden(form).forEach(function (el) {
      var waarde = concept.velden[el.name];
      if (el.type === "checkbox") {
        el.checked = waarde !== undefined && [].concat(waarde).indexOf(el.value) >= 0;
      } else if (el.type === "radio") {
        el.checked = waarde !== undefined && el.value === waarde;
      } else if (waarde !== undefined) {
        el.value = waarde;
      }
    });
  }
  function heeftInhoud(form, concept) {
    if (form.querySelector("textarea")) { return !!concept.tekst; }
    return Object.keys(concept.velden).some(function (n) { return form.elements[n] && form.elements[n].type !== "hidden"; });
  }
  function wijktAf(form, concept) {  // does the form show something else than the draft?
    var nu = uitFormulier(form).velden;
    return velden(form).some(function (el) {
      return el.type !== "hidden" && String(concept.velden[el.name] || "") !== String(nu[el.name] || "");
    });
  }

  function formulierVan(el) {
    var form = el && el.closest ? el.closest("form[data-concept]") : null;
    return form && sessieCode() ? form : null;
  }
  function onthoud(e) {
    var form = formulierVan(e.target);
    if (!form) { return; }
    var concept = uitFormulier(form);
    if (heeftInhoud(form, concept)) { bewaar(sessieCode(), form.getAttribute("data-concept"), concept); }
    else { wis(sessieCode(), form.getAttribute("data-concept")); }
  }
  document.addEventListener("input", onthoud);
  document.addEventListener("change", onthoud);
  // Sent and accepted (2xx): the draft has done its work. A refusal keeps it.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var form = formulierVan(e.detail.requestConfig && e.detail.requestConfig.elt);
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (form && status >= 200 && status < 300) { wis(sessieCode(), form.getAttribute("data-concept")); }
  });
  document.addEventListener("click", function (e) {
    var knop = e.target.closest ? e.target.closest("[data-concept-weg]") : null;
    if (!knop) { return; }
    wis(sessieCode(), knop.getAttribute("data-concept-weg"));
    vernieuw();
    window.Ontmoet.meld("Je niet verstuurde tekst is weggegooid.");
    var kop = document.getElementById("concepten-kop");
    if (kop && document.getElementById("concepten").hidden === false) { kop.focus(); }
    else { document.getElementById("fase-kop") && document.getElementById("fase-kop").focus(); }
  });

  function element(tag, attrs, tekst) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (tekst) { el.textContent = tekst; }
    return el;
  }
  function toonBox(zwervend) {
    var box = document.getElementById("concepten");
    if (!box) { return; }
    box.textContent = "";
    box.hidden = !zwervend.length;
    if (!zwervend.length) { return; }
    box.appendChild(element("h2", { "class": "utrecht-heading-2", id: "concepten-kop", tabindex: "-1" }, "Niet verstuurd"));
    box.appendChild(element("p", { "class": "utrecht-paragraph" },
      "Je tekst is nog niet verstuurd. Hij blijft op dit apparaat bewaard; komt het formulier terug, dan staat hij er weer in."));
    var ul = element("ul", { "class": "concepten-lijst" });
    zwervend.forEach(function (c) {
      var li = element("li", { "class": "concept" });
      li.appendChild(element("p", { "class": "utrecht-paragraph concept-label" }, c.label || "Tekst"));
      li.appendChild(element("p", { "class": "utrecht-paragraph concept-tekst" }, c.tekst || "Je keuzes zijn nog niet opgeslagen."));
      var knop = element("button", { type: "button", "class": "utrecht-button utrecht-button--subtle", "data-concept-weg": c.formulier }, "Weggooien");
      knop.appendChild(element("span", { "class": "visually-hidden" }, ": " + (c.label || "tekst")));
      li.appendChild(knop);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  // Put drafts back into their forms, and the ones without a form in the box. Returns the box's
  // heading when a draft just lost its form (focus.js moves focus there if focus was lost).
  function vernieuw() {
    var sessie = sessieCode();
    if (!sessie) { return null; }
    var nu = {};
    document.querySelectorAll("form[data-concept]").forEach(function (f) { nu[f.getAttribute("data-concept")] = f; });
    var zwervend = [];
    var verdreven = false;
    var teruggezet = false;
    lijst(sessie).forEach(function (c) {
      var form = nu[c.formulier];
      if (!form) {
        zwervend.push(c);
        if (opDePagina[c.formulier]) { verdreven = true; }
        return;
      }
      if (!form.hasAttribute("data-concept-hersteld") && wijktAf(form, c)) {
        naarFormulier(form, c);
        var melding = element("p", { "class": "utrecht-paragraph concept-melding" }, "Je tekst is nog niet verstuurd.");
        form.insertBefore(melding, form.firstChild);
        teruggezet = true;
      }
      form.setAttribute("data-concept-hersteld", "");
    });
    opDePagina = nu;
    toonBox(zwervend);
    if (verdreven) {
      window.Ontmoet.meld("Je tekst is nog niet verstuurd. Je vindt hem onder ‘Niet verstuurd’.");
      return document.getElementById("concepten-kop");
    }
    if (teruggezet) { window.Ontmoet.meld("Je tekst is nog niet verstuurd en staat weer in het formulier."); }
    return null;
  }

  window.OntmoetConcepten = {
    sleutel: sleutel, lees: lees, bewaar: bewaar, wis: wis, lijst: lijst,
    uitFormulier: uitFormulier, naarFormulier: naarFormulier, vernieuw: vernieuw, sessie: sessieCode
  };
})();
