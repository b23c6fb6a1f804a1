/* Rollup recompute page: while the run is running, ask the API for its progress every 2 s
   (GET /api/v1/rollup-runs/<id>/, js/progress-poll.js) and update
   the progress bar and its text until the status is no longer "running"; if some years failed,
   reload once so the page lists their errors. Without this script the page shows the state
   at load time and a "Refresh" link. Texts come translated from the data-* attributes. */
(function () {
  "use strict";

  var box = document.querySelector("[data-rollup-run]");
  if (!box || box.dataset.status !== "running" || !window.fetch || !window.Clusterboard) {
    return;
  }
  var bar = box.querySelector("[data-run-bar]");
  var statusText = box.querySelector("[data-run-status]");
  var percentText = box.querySelector("[data-run-percent]");
  var progressText = box.querySelector("[data-run-text]");
  var failedText = box.querySelector("[data-run-failed]");
  var lang = document.documentElement.lang || undefined;

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

  window.Clusterboard.pollProgress(box, {
    intervalMs: 2000,
    maxFailures: 15, // about half a minute without an answer: stop asking
    onAnswer: function (run) {
      show(run);
      if (run.status === "running") {
        return true;
      }
      if (run.failed) {
        window.location.reload(); // the finished page, with its errors listed
      }
      return false;
    }
  });
})();
