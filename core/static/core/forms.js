// Moves the focus to a form's error summary when the page shows one (issue 10, item 3): screen
// readers announce it and keyboard users start from its links to the fields.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});

// A "back" link (data-history-back) goes back in the history instead of following its href, which is
// the fallback without JavaScript; no javascript: URL is needed (strict CSP, issue 11).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
