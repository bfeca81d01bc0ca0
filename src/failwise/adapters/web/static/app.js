/* failwise: what every page shares — the CSRF header, idempotency keys, the
 * offline queue of sets that could not be sent yet, the rest timer, and the service
 * worker that keeps the app working offline (sw.js).
 *
 * A set that cannot reach the server (no connection, a network error, a 5xx)
 * waits in localStorage with its idempotency key and the time it was done
 * (logged_at). The queue is sent in order when the connection returns, when any
 * page loads, and on "Send now": a 2xx removes the set (a retry of a set the
 * server already has is answered with the stored set, never a second one), a
 * 4xx that will not get better shows the error and drops it, anything else
 * keeps it for the next try. Sets belong to the lifter who logged them.
 */

/* The one-row nav scrolls sideways on a phone: the page's own link is scrolled into view,
 * and an edge with more links past it fades out (app.css: .more-left, .more-right). */
(function () {
  "use strict";
  var nav = document.querySelector("header.top nav");
  if (!nav) return;
  function edges() {
    nav.classList.toggle("more-left", nav.scrollLeft > 1);
    nav.classList.toggle("more-right", nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1);
  }
  var current = nav.querySelector('[aria-current="page"]');
  if (current) {
    var item = current.getBoundingClientRect();
    var box = nav.getBoundingClientRect();
    if (item.left < box.left || item.right > box.right) {
      nav.scrollLeft += item.left - box.left - (box.width - item.width) / 2;
    }
  }
  edges();
  nav.addEventListener("scroll", edges, { passive: true });
  window.addEventListener("resize", edges);
})();

(function () {
  "use strict";

  var body = document.body;
  var user = body.dataset.user || "";
  var STORE = "failwise.queue.v1";
  var KEEP = [401, 403, 408, 425, 429];
  var flushing = false;

  function cookie(name) {
    var pairs = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < pairs.length; i += 1) {
      var at = pairs[i].indexOf("=");
      if (pairs[i].slice(0, at) === name) return decodeURIComponent(pairs[i].slice(at + 1));
    }
    return "";
  }

  function csrfHeaders() {
    var headers = {};
    headers[body.dataset.csrfHeader || "X-CSRF-Token"] = cookie(body.dataset.csrfCookie || "failwise_csrf");
    return headers;
  }

  /* crypto.randomUUID needs a secure context; a phone on the gym's LAN over plain
   * http has none, so fall back to getRandomValues (available everywhere). */
  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function postSet(item) {
    var headers = csrfHeaders();
    headers["Content-Type"] = "application/json";
    headers["Idempotency-Key"] = item.key;
    return fetch("/api/sets", {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(item.body)
    });
  }

  /* The API's error as one sentence: FastAPI's 422 lists fields, other errors say it plainly. */
  function errorText(data, status) {
    if (data && Array.isArray(data.detail)) {
      return data.detail.map(function (d) { return d.msg; }).join("; ");
    }
    if (data && typeof data.detail === "string") return data.detail;
    return "the server answered " + status;
  }

  function load() {
    try {
      var items = JSON.parse(localStorage.getItem(STORE) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    localStorage.setItem(STORE, JSON.stringify(items));
  }

  function mine() {
    return load().filter(function (item) { return item.user === user; });
  }

  function remove(key) {
    save(load().filter(function (item) { return !(item.user === user && item.key === key); }));
  }

  function enqueue(item) {
    var items = load();
    if (!items.some(function (i) { return i.key === item.key; })) {
      items.push({ user: user, key: item.key, body: item.body, label: item.label, queued_at: new Date().toISOString() });
      save(items);
    }
    render();
  }

  function say(id, text) {
    var node = document.getElementById(id);
    if (node) node.textContent = text;
  }

  function render() {
    var box = document.getElementById("queue");
    if (!box) return;
    var items = mine();
    box.hidden = items.length === 0;
    say("queue-count", items.length + (items.length === 1 ? " set" : " sets") + " waiting to be sent");
    say("queue-why", navigator.onLine ? "" : "You are offline: they will be sent when the connection returns.");
    var list = document.getElementById("queue-list");
    if (list) {
      list.replaceChildren.apply(list, items.map(function (item) {
        var li = document.createElement("li");
        var when = new Date(item.body.logged_at || item.queued_at);
        li.textContent = item.label + " (" + when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ")";
        return li;
      }));
    }
  }

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  async function flush() {
    if (flushing || !user) return;
    flushing = true;
    say("queue-error", "");
    try {
      var items = mine();
      for (var i = 0; i < items.length; i += 1) {
        var item = items[i];
        var response;
        try {
          response = await postSet(item);
        } catch (e) {
          break; // still offline: keep it, and everything after it, in order
        }
        var data = null;
        try { data = await response.json(); } catch (e) { data = null; }
        if (response.ok) {
          remove(item.key);
          announce("failwise:sent", { item: item, data: data });
        } else if (response.status >= 500 || KEEP.indexOf(response.status) >= 0) {
          say("queue-error", "Not sent yet (" + errorText(data, response.status) + "): it will be tried again.");
          break;
        } else {
          remove(item.key);
          say("queue-error", "Not stored: " + item.label + ": " + errorText(data, response.status));
          announce("failwise:dropped", { item: item, data: data });
        }
      }
    } finally {
      flushing = false;
      render();
    }
  }

  window.failwise = {
    uuid: uuid,
    csrfHeaders: csrfHeaders,
    errorText: errorText,
    postSet: postSet,
    queue: {
      enqueue: enqueue,
      flush: flush,
      count: function () { return mine().length; },
      render: render
    }
  };

  /* --- the rest timer, on every page --------------------------------------------------- */
  /* Its end time is kept in localStorage, so the rest goes on when the lifter leaves Today:
   * every other page shows it in a compact bar, and at its end a notification says so
   * where the browser allows (permission is asked only when the lifter logs a set). */
  var REST = "failwise.rest.v1";
  var SHOWN_AFTER_END = 5 * 60 * 1000;
  var restTimer = 0;

  function restNow() {
    try {
      var saved = JSON.parse(localStorage.getItem(REST) || "null");
      return saved && saved.user === user && typeof saved.end === "number" ? saved : null;
    } catch (e) {
      return null;
    }
  }

  function restSave(saved) {
    try {
      if (saved) localStorage.setItem(REST, JSON.stringify(saved));
      else localStorage.removeItem(REST);
    } catch (e) { /* private mode: the rest lasts as long as the page */ }
    restDraw();
  }

  function ask() {
    try {
      if ("Notification" in window && Notification.permission === "default") {
        Promise.resolve(Notification.requestPermission()).catch(function () {});
      }
    } catch (e) { /* no notifications here: the bar still says it */ }
  }

  function notify() {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    var words = { body: "Time for your next set.", tag: "failwise-rest", icon: "/static/icon-192.png" };
    var shown = "serviceWorker" in navigator ?
      navigator.serviceWorker.getRegistration().then(function (r) { return r.showNotification("Rest is over", words); }) :
      Promise.reject(new Error("no worker"));
    shown.catch(function () {
      try { new Notification("Rest is over", words); } catch (e) { /* not allowed here */ }
    });
  }

  function restBar() {
    var bar = document.getElementById("rest-bar");
    if (bar) return bar;
    bar = document.createElement("div");
    bar.id = "rest-bar";
    bar.className = "rest-bar";
    bar.hidden = true;
    var link = document.createElement("a");
    link.href = "/today";
    link.append("Rest ");
    var left = document.createElement("span");
    left.id = "rest-bar-left";
    left.setAttribute("role", "timer");
    link.append(left);
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "link";
    dismiss.id = "rest-bar-dismiss";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", function () { restSave(null); });
    bar.append(link, dismiss);
    body.append(bar);
    return bar;
  }

  function restDraw() {
    var saved = restNow();
    var now = Date.now();
    if (saved && now - saved.end > SHOWN_AFTER_END) {
      localStorage.removeItem(REST);
      saved = null;
    }
    var card = document.getElementById("rest");  // Today's own rest card says it already
    var bar = document.getElementById("rest-bar");
    if (!saved) {
      clearInterval(restTimer);
      restTimer = 0;
      if (bar) bar.hidden = true;
      body.classList.remove("resting");
      return;
    }
    if (!restTimer) restTimer = setInterval(restDraw, 500);
    var remaining = Math.max(0, Math.ceil((saved.end - now) / 1000));
    bar = restBar();
    bar.hidden = Boolean(card && !card.hidden);
    body.classList.toggle("resting", !bar.hidden);
    bar.classList.toggle("done", remaining === 0);
    document.getElementById("rest-bar-left").textContent = remaining === 0 ? "over: next set" :
      Math.floor(remaining / 60) + ":" + String(remaining % 60).padStart(2, "0");
    if (remaining === 0 && !saved.notified) {
      saved.notified = true;
      localStorage.setItem(REST, JSON.stringify(saved));
      notify();
    }
  }

  window.failwise.rest = {
    ask: ask,
    /* The rest ends `seconds` from now (or at `end`, a time in ms). */
    start: function (seconds) { restSave({ user: user, end: Date.now() + seconds * 1000, notified: false }); },
    set: function (end) { restSave({ user: user, end: end, notified: false }); },
    clear: function () { restSave(null); },
    end: function () { var saved = restNow(); return saved ? saved.end : 0; }
  };

  /* --- offline: the service worker (sw.js) ------------------------------------------------- */
  /* Each page tells the worker who is signed in (another lifter, or nobody: it drops what it
   * saved) and which Today pages it links to, for it to save for the gym floor. */
  function worker() {
    if (!("serviceWorker" in navigator)) return;
    var links = document.querySelectorAll('a[href^="/today?exercise="]');
    var pages = [window.location.pathname + window.location.search].concat(
      Array.prototype.map.call(links, function (a) { return a.getAttribute("href"); }));
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "ready") document.documentElement.dataset.offline = "ready";
    });
    navigator.serviceWorker.register("/sw.js").catch(function () { /* offline: the one registered stays */ });
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({
        type: "page",
        user: user,
        online: navigator.onLine,
        pages: pages.slice(0, 13)
      });
    });
  }

  var send = document.getElementById("queue-send");
  if (send) send.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) { if (event.key === STORE) render(); });
  window.addEventListener("storage", function (event) { if (event.key === REST) restDraw(); });
  render();
  // After today.js, whose own rest card, when shown, stands in for the bar.
  document.addEventListener("DOMContentLoaded", restDraw);
  worker();
  if (user && navigator.onLine) flush();
})();
