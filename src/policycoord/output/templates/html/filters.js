
/* policycoord HTML report: the findings filter. It holds no data of its own:
   it reads the data- attributes of the findings table (our own keys, never
   user text) and only shows or hides rows. Without it every finding shows. */
(function () {
  "use strict";
  var root = document.documentElement;
  var ready = getComputedStyle(root).getPropertyValue("--pc-ready").trim();
  root.setAttribute("data-styled", ready === "1" ? "yes" : "no");
  var form = document.getElementById("filters");
  var table = document.getElementById("findings-table");
  var status = document.getElementById("filter-status");
  if (!form || !table || !status) {
    root.setAttribute("data-filters", "none");
    return;
  }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-severity]"));
  var empty = table.querySelector("tbody tr.no-match");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=severity]"));
  var organisation = form.elements.namedItem("organisation");
  var family = form.elements.namedItem("family");

  function apply() {
    var severities = {};
    boxes.forEach(function (box) {
      severities[box.value] = box.checked;
    });
    var shown = 0;
    rows.forEach(function (row) {
      var match =
        severities[row.getAttribute("data-severity")] === true &&
        (organisation.value === "" || organisation.value === row.getAttribute("data-organisation")) &&
        (family.value === "" || family.value === row.getAttribute("data-family"));
      row.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    if (empty) {
      empty.hidden = shown !== 0;
    }
    status.className = shown === rows.length ? "filter-status" : "filter-status filtered";
    status.textContent =
      shown === rows.length
        ? "Showing all " + rows.length + " findings."
        : "Showing " + shown + " of " + rows.length + " findings (filtered).";
  }

  form.addEventListener("change", apply);
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
  apply();
  root.setAttribute("data-filters", "ready");
})();
