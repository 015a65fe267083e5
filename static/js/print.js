/*
 * The item's print view: the 打印本页 button, shown only where JavaScript
 * runs (without it, the page is already the printable view: the browser's
 * own print command prints it).
 */
(function () {
  "use strict";

  function init() {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        window.print();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
