// A form that comes back with errors: move the focus to the summary at its top
// (templates/_error_summary.html), so that a keyboard or screen-reader user starts there.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// Signing out: the service worker forgets the pages it kept for entry without a connection
// (static/js/sw.js), since they hold this user's data. What was typed offline stays queued for
// the user (static/js/offline.js keeps it per user).
document.addEventListener("submit", function (event) {
  if (
    event.target.classList.contains("logout-form") &&
    navigator.serviceWorker &&
    navigator.serviceWorker.controller
  ) {
    navigator.serviceWorker.controller.postMessage({ type: "forget" });
  }
});
