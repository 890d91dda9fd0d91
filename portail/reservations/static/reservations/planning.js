/* Planning (progressive enhancement: the page works without this script, the form posts
   the ticked boxes and the server renders the summary of the boxes it ticked).
   - the live list of pending changes and their total; on the parents' page, the summary
     bar: changes, total, credit used and left to pay, with the credit the server counted
     (data-credit-cents: credit used = min(credit, total), as the basket applies it);
   - recomputed from the boxes as they really are on load and on pageshow (the browser's
     Back can restore ticked boxes, from its cache or by restoring the form);
   - leaving the page with unsent ticks asks first (a link or another form of the page:
     a confirmation; closing or reloading: the browser's own question); never when the
     planning form itself is being submitted;
   - on narrow screens (one day at a time), the day links scroll the days' region and say
     which day is shown.
   Every figure comes from data-attributes the server rendered (data-delta-cents, ...). */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("planning-form");
    var panel = document.getElementById("pending");
    if (!form || !panel) { return; }
    var list = document.getElementById("pending-list");
    var empty = document.getElementById("pending-empty");
    var total = document.getElementById("pending-total");
    var summary = document.getElementById("planning-summary");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input.block__input"));
    var lang = document.documentElement.lang || "fr";
    var money = new Intl.NumberFormat(lang === "en" ? "en-IE" : "fr-FR", { style: "currency", currency: "EUR" });
    var labels = total.dataset;
    var credit = summary ? parseInt(summary.dataset.creditCents, 10) || 0 : 0;
    var submitting = false;
    var leaving = false;

    if (summary) {
      // One polite announcement per change: the summary bar's.
      total.removeAttribute("aria-live");
    }

    function formatCents(cents) {
      var text = money.format(cents / 100);
      // The server writes €3.70 in English (no space) and 3,70 € in French.
      return lang === "en" ? text.replace(/^(-?)€\s?/, "$1€") : text;
    }

    function countText(count, source) {
      if (count === 0 && source.labelNone) { return source.labelNone; }
      return count === 1 ? source.labelCountOne : source.labelCountMany.replace("%(count)s", count);
    }

    function setText(id, text) {
      var node = document.getElementById(id);
      if (node && node.textContent !== text) { node.textContent = text; }
    }

    function ticked() {
      return boxes.filter(function (box) { return box.checked; });
    }

    function renderSummary(count, sum, announce) {
      if (!summary) { return; }
      var used = Math.min(credit, Math.max(0, sum));
      var due = Math.max(0, sum) - used;
      var line = countText(count, summary.dataset);
      setText("summary-count", announce ? announce + " " + line : line);
      setText("summary-total", formatCents(sum));
      setText("summary-credit", formatCents(used));
      setText("summary-due", formatCents(due));
    }

    function render(announce) {
      list.textContent = "";
      var sum = 0;
      var checked = ticked();
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
      if (checked.length) { line += " (" + countText(checked.length, labels) + ")"; }
      total.textContent = !summary && announce ? announce + " " + line : line;
      renderSummary(checked.length, sum, announce);
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

    // -- unsent ticks: ask before leaving ------------------------------------------------
    function leaveQuestion(count) {
      var data = form.dataset;
      return count === 1 ? data.leaveOne : data.leaveMany.replace("%(count)s", count);
    }

    function mayLeave(event) {
      var count = ticked().length;
      if (!count || submitting || leaving || !form.dataset.leaveOne) { return; }
      if (window.confirm(leaveQuestion(count))) {
        leaving = true;
      } else {
        event.preventDefault();
      }
    }

    form.addEventListener("submit", function () { submitting = true; });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented || event.button > 0) { return; }
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      if (link.hasAttribute("download") || (link.target && link.target !== "_self")) { return; }
      var href = link.getAttribute("href");
      if (!href || href.charAt(0) === "#") { return; }
      mayLeave(event);
    });
    document.addEventListener("submit", function (event) {
      if (event.target !== form) { mayLeave(event); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || leaving || !ticked().length || !form.dataset.leaveOne) { return; }
      event.preventDefault();
      event.returnValue = "";
    });

    // -- Back: the boxes as the browser restored them --------------------------------------
    window.addEventListener("pageshow", function () {
      submitting = false;
      leaving = false;
      render("");
    });
    window.addEventListener("load", function () { render(""); });

    panel.hidden = false;
    render("");
    initDays();
  }

  // -- days: one at a time on narrow screens; headers' height on wide ones ---------------
  function initDays() {
    var region = document.querySelector(".planning-scroll");
    var grid = region ? region.querySelector(".planning") : null;
    if (!region || !grid) { return; }
    var narrow = window.matchMedia("(max-width: 48rem)");
    var days = Array.prototype.slice.call(grid.querySelectorAll(".planning__day"));
    var dayLinks = Array.prototype.slice.call(document.querySelectorAll(".day-links__link"));

    function dayHeads() {
      // Wide screens: the child headers stick just under the tallest day header.
      var tallest = 0;
      grid.querySelectorAll(".planning__day-name").forEach(function (head) {
        tallest = Math.max(tallest, head.getBoundingClientRect().height);
      });
      if (!narrow.matches && tallest) { grid.style.setProperty("--day-head", tallest + "px"); }
    }

    function shownIndex() {
      if (!region.clientWidth) { return 0; }
      return Math.max(0, Math.min(days.length - 1, Math.round(region.scrollLeft / region.clientWidth)));
    }

    function markShown() {
      var index = shownIndex();
      dayLinks.forEach(function (link, at) {
        if (at === index) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
      });
    }

    function showDay(event) {
      var link = event.target.closest ? event.target.closest("a[href^='#day-']") : null;
      if (!link || !narrow.matches) { return; }
      var head = document.getElementById(link.getAttribute("href").slice(1));
      var day = head ? head.closest(".planning__day") : null;
      if (!day) { return; }
      event.preventDefault();
      region.scrollTo({ left: day.offsetLeft, behavior: "smooth" });
      head.setAttribute("tabindex", "-1");
      head.focus({ preventScroll: true });
      if (link.classList.contains("planning__day-step")) {
        day.scrollIntoView({ block: "nearest" });
      }
    }

    var pending = null;
    region.addEventListener("scroll", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(markShown, 80);
    });
    document.addEventListener("click", showDay);
    window.addEventListener("resize", dayHeads);
    dayHeads();
    markShown();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
