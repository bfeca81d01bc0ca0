/* failwise service worker (served at /sw.js, so its scope is the whole site): the app
 * opens, reloads and switches exercise with no connection in the gym.
 *
 * - /static/ files with a ?v=<content hash> come from the cache first: their URL changes
 *   with them, so a cached copy is never stale (older versions of the file are dropped).
 * - Pages and the API reads the offline pages need (the catalog, the recent sets) come
 *   from the network first, and from the cache when there is no connection. A page never
 *   saved falls back to the saved /offline page, where a set can still be logged into
 *   the queue (app.js), else to a plain "you are offline" page, never the browser's.
 * - After a page loads, app.js tells the worker who is signed in and, at most every ten
 *   minutes, asks it to save /today, /offline, the catalog, the recent sets and the
 *   Today page of each recent exercise.
 * - Privacy: the saved pages and data hold one lifter's training. They are dropped when
 *   a sign-in, sign-up, demo or sign-out is posted, and whenever a page says another
 *   lifter (or nobody) is signed in, so one account's pages are never shown to another.
 */
"use strict";

var STATIC = "failwise-static-v1";
var DATA = "failwise-data-v1";
var LIFTER = "/__failwise/lifter";
var WARMED = "/__failwise/warmed";
var WARM_EVERY = 10 * 60 * 1000;
var RECENT = 8;
var ACCOUNT_POSTS = ["/signin", "/signup", "/demo", "/signout", "/signout-everywhere"];
var NOT_SAVED = ["/", "/signin", "/signup"];
var API_READS = ["/api/exercises", "/api/history"];
// Bumped when the lifter's data is dropped: a save started before it is not made after.
var generation = 0;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("failwise-") === 0 && name !== STATIC && name !== DATA;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function forget() {
  generation += 1;
  return caches.delete(DATA);
}

function save(key, response, since) {
  if (since !== generation) return Promise.resolve();
  return caches.open(DATA).then(function (cache) {
    return since === generation ? cache.put(key, response) : undefined;
  });
}

function savable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

/* Network first; what comes back is saved; without a network, the saved copy. */
function networkFirst(request, key) {
  var since = generation;
  return fetch(request).then(function (response) {
    if (savable(response)) save(key, response.clone(), since);
    return response;
  });
}

function offlinePage() {
  var words = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>Offline — failwise</title><h1>You are offline</h1><p>This page is not saved on this " +
    "phone. Open failwise again when the connection returns.</p><p><a href='/today'>Today</a></p>";
  return new Response(words, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'" }
  });
}

function page(request, url) {
  var key = url.pathname + url.search;
  var keep = NOT_SAVED.indexOf(url.pathname) < 0;
  var since = generation;
  return fetch(request).then(function (response) {
    var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    if (keep && html && savable(response)) save(key, response.clone(), since);
    return response;
  }).catch(function () {
    return caches.open(DATA).then(function (cache) {
      var exercise = url.pathname === "/today" ? url.searchParams.get("exercise") : null;
      return cache.match(key).then(function (hit) {
        // /today?exercise=x&sets=4 unsaved: the saved /today?exercise=x is the same set card.
        return hit || (exercise ? cache.match("/today?exercise=" + encodeURIComponent(exercise)) : null);
      }).then(function (hit) {
        return hit || cache.match("/offline");
      });
    }).then(function (hit) { return hit || offlinePage(); });
  });
}

function fromStatic(request, url) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (savable(response)) {
          cache.put(request, response.clone()).then(function () { prune(cache, url); });
        }
        return response;
      }).catch(function () {
        // An older version of the file beats no file at all.
        return cache.match(request, { ignoreSearch: true }).then(function (old) { return old || Response.error(); });
      });
    });
  });
}

/* Only the latest version of each static file is kept. */
function prune(cache, url) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      var other = new URL(key.url);
      return other.pathname === url.pathname && other.search !== url.search;
    }).map(function (key) { return cache.delete(key); }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Whoever is signed in next must not see this lifter's pages.
    if (ACCOUNT_POSTS.indexOf(url.pathname) >= 0) event.waitUntil(forget());
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    if (url.searchParams.has("v")) event.respondWith(fromStatic(request, url));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
    return;
  }
  if (API_READS.indexOf(url.pathname) >= 0) {
    var key = url.pathname + url.search;
    event.respondWith(networkFirst(request, key).catch(function () {
      return caches.open(DATA).then(function (cache) { return cache.match(key); }).then(function (hit) {
        return hit || Response.json({ detail: "offline, and not saved on this phone" }, { status: 503 });
      });
    }));
  }
});

/* --- who is signed in, and saving for later ------------------------------------------ */

function lifterIs(user) {
  return caches.open(DATA).then(function (cache) {
    return cache.match(LIFTER).then(function (hit) { return hit ? hit.text() : null; });
  }).then(function (known) {
    if (known === user) return;
    return forget().then(function () {
      return save(LIFTER, new Response(user), generation);
    });
  });
}

function due() {
  return caches.open(DATA).then(function (cache) { return cache.match(WARMED); }).then(function (hit) {
    return hit ? hit.text() : "0";
  }).then(function (text) { return Date.now() - Number(text) > WARM_EVERY; });
}

var ASSET = /\/static\/[\w.-]+\?v=[0-9a-f]+/g;

/* A saved page's scripts and styles are saved with it, or it could not be drawn offline. */
function keepAssets(html) {
  var assets = html.match(ASSET) || [];
  return caches.open(STATIC).then(function (cache) {
    return Promise.all(assets.map(function (asset) {
      return cache.match(asset).then(function (hit) {
        return hit || cache.add(asset).then(function () { return prune(cache, new URL(asset, self.location.href)); });
      }).catch(function () {});
    }));
  });
}

function keep(path, since) {
  return fetch(path, { credentials: "same-origin" }).then(function (response) {
    if (!savable(response)) return;
    var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    return Promise.all([
      save(path, response.clone(), since),
      html ? response.text().then(keepAssets) : null
    ]);
  }).catch(function () { /* a page that cannot be saved now is saved on a later visit */ });
}

/* The Today pages of the exercises in the recent sets (latest first), from the saved sets. */
function recentPages() {
  return caches.open(DATA).then(function (cache) { return cache.match("/api/history?limit=100"); }).then(function (hit) {
    return hit ? hit.json() : [];
  }).then(function (sets) {
    var ids = [];
    for (var i = sets.length - 1; i >= 0 && ids.length < RECENT; i -= 1) {
      var id = sets[i].exercise && sets[i].exercise.id;
      if (id && ids.indexOf(id) < 0) ids.push(id);
    }
    return ids.map(function (id) { return "/today?exercise=" + encodeURIComponent(id); });
  }).catch(function () { return []; });
}

function warm(pages) {
  var since = generation;
  var done = [];
  function inTurn(paths) {
    // One request at a time: the server is the lifter's, and may be small.
    return paths.reduce(function (chain, path) {
      if (done.indexOf(path) >= 0) return chain;
      done.push(path);
      return chain.then(function () { return keep(path, since); });
    }, Promise.resolve());
  }
  var first = ["/today", "/offline", "/api/exercises", "/api/history?limit=100"].concat(pages);
  return inTurn(first).then(recentPages).then(inTurn).then(function () {
    return save(WARMED, new Response(String(Date.now())), since);
  });
}

function same(list) {
  return (Array.isArray(list) ? list : []).filter(function (path) {
    return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/";
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "forget") {
    event.waitUntil(forget());
    return;
  }
  if (data.type !== "page" || typeof data.user !== "string") return;
  var work = lifterIs(data.user).then(function () {
    if (!data.user || !data.online) return;
    return due().then(function (yes) { return yes ? warm(same(data.pages)) : undefined; });
  }).then(function () {
    if (event.source) event.source.postMessage({ type: "ready" });
  });
  event.waitUntil(work);
});

/* The rest timer's "Rest is over" (app.js): a tap opens the app where the lifter left it. */
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (open) {
    return open.length ? open[0].focus() : self.clients.openWindow("/today");
  }));
});
