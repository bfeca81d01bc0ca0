/* failwise today page: steppers, one-tap logging through the JSON API, the next
 * prescription from the answer, a rest timer, and offline logging (app.js queues).
 * Without this script the log form still posts to /today/log. */
(function () {
  "use strict";

  var fw = window.failwise;
  var form = document.getElementById("log-form");
  var card = document.getElementById("prescription");
  if (!fw || !form || !card) return;

  var unit = card.dataset.unit;
  var unloaded = card.dataset.unloaded === "true";
  var $ = function (id) { return document.getElementById(id); };
  var button = $("log-button");
  var planned = snapshot();

  /* --- numbers and words (the same wording as the server's views.py) ---------------- */
  function fmt(value) {
    return String(Math.round(value * 100) / 100);
  }
  function rirText(low, high) {
    if (low === high) return "RIR " + fmt(low) + " (RPE " + fmt(10 - low) + ")";
    return "RIR " + fmt(low) + "–" + fmt(high) + " (RPE " + fmt(10 - high) + "–" + fmt(10 - low) + ")";
  }
  function decisionText(failure, low, high) {
    var reps = low === high ? fmt(low) : fmt(low) + "–" + fmt(high);
    var plural = low === high && low === 1 ? "rep" : "reps";
    if (failure === "go") return "Go: take this set to failure";
    if (failure === "avoid") return "Avoid failure: stop " + reps + " " + plural + " short";
    return "Never near failure: keep " + reps + " " + plural + " in reserve";
  }
  function setLine(set) {
    var text = (set.set_type === "warm-up" ? "warm-up " : "") +
      (set.load === 0 ? "bodyweight" : fmt(set.load) + " " + unit) + " × " + set.reps;
    if (set.test) {
      text += ", RIR test: called RIR " + fmt(set.test.predicted_rir) + " at rep " + set.test.reps_at_call +
        ", failure at rep " + set.reps;
    } else if (set.to_failure) {
      text += " to failure";
    } else if (set.rir !== null && set.rir !== undefined) {
      text += " @ RIR " + fmt(set.rir);
    }
    return text;
  }

  /* --- the form -------------------------------------------------------------------- */
  function value(id) {
    var node = $(id);
    return node ? node.value.trim() : "";
  }
  /* A typed number, as the server reads it (views.typed_number): a dot or a comma is the
   * decimal mark ("22,5" and "22.5" are 22.5); "1,234.5" or "1.234,5" is refused (NaN),
   * never guessed at. */
  var DECIMAL = /^-?(\d+([.,]\d*)?|[.,]\d+)$/;
  function decimal(text) {
    text = String(text).trim();
    return DECIMAL.test(text) ? Number(text.replace(",", ".")) : NaN;
  }
  function checked(id) {
    var node = $(id);
    return Boolean(node && node.checked);
  }
  function snapshot() {
    return { load: value("load"), reps: value("reps"), rir: value("rir") };
  }
  function testing() {
    return checked("test");
  }

  function refresh() {
    var rir = decimal(value("rir"));
    $("rpe-out").textContent = isNaN(rir) ? "" : "(RPE " + fmt(10 - rir) + ")";
    var failing = checked("to_failure") || testing();
    $("rir").disabled = failing;
    if ($("to_failure")) $("to_failure").disabled = testing();
    $("reps-label").textContent = testing() ? "All reps of the set, to failure" : "Reps";
    var now = snapshot();
    var same = now.load === planned.load && now.reps === planned.reps && now.rir === planned.rir && !failing;
    button.textContent = checked("warm_up") ? "Log warm-up" :
      now.load === "" ? "Log set" : same ? "Log as planned" : "Log set";
    showPlates();
  }

  /* --- the plates per side (services.today.plate_load, the same rule) ----------------- */
  var bar = parseFloat(card.dataset.bar);
  var plateSizes = (card.dataset.plates || "").split(" ").filter(Boolean).map(Number)
    .sort(function (a, b) { return b - a; });
  /* The fewest plates a side that load the bar as close to the target as possible, never
   * above it; among as few, the heaviest first (domain.strength.plates_per_side). */
  function perSide(target) {
    var goal = Math.floor((target - bar) / 2 * 100 + 1e-6);
    var best = new Map([[0, []]]);
    plateSizes.forEach(function (size) {
      var step = Math.round(size * 100);
      var updated = new Map(best);
      best.forEach(function (combo, weight) {
        for (var count = 1; weight + count * step <= goal; count += 1) {
          var total = weight + count * step;
          var candidate = combo.concat(Array(count).fill(size));
          var known = updated.get(total);
          if (!known || candidate.length < known.length ||
              (candidate.length === known.length && heavier(candidate, known))) {
            updated.set(total, candidate);
          }
        }
      });
      best = updated;
    });
    return best.get(Math.max.apply(null, Array.from(best.keys())));
  }
  function heavier(a, b) {
    for (var i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] > b[i];
    return false;
  }
  function plateText(target) {
    if (isNaN(bar) || isNaN(target) || target < bar) return "";
    var side = perSide(target);
    var text = side.length ? side.map(fmt).join(" + ") + " " + unit + " per side" : "Bar only";
    var total = bar + 2 * side.reduce(function (sum, p) { return sum + p; }, 0);
    if (target - total > 1e-6) text += " (" + fmt(total) + " " + unit + ": the nearest your plates make)";
    return text;
  }
  function showPlates() {
    var node = $("plates");
    if (!node) return;
    node.textContent = plateText(decimal(value("load")));
    node.hidden = node.textContent === "";
  }

  /* The planned session's "1/3 done" for this exercise: its working sets so far. */
  function count(next) {
    var session = $("session");
    if (!session || session.dataset.started !== "true") return;
    session.querySelectorAll("[data-counter]").forEach(function (tag) {
      if (tag.dataset.counter !== next.exercise.id) return;
      tag.textContent = (next.set_number - 1) + "/" + tag.dataset.sets + " done";
    });
  }

  function stepper(event) {
    var target = event.target.closest("button.step");
    if (!target) return;
    var input = $(target.dataset.for);
    var step = parseFloat(input.dataset.step) || 1;
    var current = decimal(input.value);
    if (isNaN(current)) current = 0;
    var next = Math.round((current + parseFloat(target.dataset.delta) * step) * 1000) / 1000;
    if (input.min !== "") next = Math.max(parseFloat(input.min), next);
    if (input.max !== "") next = Math.min(parseFloat(input.max), next);
    input.value = fmt(next);
    refresh();
  }

  function clearErrors() {
    var asked = $("confirm-load");
    if (asked) asked.remove();
    form.querySelectorAll(".field-error").forEach(function (node) {
      node.textContent = "";
      node.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function fieldError(name, message) {
    var slot = $(name + "-error") || $("load-error");
    var input = $(name);
    slot.textContent = message;
    slot.hidden = false;
    var folded = slot.closest("details");
    if (folded) folded.open = true;  // the RIR test's fields fold away: an error there unfolds them
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }

  /* FastAPI's 422: detail[].loc names the field (["body", "reps"], ["body", "test", ...]). */
  function showApiErrors(data, status) {
    if (data && Array.isArray(data.detail)) {
      data.detail.forEach(function (d) {
        var loc = (d.loc || []).filter(function (p) { return p !== "body"; });
        var name = { to_failure: "rir", rpe: "rir", exercise: "load" }[loc[0]] || loc[0] || "load";
        if (name === "test") name = loc[1] === "predicted_rir" ? "predicted_rir" : "reps_at_call";
        fieldError($(name + "-error") ? name : "load", d.msg);
      });
    } else {
      fieldError("load", fw.errorText(data, status));
    }
  }

  /* A load far above the lifter's e1RM: the API asks (422 "needs_confirmation") and the
   * same set goes again, confirmed, when the lifter says "Yes, log it". */
  function confirmation(data) {
    var asked = data && Array.isArray(data.detail) ? data.detail : [];
    return asked.filter(function (d) { return d.type === "needs_confirmation"; })[0] || null;
  }

  function askToConfirm(item, question) {
    fieldError("load", question.msg);
    var yes = document.createElement("button");
    yes.type = "button";
    yes.id = "confirm-load";
    yes.className = "secondary";
    yes.textContent = "Yes, log it";
    yes.addEventListener("click", function () {
      clearErrors();
      item.body.confirmed = true;
      send(item);
    });
    $("load-error").after(yes);
  }

  function build() {
    var errors = 0;
    function number(id, label, whole) {
      var text = value(id);
      var parsed = decimal(text);
      if (text === "" || isNaN(parsed)) {
        fieldError(id, label + " must be a number: " + (/[.,].*[.,]/.test(text) ?
          "use one decimal mark and no thousands separator: 22.5 or 22,5." :
          "type digits, with a dot or a comma for decimals: 22.5 or 22,5."));
        errors += 1;
        return null;
      }
      if (whole && !Number.isInteger(parsed)) {
        fieldError(id, label + " must be a whole number.");
        errors += 1;
        return null;
      }
      return parsed;
    }
    var load = number("load", "Load", false);
    var reps = number("reps", "Reps", true);
    var body = {
      exercise: card.dataset.exercise,
      load: load,
      unit: unit,
      reps: reps,
      total_sets: parseInt(value("total_sets"), 10) || null
    };
    // The set as the card shows it: a working set takes it as its target, as it was on
    // the screen (the form's hidden fields, which apply() keeps in step with the card).
    if (value("shown_reps") !== "") {
      body.shown = {
        load: value("shown_load") === "" ? null : decimal(value("shown_load")),
        reps: parseInt(value("shown_reps"), 10),
        target_rir: { min: decimal(value("shown_rir_min")), max: decimal(value("shown_rir_max")) }
      };
    }
    if (checked("warm_up")) body.set_type = "warm-up";
    if (value("notes")) body.notes = value("notes");
    if (testing() && !body.set_type) {
      body.test = {
        reps_at_call: number("reps_at_call", "The rep of the call", true),
        predicted_rir: number("predicted_rir", "The RIR you called", false)
      };
    } else if (checked("to_failure")) {
      body.to_failure = true;
    } else if (value("rir") !== "") {
      body.rir = number("rir", "RIR", false);
    }
    if (errors) return null;
    var name = $("exercise-name").textContent;
    return { key: value("idempotency_key"), body: body, label: name + " " + setLine({
      load: body.load, reps: body.reps, rir: body.rir, to_failure: body.to_failure, test: body.test,
      set_type: body.set_type
    }) };
  }

  /* --- after a set ------------------------------------------------------------------- */
  /* Undo, for a few seconds after a set is stored: it deletes that set (DELETE /api/sets/{id})
   * and reloads the page, whose next set is then decided without it. */
  var UNDO_SECONDS = 10;
  var undoTimer = 0;
  function offerUndo(set) {
    clearTimeout(undoTimer);
    var old = $("undo-button");
    if (old) old.remove();
    var undo = document.createElement("button");
    undo.type = "button";
    undo.id = "undo-button";
    undo.className = "secondary";
    undo.textContent = "Undo";
    undo.addEventListener("click", async function () {
      undo.disabled = true;
      var headers = fw.csrfHeaders();
      try {
        var response = await fetch("/api/sets/" + encodeURIComponent(set.id), {
          method: "DELETE", credentials: "same-origin", headers: headers
        });
        if (response.ok || response.status === 404) {
          $("log-status").textContent = "Undone: the set is deleted.";
          window.location.assign("/today?exercise=" + encodeURIComponent(set.exercise.id));
          return;
        }
        $("log-status").textContent = "Could not undo: " + response.status + ".";
      } catch (e) {
        $("log-status").textContent = "Could not undo: no connection.";
      }
      undo.disabled = false;
    });
    $("log-status").append(" ", undo);
    undoTimer = setTimeout(function () { undo.remove(); }, UNDO_SECONDS * 1000);
  }

  function addDone(label, waiting) {
    var li = document.createElement("li");
    li.textContent = label + (waiting ? " (waiting to be sent)" : "");
    if (waiting) li.className = "waiting";
    $("done-list").appendChild(li);
    $("done-empty").hidden = true;
    return li;
  }

  function showWarning(text) {
    var box = $("warning");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function apply(next) {
    if (next.exercise_done) {
      // The exercise's sets are done: the page says so and offers what comes next.
      var target = next.next_exercise ? next.next_exercise.id : card.dataset.exercise;
      window.location.assign("/today?exercise=" + encodeURIComponent(target));
      return;
    }
    var low = next.target_rir.min;
    var high = next.target_rir.max;
    var load = next.load;
    $("set-number").textContent = "Set " + next.set_number + " of " + next.total_sets;
    $("target-load").textContent = load === null ? (unloaded ? "bodyweight" : "your load") : fmt(load) + " " + unit;
    $("target-reps").textContent = String(next.reps);
    $("target-rir").textContent = rirText(low, high);
    var decision = $("decision");
    decision.className = "decision " + next.failure;
    $("decision-badge").textContent = next.failure.toUpperCase();
    $("decision-text").textContent = decisionText(next.failure, low, high);
    $("reasons").replaceChildren.apply($("reasons"), next.reasons.map(function (reason) {
      var li = document.createElement("li");
      var tag = document.createElement("span");
      li.className = reason.effect;
      tag.className = "effect";
      tag.textContent = reason.effect;
      li.append(tag, " " + reason.text);
      return li;
    }));
    var why = next.why ? next.why.charAt(0).toUpperCase() + next.why.slice(1) + ". " : "";
    var assumed = next.assumed_rir === null || next.assumed_rir === undefined ? "" :
      "Your last set had no RIR: it counts as RIR " + fmt(next.assumed_rir) + ". ";
    $("basis").textContent = why + assumed + (next.e1rm ? "From your e1RM of " + fmt(Math.round(next.e1rm * 10) / 10) + " " + unit + "." : "");
    if (next.fatigue) $("fatigue-status").textContent = next.fatigue.summary;
    $("total_sets").value = next.total_sets;
    $("shown_load").value = load === null ? "" : String(load);
    $("shown_reps").value = next.reps;
    $("shown_rir_min").value = String(low);
    $("shown_rir_max").value = String(high);
    if (load !== null) $("load").value = fmt(load);
    $("reps").value = next.reps;
    $("rir").value = fmt(next.aim_rir);
    if ($("to_failure")) $("to_failure").checked = false;
    if ($("test")) $("test").checked = false;
    if ($("reps_at_call")) $("reps_at_call").value = next.reps;
    // Each set says for itself that it is a warm-up, and carries its own note.
    if ($("warm_up")) $("warm_up").checked = false;
    if ($("notes")) $("notes").value = "";
    planned = snapshot();
    refresh();
  }

  function nextKey() {
    $("idempotency_key").value = fw.uuid();
  }

  function advanceOffline(warmUp) {
    // No answer from the coach: move on to the next set with the same numbers (after a
    // warm-up, the same set: it was not a working set).
    var match = /Set (\d+) of (\d+)/.exec($("set-number").textContent);
    if (match && !warmUp) {
      var number = parseInt(match[1], 10) + 1;
      var total = Math.max(parseInt(match[2], 10), number);
      $("set-number").textContent = "Set " + number + " of " + total;
    }
    if ($("to_failure")) $("to_failure").checked = false;
    if ($("test")) $("test").checked = false;
    if ($("warm_up")) $("warm_up").checked = false;
    if ($("notes")) $("notes").value = "";
    refresh();
  }

  function queued(item, why) {
    // When it was done, not when it finally reaches the server.
    item.body.logged_at = item.body.logged_at || new Date().toISOString();
    fw.queue.enqueue(item);
    item.row = addDone(item.label, true);
    pending[item.key] = item.row;
    $("log-status").textContent = why + " The set is saved on this phone and will be sent when the connection returns.";
    advanceOffline(item.body.set_type === "warm-up");
    nextKey();
    rest.start();
  }

  var pending = {};

  async function send(item) {
    button.disabled = true;
    $("log-status").textContent = "";
    try {
      if (!navigator.onLine) {
        queued(item, "You are offline.");
        return;
      }
      if (fw.queue.count() > 0) {
        queued(item, "Earlier sets are still waiting, so this one waits behind them.");
        fw.queue.flush();
        return;
      }
      var response;
      try {
        response = await fw.postSet(item);
      } catch (e) {
        queued(item, "No connection.");
        return;
      }
      var data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (response.ok) {
        addDone(data.set.exercise.name + " " + setLine(data.set), false);
        showWarning(data.warning);
        $("log-status").textContent = "Logged. " + (data.record ? data.record + " " : "") + (data.warning ? "" : "Next: set " + data.next.set_number + ".");
        if (response.status === 201) offerUndo(data.set);
        count(data.next);
        apply(data.next);
        nextKey();
        rest.start();
        inView();
      } else if (response.status >= 500) {
        queued(item, "The server could not store it right now.");
      } else if (response.status === 401) {
        fieldError("load", "You are signed out: sign in again (the set was not stored).");
      } else if (response.status === 422 && confirmation(data)) {
        askToConfirm(item, confirmation(data));
      } else {
        showApiErrors(data, response.status);
      }
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("failwise:sent", function (event) {
    var item = event.detail.item;
    var data = event.detail.data;
    var row = pending[item.key];
    if (row) {
      row.textContent = item.label;
      row.className = "";
      delete pending[item.key];
    }
    if (data && data.warning) showWarning(data.warning);
    if (data && data.next && data.next.exercise.id === card.dataset.exercise && !fw.queue.count()) {
      count(data.next);
      apply(data.next);
      $("log-status").textContent = "Back online: every waiting set is stored.";
    }
  });

  document.addEventListener("failwise:dropped", function (event) {
    var row = pending[event.detail.item.key];
    if (row) row.textContent = event.detail.item.label + " (not stored: see above)";
  });

  /* After a log on a phone: the next set's load and the rest timer on screen, no scrolling. */
  function inView() {
    var top = card.getBoundingClientRect().top;
    var bottom = $("rest").getBoundingClientRect().bottom;
    if (top < 0 || bottom > window.innerHeight) card.scrollIntoView({ block: "start" });
  }

  /* --- the rest timer ------------------------------------------------------------------ */
  var rest = (function () {
    var box = $("rest");
    var left = $("rest-left");
    var seconds = parseInt(card.dataset.rest, 10) || 120;
    var end = 0;
    var timer = 0;
    function tick() {
      var remaining = Math.max(0, Math.round((end - Date.now()) / 1000));
      left.textContent = Math.floor(remaining / 60) + ":" + String(remaining % 60).padStart(2, "0");
      if (remaining === 0) {
        clearInterval(timer);
        box.classList.add("done");
        left.textContent = "Time: next set";
        if (navigator.vibrate) navigator.vibrate(300);
      }
    }
    function start() {
      clearInterval(timer);
      end = Date.now() + seconds * 1000;
      box.hidden = false;  // first: app.js shows its own bar only while this card is hidden
      if (fw.rest) fw.rest.set(end);  // app.js keeps it when the lifter leaves the page
      box.classList.remove("done");
      tick();
      timer = setInterval(tick, 250);
    }
    function stop() {
      clearInterval(timer);
      if (fw.rest) fw.rest.clear();
      box.hidden = true;
      button.focus();
    }
    $("rest-more").addEventListener("click", function () {
      end = Math.max(end, Date.now()) + 30000;
      if (fw.rest) fw.rest.set(end);
      box.classList.remove("done");
      clearInterval(timer);
      timer = setInterval(tick, 250);
      tick();
    });
    $("rest-dismiss").addEventListener("click", stop);
    // A rest started before the lifter left the page (or on another one) goes on here.
    var saved = fw.rest ? fw.rest.end() : 0;
    if (saved > Date.now()) {
      end = saved;
      box.hidden = false;
      fw.rest.set(end);  // the same rest, redrawn now that this card shows it (no bar)
      tick();
      timer = setInterval(tick, 250);
    }
    return { start: start, stop: stop };
  })();

  form.addEventListener("click", stepper);
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (fw.rest) fw.rest.ask();  // a rest starts now: the one moment to ask to notify its end
    clearErrors();
    var item = build();
    if (item) send(item);
  });
  // A page saved for offline use holds the key it was drawn with: a set logged from it must
  // not be taken for an earlier set sent with the same key, so each load draws a new one.
  nextKey();
  refresh();
})();
