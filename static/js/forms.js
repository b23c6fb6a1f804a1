// A form that comes back with errors: move the focus to the summary at its top
// (templates/_error_summary.html), so that a keyboard or screen-reader user starts there.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
