/* Rollup recompute page: while the run is running, ask the API for its progress every 2 s
   (GET /api/v1/rollup-runs/<id>/, same origin, with the session cookie) and update the
   progress bar and its text until the status is no longer "running"; if some years failed,
   reload once so the page lists their errors. Without this script the page shows the state
   at load time and a "Refresh" link. Texts come translated from the data-* attributes. */
(function () {
  "use strict";

  var box = document.querySelector("[data-rollup-run]");
  if (!box || box.dataset.status !== "running" || !window.fetch) {
    return;
  }
  var INTERVAL_MS = 2000;
  var MAX_FAILURES = 15; // about half a minute without an answer: stop asking
  var bar = box.querySelector("[data-run-bar]");
  var statusText = box.querySelector("[data-run-status]");
  var percentText = box.querySelector("[data-run-percent]");
  var progressText = box.querySelector("[data-run-text]");
  var failedText = box.querySelector("[data-run-failed]");
  var refresh = box.querySelector("[data-run-refresh]");
  var message = box.querySelector("[data-run-message]");
  var lang = document.documentElement.lang || undefined;
  var failures = 0;

  if (refresh) {
    refresh.hidden = true; // the page refreshes itself
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function number(value, digits) {
    try {
      return Number(value).toLocaleString(lang, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits
      });
    } catch (e) {
      return Number(value).toFixed(digits);
    }
  }

  function say(text) {
    message.textContent = text || "";
    message.hidden = !text;
  }

  function show(run) {
    var finished = run.done + run.failed;
    bar.max = run.total || 1;
    bar.value = run.total ? finished : 1;
    // progress_percent is a decimal string ("37.50"), as every percentage of the API
    var percent = number(run.progress_percent, 0) + "%";
    bar.textContent = percent;
    percentText.textContent = percent;
    progressText.textContent = fill(box.dataset.msgProgress, {
      done: run.done,
      total: run.total,
      elapsed: number(run.elapsed_s, 1)
    });
    failedText.textContent = fill(box.dataset.msgFailed, { failed: run.failed });
    failedText.hidden = !run.failed;
    var label = box.dataset["label" + run.status.charAt(0).toUpperCase() + run.status.slice(1)];
    statusText.textContent = label || run.status;
    statusText.className = "run-status run-status-" + run.status;
    box.dataset.status = run.status;
  }

  function poll() {
    fetch(box.dataset.url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (run) {
        failures = 0;
        say("");
        show(run);
        if (run.status === "running") {
          window.setTimeout(poll, INTERVAL_MS);
        } else if (run.failed) {
          window.location.reload(); // the finished page, with its errors listed
        }
      })
      .catch(function () {
        failures += 1;
        if (failures >= MAX_FAILURES) {
          say(box.dataset.msgStopped);
          if (refresh) {
            refresh.hidden = false;
          }
          return;
        }
        say(box.dataset.msgOffline);
        window.setTimeout(poll, INTERVAL_MS);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
