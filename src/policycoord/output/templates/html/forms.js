// The forms of the browser workspace (forms.html.j2), made a little livelier:
// a timeframe field explains itself as it is typed. Served as a file (the
// Content-Security-Policy allows no inline script); the form works fully
// without it. It asks the server `GET /api/timeframe?text=...` (same origin,
// cookies sent) for the sentence as plain text, at most one question at a
// time per field, and writes the answer as text (never as markup).
(function () {
  "use strict";
  var WAIT = 250; // milliseconds after the last key press

  function explain(input) {
    var target = document.getElementById(input.getAttribute("data-explain"));
    if (!target) {
      return;
    }
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      if (timer !== null) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(function () {
        var question = ++asked;
        var address = "/api/timeframe?text=" + encodeURIComponent(input.value);
        window
          .fetch(address, { credentials: "same-origin", headers: { Accept: "text/plain" } })
          .then(function (response) {
            return response.ok ? response.text() : null;
          })
          .then(function (text) {
            if (text !== null && question === asked) {
              target.textContent = text;
            }
          })
          .catch(function () {
            /* the sentence drawn with the page stays */
          });
      }, WAIT);
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-explain]");
    for (var i = 0; i < inputs.length; i++) {
      explain(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
