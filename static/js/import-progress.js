/* Activity import page (a large file imported in the background): while the job is not
   finished, ask for its progress every 1.5 s (the URL in data-url, js/progress-poll.js) and
   update the bar and its text; once the job has finished, reload the page so that it shows
   the result (the count saved, or the problems row by row). Without this script the page
   shows the state at load time and a "Refresh" link. The texts come translated in the JSON. */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-job]");
  if (!box || box.dataset.finished === "true" || !window.fetch || !window.Clusterboard) {
    return;
  }
  var bar = box.querySelector("[data-job-bar]");
  var state = box.querySelector("[data-job-state]");
  var percent = box.querySelector("[data-job-percent]");
  var text = box.querySelector("[data-job-text]");

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    percent.textContent = job.percent + "%";
    text.textContent = job.text;
    state.textContent = job.label;
    var look = job.state === "done" ? "done" : (job.finished ? "failed" : "running");
    state.className = "run-status run-status-" + look;
  }

  window.Clusterboard.pollProgress(box, {
    intervalMs: 1500,
    maxFailures: 20, // half a minute without an answer: stop asking
    onAnswer: function (job) {
      show(job);
      if (job.finished) {
        window.location.reload(); // the finished page, with its result
        return false;
      }
      return true;
    }
  });
})();
