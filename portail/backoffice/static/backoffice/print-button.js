/* Buttons marked data-print (hidden without JavaScript) print the page. A static file,
   not an inline script: the Content-Security-Policy allows scripts from 'self' only. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
