/* Entry without a connection, for the activity quick entry and a report's values.

   Online, the page behaves as without this script: the form is posted as always. Offline, a
   save is kept on this device (localStorage, per user) instead, listed under "Waiting to be
   sent", and posted when the connection returns: the same form post, with the CSRF token of
   the moment, so the server checks everything as it always does.

   A report's values are sent for the KPIs the user changed only, each with the revision the
   page was opened at (monitoring.reports.services.report_record_values): a value changed on
   the server meanwhile answers 409 and nothing is overwritten; the page then shows the
   conflict and keeps what was typed until the user discards it.

   The service worker (static/js/sw.js, registered here) keeps the page and its static files so
   that it opens again offline. Messages come translated from the panel's data-msg-*
   attributes (templates/_offline_queue.html). */
(function () {
  "use strict";

  var panel = document.querySelector("[data-offline-queue]");
  if (!panel || !window.localStorage || !window.fetch) {
    return;
  }
  var form = document.getElementById(panel.dataset.offlineQueue);
  if (!form) {
    return;
  }
  var msg = panel.dataset;
  var statusLine = panel.querySelector("[data-offline-status]");
  var list = panel.querySelector("[data-offline-list]");
  var itemsBox = panel.querySelector("[data-offline-items]");
  var KEY = "clusterboard-offline:" + msg.user;
  var isReport = form.id === "report-entry";
  var formPath = new URL(form.getAttribute("action") || window.location.pathname, window.location.href)
    .pathname;
  var outcomes = {}; // item id -> {state, message} for this page's life (sent, sending, ...)
  var sending = false;
  var ready = false;

  // --- the queue -------------------------------------------------------------------------

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function store(items) {
    window.localStorage.setItem(KEY, JSON.stringify(items));
  }

  function update(id, change) {
    store(
      load().map(function (item) {
        return item.id === id ? Object.assign(item, change) : item;
      })
    );
  }

  function remove(id) {
    store(
      load().filter(function (item) {
        return item.id !== id;
      })
    );
  }

  // --- what a save holds -----------------------------------------------------------------

  function changed(input) {
    if (input.tagName === "SELECT") {
      return Array.prototype.some.call(input.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return input.value !== input.defaultValue;
  }

  function kpiOf(name) {
    var match = /^kpi-(\d+)-/.exec(name || "");
    return match ? match[1] : null;
  }

  function pairs(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var all = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        all.push([name, value]);
      }
    });
    return all;
  }

  // A report's values: only the KPIs with a changed input (value, note or explanation), each
  // with all its inputs and the revision the page was opened at.
  function reportPairs(submitter, earlier) {
    var touched = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      var kpi = kpiOf(input.name);
      if (kpi && input.type !== "hidden" && changed(input)) {
        touched[kpi] = true;
      }
    });
    var kept = {};
    (earlier ? earlier.fields : []).forEach(function (pair) {
      if (/-revision$/.test(pair[0])) {
        kept[pair[0]] = pair[1]; // a second save keeps the revision the first one started from
      }
    });
    return {
      kpis: Object.keys(touched),
      fields: pairs(submitter).filter(function (pair) {
        var kpi = kpiOf(pair[0]);
        return kpi ? touched[kpi] : pair[0] !== "csrfmiddlewaretoken";
      }).map(function (pair) {
        return pair[0] in kept ? [pair[0], kept[pair[0]]] : pair;
      }),
    };
  }

  function field(fields, name) {
    var found = fields.filter(function (pair) {
      return pair[0] === name;
    })[0];
    return found ? found[1] : "";
  }

  function label(item) {
    if (item.kind === "report") {
      var count = item.kpis.length;
      var values = count === 1 ? msg.msgValuesOne : msg.msgValuesMany.replace("{n}", count);
      return item.label + ": " + values;
    }
    return [field(item.fields, "title"), field(item.fields, "date")].filter(Boolean).join(" · ");
  }

  function queue(submitter) {
    var items = load();
    var now = new Date().toISOString();
    if (isReport) {
      var earlier = items.filter(function (item) {
        return item.kind === "report" && item.url === formPath && item.status === "waiting";
      })[0];
      var held = reportPairs(submitter, earlier);
      if (!held.kpis.length && !(submitter && submitter.name === "submit")) {
        return;
      }
      var entry = {
        id: earlier ? earlier.id : "r" + Date.now(),
        kind: "report",
        url: formPath,
        label: msg.label,
        kpis: held.kpis,
        fields: held.fields,
        status: "waiting",
        at: now,
      };
      items = earlier
        ? items.map(function (item) {
            return item.id === earlier.id ? entry : item;
          })
        : items.concat([entry]);
      outcomes[entry.id] = { state: "queued" };
    } else {
      var activity = {
        id: "a" + Date.now(),
        kind: "activity",
        url: formPath,
        fields: pairs(submitter).filter(function (pair) {
          return pair[0] !== "csrfmiddlewaretoken";
        }),
        status: "waiting",
        at: now,
      };
      items.push(activity);
      outcomes[activity.id] = { state: "queued" };
    }
    store(items);
    if (!isReport) {
      clearActivity();
    }
    render();
  }

  // After an activity is kept: the form empty for the next one, with what "save and add
  // another" carries over (cluster, BSO, date, type, currency) still chosen.
  function clearActivity() {
    var carried = {};
    ["cluster", "bso", "date", "type", "currency"].forEach(function (name) {
      if (form.elements[name]) {
        carried[name] = form.elements[name].value;
      }
    });
    form.reset();
    Object.keys(carried).forEach(function (name) {
      form.elements[name].value = carried[name];
    });
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  // A report page opened again offline (the kept copy holds the values it was kept with):
  // what waits to be sent for it is shown in its inputs.
  function showWaitingValues() {
    if (!isReport) {
      return;
    }
    load()
      .filter(function (item) {
        return item.kind === "report" && item.url === formPath && item.status === "waiting";
      })
      .forEach(function (item) {
        item.fields.forEach(function (pair) {
          var input = form.elements[pair[0]];
          if (input && input.type !== "hidden" && input.value !== pair[1]) {
            input.value = pair[1];
          }
        });
      });
  }

  // --- sending ---------------------------------------------------------------------------

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function said(html, selector) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return Array.prototype.map
      .call(doc.querySelectorAll(selector), function (node) {
        return node.textContent.replace(/\s+/g, " ").trim();
      })
      .filter(Boolean)
      .join(" ");
  }

  function post(item) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "follow",
      headers: { "X-CSRFToken": csrfToken() },
    });
  }

  // What the server's answer means for a queued entry: its outcome, and whether to go on
  // with the next one.
  function outcome(item, response) {
    return response.text().then(function (html) {
      var landed = new URL(response.url, window.location.href).pathname;
      if (response.redirected && landed === msg.loginUrl) {
        return { state: "waiting", message: msg.msgSignedOut, stop: true };
      }
      if (response.redirected && response.ok) {
        return { state: "sent", message: said(html, ".messages .message"), html: html };
      }
      var problem = said(html, "[data-problem], [data-error-summary]");
      if (response.status === 409) {
        return { state: "conflict", message: problem };
      }
      if (response.status === 400 || (response.status === 403 && problem)) {
        return { state: "refused", message: problem };
      }
      if (response.status === 403) {
        // refused before the view (the CSRF check): the session changed; sent once signed in
        return { state: "waiting", message: msg.msgSignedOut, stop: true };
      }
      return { state: "waiting", message: msg.msgRetry, stop: true };
    });
  }

  // The report just saved from this page: its inputs now start from what the server holds
  // (new revisions), except where the user typed again since.
  function refreshReport(item, html) {
    if (item.kind !== "report" || item.url !== formPath) {
      return;
    }
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-entry");
    if (!fresh) {
      return;
    }
    var sent = {};
    item.kpis.forEach(function (kpi) {
      sent[kpi] = true;
    });
    var dirty = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      var kpi = kpiOf(input.name);
      if (kpi && input.type !== "hidden" && changed(input)) {
        var sentValue = field(item.fields, input.name);
        if (!sent[kpi] || sentValue !== input.value) {
          dirty[kpi] = true;
        }
      }
    });
    Array.prototype.forEach.call(fresh.elements, function (source) {
      var kpi = kpiOf(source.name);
      var input = kpi && form.elements[source.name];
      if (!input || dirty[kpi] || input.tagName !== source.tagName) {
        return;
      }
      if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.options, function (option, index) {
          var selected = source.options[index] ? source.options[index].defaultSelected : false;
          option.defaultSelected = selected;
          option.selected = selected;
        });
      } else {
        input.defaultValue = source.defaultValue;
        input.value = source.defaultValue;
      }
    });
  }

  function withLock(task) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("clusterboard-offline-send", task);
    }
    return task();
  }

  function sendAll() {
    if (sending || !navigator.onLine) {
      return Promise.resolve();
    }
    sending = true;
    return withLock(function () {
      var waiting = load().filter(function (item) {
        return item.status === "waiting";
      });
      var next = function (index) {
        if (index >= waiting.length || !navigator.onLine) {
          return Promise.resolve();
        }
        var item = waiting[index];
        outcomes[item.id] = { state: "sending" };
        render();
        return post(item)
          .then(function (response) {
            return outcome(item, response);
          })
          .then(
            function (result) {
              if (result.state === "sent") {
                remove(item.id);
                refreshReport(item, result.html);
                outcomes[item.id] = { state: "sent", message: result.message, item: item };
              } else if (result.state === "waiting") {
                outcomes[item.id] = { state: "waiting", message: result.message };
              } else {
                update(item.id, { status: result.state, message: result.message });
                delete outcomes[item.id];
              }
              render();
              return result.stop ? null : next(index + 1);
            },
            function () {
              // no answer (the connection went again): it stays waiting
              outcomes[item.id] = { state: "waiting" };
              render();
            }
          );
      };
      return next(0);
    }).then(
      function () {
        sending = false;
        render();
      },
      function () {
        sending = false;
        render();
      }
    );
  }

  // --- showing it ------------------------------------------------------------------------

  function stateText(state) {
    return {
      queued: msg.msgQueued,
      waiting: msg.msgWaiting,
      sending: msg.msgSending,
      sent: msg.msgSent,
      conflict: msg.msgConflict,
      refused: msg.msgRefused,
    }[state];
  }

  function render() {
    var items = load();
    var shown = items.slice();
    Object.keys(outcomes).forEach(function (id) {
      if (outcomes[id].state === "sent") {
        shown.push(outcomes[id].item);
      }
    });
    itemsBox.textContent = "";
    shown.forEach(function (item) {
      var now = outcomes[item.id];
      var state = item.status !== "waiting" ? item.status : now ? now.state : "waiting";
      if (state === "queued" && navigator.onLine && !sending) {
        state = "waiting";
      }
      var li = document.createElement("li");
      li.className = "offline-item offline-" + state;
      li.dataset.offlineItem = item.kind;
      li.dataset.state = state;
      var name = document.createElement("strong");
      name.textContent = label(item);
      li.appendChild(name);
      var what = document.createElement("span");
      what.className = "offline-state";
      what.textContent = " " + stateText(state);
      li.appendChild(what);
      var message = item.status !== "waiting" ? item.message : now && now.message;
      if (message) {
        var detail = document.createElement("p");
        detail.className = "offline-message";
        detail.dataset.offlineMessage = "";
        detail.textContent = message;
        li.appendChild(detail);
      }
      if (state === "conflict" || state === "refused") {
        var actions = document.createElement("p");
        actions.className = "offline-actions";
        if (item.kind === "report") {
          var reload = document.createElement("a");
          reload.href = item.url;
          reload.textContent = msg.msgReload;
          actions.appendChild(reload);
          actions.appendChild(document.createTextNode(" "));
        }
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "button-link";
        discard.textContent = msg.msgDiscard;
        discard.addEventListener("click", function () {
          remove(item.id);
          render();
        });
        actions.appendChild(discard);
        li.appendChild(actions);
      }
      itemsBox.appendChild(li);
    });
    list.hidden = shown.length === 0;
    statusLine.textContent = navigator.onLine ? (ready ? msg.msgReady : "") : msg.msgOffline;
    statusLine.hidden = !statusLine.textContent;
    panel.hidden = list.hidden && statusLine.hidden;
    panel.dataset.online = navigator.onLine ? "1" : "0";
  }

  // --- wiring ----------------------------------------------------------------------------

  // After the page's own scripts (report-entry.js checks the values first and may hold the
  // save back): scripts with `defer` all run before DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", function () {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || navigator.onLine) {
        return; // online: posted as always
      }
      event.preventDefault();
      queue(event.submitter);
    });
  });

  window.addEventListener("online", function () {
    render();
    sendAll();
  });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      render();
    }
  });

  if (!navigator.onLine) {
    // a kept copy: its messages ("saved", "submitted") are from when it was kept
    Array.prototype.forEach.call(document.querySelectorAll(".messages"), function (node) {
      node.hidden = true;
    });
  }
  showWaitingValues();
  render();
  sendAll();

  if ("serviceWorker" in navigator && msg.worker) {
    var assets = Array.prototype.map
      .call(document.querySelectorAll("link[rel~=stylesheet][href], link[rel~=icon][href], script[src]"), function (node) {
        return node.href || node.src;
      });
    navigator.serviceWorker
      .register(msg.worker, { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (event.data && event.data.ok) {
            ready = true;
            panel.dataset.offlineReady = "1";
            render();
          }
        };
        registration.active.postMessage(
          { type: "keep", urls: [window.location.href].concat(assets) },
          [channel.port2]
        );
      })
      .catch(function () {
        // no service worker (a private window, an old browser): the queue still works while
        // the page stays open
      });
  }
})();
