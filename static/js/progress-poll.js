/* Shared by the pages that follow a background job (js/import-progress.js, js/rollup-run.js):
   ask a same-origin JSON URL (with the session cookie) every `intervalMs` and hand each answer
   to `onAnswer`, which returns true to go on asking. While the server does not answer, the
   box's data-msg-offline text is shown in its [data-progress-message] element; after
   `maxFailures` failures in a row it stops, says data-msg-stopped and shows the page's
   [data-progress-refresh] link, which is hidden while the script follows the job. */
window.Clusterboard = window.Clusterboard || {};
window.Clusterboard.pollProgress = function (box, options) {
  "use strict";

  var message = box.querySelector("[data-progress-message]");
  var refresh = box.querySelector("[data-progress-refresh]");
  var failures = 0;

  if (refresh) {
    refresh.hidden = true; // the page refreshes itself
  }

  function say(words) {
    message.textContent = words || "";
    message.hidden = !words;
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
      .then(function (answer) {
        failures = 0;
        say("");
        if (options.onAnswer(answer)) {
          window.setTimeout(poll, options.intervalMs);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures >= options.maxFailures) {
          say(box.dataset.msgStopped);
          if (refresh) {
            refresh.hidden = false;
          }
          return;
        }
        say(box.dataset.msgOffline);
        window.setTimeout(poll, options.intervalMs);
      });
  }

  window.setTimeout(poll, options.intervalMs);
};
