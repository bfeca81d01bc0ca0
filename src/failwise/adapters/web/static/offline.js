/* failwise offline page: shown by the service worker in place of a page it never saved.
 * A set typed here (exercise by name, load, reps, RIR) goes into app.js's queue with a
 * new idempotency key, and is sent once when the connection returns. The exercise names
 * come from the catalog the worker saved; the Today pages it saved are listed to tap. */
(function () {
  "use strict";

  var fw = window.failwise;
  var form = document.getElementById("offline-form");
  if (!fw || !form) return;
  var $ = function (id) { return document.getElementById(id); };
  var unit = form.dataset.unit;
  var byId = {};
  var DECIMAL = /^-?(\d+([.,]\d*)?|[.,]\d+)$/;  // as today.js and views.typed_number read them

  function decimal(text) {
    text = String(text).trim();
    return DECIMAL.test(text) ? Number(text.replace(",", ".")) : NaN;
  }

  function wanted() {
    return new URLSearchParams(window.location.search).get("exercise") || "";
  }

  function option(name) {
    var node = document.createElement("option");
    node.value = name;
    return node;
  }

  function savedPages() {
    if (!window.caches) return;
    window.caches.open("failwise-data-v1").then(function (cache) { return cache.keys(); }).then(function (keys) {
      var links = keys.map(function (key) { return new URL(key.url); }).filter(function (url) {
        return url.pathname === "/today" && url.searchParams.get("exercise");
      }).map(function (url) {
        var id = url.searchParams.get("exercise");
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = url.pathname + url.search;
        a.textContent = byId[id] ? byId[id].name : id;
        li.append(a);
        return li;
      });
      $("saved-pages").replaceChildren.apply($("saved-pages"), links);
      $("saved-box").hidden = links.length === 0;
    }).catch(function () {});
  }

  fetch("/api/exercises", { credentials: "same-origin" }).then(function (response) {
    return response.ok ? response.json() : [];
  }).catch(function () { return []; }).then(function (catalog) {
    catalog.forEach(function (exercise) { byId[exercise.id] = exercise; });
    $("offline-exercises").replaceChildren.apply($("offline-exercises"), catalog.map(function (e) { return option(e.name); }));
    var asked = wanted();
    if (asked && !$("offline-exercise").value) $("offline-exercise").value = byId[asked] ? byId[asked].name : asked;
    savedPages();
  });

  function refuse(text, id) {
    $("offline-error").textContent = text;
    $("offline-error").hidden = false;
    $(id).setAttribute("aria-invalid", "true");
    $(id).focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (fw.rest) fw.rest.ask();
    $("offline-error").hidden = true;
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    var name = $("offline-exercise").value.trim();
    var load = decimal($("offline-load").value);
    var reps = decimal($("offline-reps").value);
    var rirText = $("offline-rir").value.trim();
    var rir = rirText === "" ? null : decimal(rirText);
    if (!name) return refuse("Name the exercise.", "offline-exercise");
    if (isNaN(load) || load < 0) return refuse("Load must be a number: 22.5 or 22,5 (0 for bodyweight).", "offline-load");
    if (!Number.isInteger(reps) || reps < 1) return refuse("Reps must be a whole number, 1 or more.", "offline-reps");
    if (rir !== null && (isNaN(rir) || rir < 0 || rir > 10)) return refuse("RIR must be a number from 0 to 10.", "offline-rir");
    var body = { exercise: name, load: load, unit: unit, reps: reps, logged_at: new Date().toISOString() };
    if (rir !== null) body.rir = rir;
    var label = name + " " + (load === 0 ? "bodyweight" : load + " " + unit) + " × " + reps +
      (rir === null ? "" : " @ RIR " + rir);
    fw.queue.enqueue({ key: fw.uuid(), body: body, label: label });
    $("offline-status").textContent = "Saved on this phone: " + label + ". It is sent when the connection returns.";
    if (navigator.onLine) fw.queue.flush();
    if (fw.rest) fw.rest.start(120);
  });
})();
