/* Planning: the live list of pending changes and their total (progressive enhancement).
   The page works without this script: the form posts the ticked boxes. Every figure comes
   from data-attributes the server rendered (data-delta-cents, data-delta-text). */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("planning-form");
    var panel = document.getElementById("pending");
    if (!form || !panel) { return; }
    var list = document.getElementById("pending-list");
    var empty = document.getElementById("pending-empty");
    var total = document.getElementById("pending-total");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input.block__input"));
    var lang = document.documentElement.lang || "fr";
    var money = new Intl.NumberFormat(lang === "en" ? "en-IE" : "fr-FR", { style: "currency", currency: "EUR" });
    var labels = total.dataset;

    function formatCents(cents) {
      var text = money.format(cents / 100);
      // The server writes €3.70 in English (no space) and 3,70 € in French.
      return lang === "en" ? text.replace(/^(-?)€\s?/, "$1€") : text;
    }

    function countText(count) {
      return count === 1 ? labels.labelCountOne : labels.labelCountMany.replace("%(count)s", count);
    }

    function render(announce) {
      list.textContent = "";
      var sum = 0;
      var checked = boxes.filter(function (box) { return box.checked; });
      checked.forEach(function (box) {
        sum += parseInt(box.dataset.deltaCents, 10) || 0;
        var item = document.createElement("li");
        var text = document.createElement("span");
        text.textContent = box.dataset.summary + " – " + box.dataset.action + " (" + box.dataset.deltaText + ")";
        var undo = document.createElement("button");
        undo.type = "button";
        undo.className = "button button--small button--secondary";
        undo.textContent = labels.labelUndo;
        undo.setAttribute("aria-label", labels.labelUndo + ", " + box.dataset.summary);
        undo.addEventListener("click", function () {
          box.checked = false;
          render(labels.labelRemoved + " " + box.dataset.summary + ".");
          box.focus();
        });
        item.appendChild(text);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(undo);
        list.appendChild(item);
      });
      empty.hidden = checked.length > 0;
      var line = labels.labelTotal + " " + formatCents(sum);
      if (checked.length) { line += " (" + countText(checked.length) + ")"; }
      total.textContent = announce ? announce + " " + line : line;
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () { render(""); });
    });
    form.addEventListener("reset", function (event) {
      // REINITIALISER drops every unsent change, including boxes ticked again after a refusal.
      event.preventDefault();
      boxes.forEach(function (box) { box.checked = false; });
      render("");
    });
    panel.hidden = false;
    render("");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
