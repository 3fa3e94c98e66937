// Forms: after a post with errors, move focus to the error summary so a
// screen reader reads it and a keyboard user starts from it.
const summary = document.getElementById('error-summary');
if (summary) summary.focus();
