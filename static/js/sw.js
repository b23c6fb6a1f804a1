/* The service worker (served at /sw.js by core.offline, so that its scope is the whole site):
   keeps the pages that may be filled in without a connection, and the static files they use,
   so that they open offline once they were opened online.

   - A page is kept only when the server marks it (the answer's "Clusterboard-Offline: keep"
     header: the activity quick entry and a report's value entry). Pages are always asked
     from the server first; the kept copy answers only when the network fails.
   - Static files a kept page uses are named by the page (static/js/offline.js sends them in
     a "keep" message); they too come from the server first, the kept copy when offline.
   - Anything else (other pages, the API, every POST) goes to the network untouched.
   - Signing out forgets the kept pages ("forget" message from static/js/forms.js): they hold
     the signed-in user's data. What was typed offline stays in the page's own queue. */
"use strict";

var PAGES = "clusterboard-pages-v1";
var ASSETS = "clusterboard-assets-v1";
var MARK = "Clusterboard-Offline";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("clusterboard-") === 0 && name !== PAGES && name !== ASSETS;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function kept(response) {
  return response && response.ok && response.headers.get(MARK) === "keep";
}

function keepPage(request, response) {
  if (!kept(response)) {
    return Promise.resolve();
  }
  var copy = response.clone();
  return caches.open(PAGES).then(function (cache) {
    return cache.put(request, copy);
  });
}

function keptPage(request) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request).then(function (found) {
      // "save and add another" comes back with a query: any kept copy of the page will do
      return found || cache.match(request, { ignoreSearch: true });
    });
  });
}

function page(event) {
  return fetch(event.request)
    .then(function (response) {
      event.waitUntil(keepPage(event.request, response));
      return response;
    })
    .catch(function (error) {
      return keptPage(event.request).then(function (found) {
        if (found) {
          return found;
        }
        throw error;
      });
    });
}

function asset(event) {
  return caches.open(ASSETS).then(function (cache) {
    return fetch(event.request)
      .then(function (response) {
        if (response.ok) {
          // refreshed only when a kept page named it (never every file of the site)
          var copy = response.clone();
          event.waitUntil(
            cache.match(event.request).then(function (old) {
              return old ? cache.put(event.request, copy) : null;
            })
          );
        }
        return response;
      })
      .catch(function (error) {
        return cache.match(event.request).then(function (found) {
          if (found) {
            return found;
          }
          throw error;
        });
      });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (["style", "script", "image", "font"].indexOf(request.destination) !== -1) {
    event.respondWith(asset(event));
  }
});

// A page asks to be kept with its static files; the answer (on the message's port) says when
// they are, so that the page can say it now works offline.
function keep(urls) {
  var own = urls.filter(function (url) {
    return new URL(url, self.location.href).origin === self.location.origin;
  });
  return Promise.all([caches.open(PAGES), caches.open(ASSETS)]).then(function (opened) {
    return Promise.all(
      own.map(function (url, index) {
        var cache = index === 0 ? opened[0] : opened[1];
        return cache.match(url).then(function (found) {
          if (found) {
            return true;
          }
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (index === 0 ? !kept(response) : !response.ok) {
              return false;
            }
            return cache.put(url, response).then(function () {
              return true;
            });
          });
        });
      })
    );
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var reply = function (ok) {
    if (port) {
      port.postMessage({ ok: ok });
    }
  };
  if (data.type === "keep" && Array.isArray(data.urls) && data.urls.length) {
    // the first URL is the page itself
    event.waitUntil(
      keep(data.urls)
        .then(function (done) {
          reply(done.every(Boolean));
        })
        .catch(function () {
          reply(false);
        })
    );
  } else if (data.type === "forget") {
    event.waitUntil(
      caches.delete(PAGES).then(function () {
        reply(true);
      })
    );
  }
});
