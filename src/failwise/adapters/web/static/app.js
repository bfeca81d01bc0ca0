/* failwise: what every page shares — the CSRF header, idempotency keys, the
 * offline queue of sets that could not be sent yet, and the service worker
 * that keeps the app working offline (sw.js).
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
  render();
  worker();
  if (user && navigator.onLine) flush();
})();
