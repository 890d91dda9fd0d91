/* A table wider than the screen scrolls sideways inside its .table-wrap: make such a
   wrapper reachable with the keyboard (Tab, then the arrow keys) and name it after its
   table's caption, so that it is announced as a region. Wrappers that do not scroll are
   left alone (no useless tab stop); templates may also set the attributes themselves. */
(function () {
  "use strict";
  var counter = 0;

  function update() {
    var wraps = document.querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var added = ["tabindex", "role"];
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby")) {
          // Already named by the template.
        } else if (caption) {
          if (!caption.id) { caption.id = "table-caption-" + (++counter); }
          wrap.setAttribute("aria-labelledby", caption.id);
          added.push("aria-labelledby");
        } else {
          var heading = wrap.previousElementSibling;
          var name = heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent.trim() : document.title;
          wrap.setAttribute("aria-label", name);
          added.push("aria-label");
        }
        wrap.dataset.scrollAdded = added.join(" ");
      } else if (!scrolls && wrap.dataset.scrollAdded) {
        wrap.dataset.scrollAdded.split(" ").forEach(function (name) { wrap.removeAttribute(name); });
        delete wrap.dataset.scrollAdded;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", update);
})();
