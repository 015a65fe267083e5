// The count and facets of a search come from their own, cached request
// (/items/summary/), so that the results are shown without waiting for them.
// Without this script the facets box links to that page.
(function () {
  "use strict";
  var slot = document.querySelector("[data-summary-url]");
  if (!slot || !window.fetch || !window.DOMParser) {
    return;
  }
  slot.setAttribute("aria-busy", "true");
  fetch(slot.getAttribute("data-summary-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.text();
    })
    .then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var count = page.getElementById("summary-count");
      var heading = document.getElementById("result-count");
      if (count && heading && !heading.textContent.trim()) {
        heading.textContent = count.textContent;
      }
      var facets = page.getElementById("facets");
      if (facets) {
        slot.replaceWith(document.importNode(facets, true));
      } else {
        slot.remove();
      }
    })
    .catch(function () {
      slot.removeAttribute("aria-busy"); // the link stays
    });
})();
