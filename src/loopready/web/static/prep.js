/* The prep pages' script: plan, research, stories, drills, brief and offers.
 *
 * Everything here is an extra: each page reads and submits without it. With it, the
 * time-zone list starts at the browser's zone, forms that came back with errors are
 * swapped in place, focus returns where it was after a day is marked, written answers
 * are kept in this browser until the server has them, and the offer form shows only
 * the equity fields of the form chosen.
 */
(function () {
  "use strict";

  /* -- the browser's time zone as the default ------------------------------------------ */

  function browserZone(root) {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    if (!zone) { return; }
    root.querySelectorAll("select[data-browser-tz='1']").forEach(function (select) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; break; }
      }
      select.setAttribute("data-browser-tz", "done");
    });
  }

  /* -- drafts kept in this browser ------------------------------------------------------ */

  function draftKey(el) { return "loopready:prep:" + el.getAttribute("data-keep"); }

  function keepDrafts(root) {
    root.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      try { window.localStorage.removeItem("loopready:prep:" + el.getAttribute("data-clear-draft")); } catch (e) { /* ignore */ }
    });
    root.querySelectorAll("textarea[data-keep]:not([data-kept])").forEach(function (area) {
      area.setAttribute("data-kept", "1");
      var saved = null;
      try { saved = window.localStorage.getItem(draftKey(area)); } catch (e) { saved = null; }
      if (saved && !area.value.trim()) {
        area.value = saved;
        var note = document.getElementById(area.getAttribute("data-keep-note") || "");
        if (note) { note.textContent = "Restored what you had typed in this browser."; }
      }
      area.addEventListener("input", function () {
        try { window.localStorage.setItem(draftKey(area), area.value); } catch (e) { /* storage full or off */ }
      });
    });
  }

  /* -- "use this" buttons --------------------------------------------------------------- */

  function fillButtons(root) {
    root.querySelectorAll("button[data-fill]:not([data-bound])").forEach(function (button) {
      button.setAttribute("data-bound", "1");
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-fill"));
        if (!target) { return; }
        target.value = button.getAttribute("data-value") || "";
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.focus();
      });
    });
  }

  /* -- fields shown for one choice only -------------------------------------------------- */

  function showWhen(root) {
    var groups = root.querySelectorAll("[data-show-when]");
    if (!groups.length) { return; }
    function update() {
      groups.forEach(function (group) {
        var text = group.getAttribute("data-show-when");
        var negate = text.indexOf("!=") > 0;
        var rule = text.split(negate ? "!=" : "=");
        var chosen = document.querySelector("input[name='" + rule[0] + "']:checked");
        var value = chosen ? chosen.value : "";
        group.hidden = negate ? value === rule[1] || value === "" : value !== rule[1];
      });
    }
    root.querySelectorAll("input[type=radio]").forEach(function (radio) {
      if (!radio.hasAttribute("data-show-bound")) {
        radio.setAttribute("data-show-bound", "1");
        radio.addEventListener("change", update);
      }
    });
    update();
  }

  /* -- field messages mark their field invalid ------------------------------------------ */

  function markFields(root) {
    root.querySelectorAll("[data-msg-for]").forEach(function (slot) {
      var field = document.getElementById(slot.getAttribute("data-msg-for"));
      if (!field) { return; }
      var bad = slot.querySelector(".sev-error, .field-error") !== null;
      if (bad) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
    });
  }

  /* -- text areas grow with their text -------------------------------------------------- */

  function fit(area) {
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 2) + "px";
  }

  function autosize(root) {
    root.querySelectorAll("textarea[data-autosize]:not([data-sized])").forEach(function (area) {
      area.setAttribute("data-sized", "1");
      area.addEventListener("input", function () { fit(area); });
      fit(area);
    });
  }

  function bind(root) {
    browserZone(root);
    autosize(root);
    keepDrafts(root);
    fillButtons(root);
    showWhen(root);
    markFields(root);
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });

  /* A form re-rendered with its errors (X-Form-Errors) is swapped in, not just reported. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("X-Form-Errors")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  var focusAfter = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    focusAfter = elt && elt.getAttribute ? elt.getAttribute("data-focus-after") : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    bind(document);
    if (focusAfter) {
      var target = document.getElementById(focusAfter);
      focusAfter = null;
      if (target) { target.focus({ preventScroll: false }); }
    }
    var swapped = event.detail && event.detail.target;
    if (swapped && swapped.querySelector) {
      var done = swapped.querySelector("[data-clear-draft]");
      if (done) { keepDrafts(document); }
    }
  });
})();
