/*
 * Vigie — the quick exit.  Without JavaScript the button is a plain link to
 * a neutral site; with it, the page is replaced (location.replace) so the
 * Back button does not bring this site back, and Escape does the same.
 */
(function () {
  "use strict";
  var link = document.getElementById("sortie-rapide");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.title = "";
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });
})();

/* The print button is only shown where JavaScript can work it; without
 * JavaScript, the browser's own print menu uses the print stylesheet. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
