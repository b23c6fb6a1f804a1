/* Activity import page (a large file imported in the background): while the job is not
   finished, ask for its progress every 1.5 s (GET the URL in data-url, same origin, with the
   session cookie) and update the bar and its text; once the job has finished, reload the page
   so that it shows the result (the count saved, or the problems row by row). Without this
   script the page shows the state at load time and a "Refresh" link. The texts come
   translated in the JSON; the two messages of this script from the data-* attributes. */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-job]");
  if (!box || box.dataset.finished === "true" || !window.fetch) {
    return;
  }
  var INTERVAL_MS = 1500;
  var MAX_FAILURES = 20; // half a minute without an answer: stop asking
  var bar = box.querySelector("[data-job-bar]");
  var state = box.querySelector("[data-job-state]");
  var percent = box.querySelector("[data-job-percent]");
  var text = box.querySelector("[data-job-text]");
  var refresh = box.querySelector("[data-job-refresh]");
  var message = box.querySelector("[data-job-message]");
  var failures = 0;

  if (refresh) {
    refresh.hidden = true; // the page refreshes itself
  }

  function say(words) {
    message.textContent = words || "";
    message.hidden = !words;
  }

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    percent.textContent = job.percent + "%";
    text.textContent = job.text;
    state.textContent = job.label;
    var look = job.state === "done" ? "done" : (job.finished ? "failed" : "running");
    state.className = "run-status run-status-" + look;
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
      .then(function (job) {
        failures = 0;
        say("");
        show(job);
        if (job.finished) {
          window.location.reload(); // the finished page, with its result
        } else {
          window.setTimeout(poll, INTERVAL_MS);
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
