/*
 * 应公开日期 in the item editor: recomputed on the server
 * (/workspace/due-date) when the catalog entry, 成文日期, 报告期 or the
 * date the limit counts from (e.g. 批复日期) changes. Without
 * JavaScript the date is computed when the form is saved.
 */
(function () {
  "use strict";

  function init() {
    var output = document.getElementById("due-preview");
    if (!output || !output.dataset.dueUrl) {
      return;
    }
    var entry = document.getElementById(output.dataset.entryField);
    var formed = document.getElementById(output.dataset.formedField);
    if (!entry || !formed) {
      return;
    }
    var facts = ["report_year", "report_period", "event_on"]
      .map(function (name) {
        return document.getElementsByName(name)[0];
      })
      .filter(Boolean);
    var pending = null;

    function update() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var params = new URLSearchParams({ entry: entry.value, formed_on: formed.value });
      facts.forEach(function (field) {
        if (field.value) {
          params.set(field.name, field.value);
        }
      });
      fetch(output.dataset.dueUrl + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.text) {
            output.textContent = data.text;
          }
        })
        .catch(function () {
          /* aborted or offline: the date is computed again on save */
        });
    }

    entry.addEventListener("change", update);
    formed.addEventListener("change", update);
    facts.forEach(function (field) {
      field.addEventListener("change", update);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
