// Moves the focus to a form's error summary when the page shows one (issue 10, item 3): screen
// readers announce it and keyboard users start from its links to the fields.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
