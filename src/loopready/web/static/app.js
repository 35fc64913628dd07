/* loopready's small script: autosave, the round clock, safe submits, and messages.
 *
 * Every page works without it for reading; with it, answers save themselves while
 * you type (at most about a second behind), are kept in this browser's storage until
 * the server has them, and a submit that cannot reach the server keeps your text and
 * says so.
 */
(function () {
  "use strict";

  var SAVE_DELAY_MS = 700;      // pause in typing before a save is sent
  var MAX_WAIT_MS = 1800;       // never more than this behind while typing non-stop
  var RETRY_MS = 3000;          // retry a failed save this often

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* -- messages ------------------------------------------------------------------------ */

  var toastTimer = null;
  function toast(message, isError) {
    var box = document.getElementById("toast");
    if (!box) { return; }
    box.textContent = message;
    box.className = "toast" + (isError ? " error" : "");
    box.hidden = false;
    if (toastTimer) { clearTimeout(toastTimer); }
    toastTimer = setTimeout(function () { box.hidden = true; }, isError ? 9000 : 4000);
  }

  /* The words of a server answer (an error fragment or page), parsed inertly. */
  function textOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var main = doc.querySelector("main") || doc.body;
    return ((main && main.textContent) || "").replace(/\s+/g, " ").trim();
  }

  /* -- drafts kept in this browser ----------------------------------------------------- */

  /* A draft is {text, at, revision}: the text typed here, when, and the revision of the
   * server copy it was based on. */
  function draftKey(editor) {
    return "loopready:draft:" + editor.getAttribute("data-draft-key");
  }
  function readDraft(editor) {
    try {
      var raw = window.localStorage.getItem(draftKey(editor));
      return raw ? JSON.parse(raw) : null;
    } catch (e) { return null; }
  }
  function writeDraft(editor, text, revision) {
    try {
      window.localStorage.setItem(draftKey(editor), JSON.stringify({
        text: text, at: Date.now(), revision: revision
      }));
    } catch (e) { /* storage full or disabled: the server copy still counts */ }
  }
  function removeDraft(editor) {
    try { window.localStorage.removeItem(draftKey(editor)); } catch (e) { /* ignore */ }
  }
  function dropDraft(editor, savedText) {
    var draft = readDraft(editor);
    if (draft && draft.text === savedText) { removeDraft(editor); }
  }

  /* -- autosave ------------------------------------------------------------------------ */

  function Autosave(editor) {
    this.editor = editor;
    this.url = editor.getAttribute("data-autosave");
    this.seq = editor.getAttribute("data-seq") || "0";
    this.revision = parseInt(editor.getAttribute("data-revision") || "", 10);
    if (isNaN(this.revision)) { this.revision = null; }
    this.status = document.getElementById(editor.getAttribute("data-status"));
    this.counter = document.getElementById(editor.getAttribute("data-counter") || "");
    this.panel = document.getElementById(editor.getAttribute("data-conflict") || "");
    /* The hand-in form carries the revision too, so a stale tab cannot hand in over newer text. */
    this.revisionInput = editor.form ? editor.form.querySelector("input[name=revision]") : null;
    this.saved = editor.value;
    this.timer = null;
    this.firstUnsaved = 0;
    this.inFlight = false;
    this.again = false;
    this.conflict = false;  /* handed in elsewhere: this editor never saves again */
    this.clash = null;      /* another copy to choose from: {text, revision, server} */
    var self = this;

    if (this.panel) {
      this.panel.querySelectorAll("[data-resolve]").forEach(function (button) {
        button.addEventListener("click", function () {
          self.resolve(button.getAttribute("data-resolve"));
        });
      });
    }
    this.restore();
    this.count();
    editor.addEventListener("input", function () {
      writeDraft(editor, editor.value, self.revision);
      self.count();
      self.schedule(SAVE_DELAY_MS);
    });
    window.addEventListener("online", function () { if (self.dirty()) { self.schedule(0); } });
    window.addEventListener("pagehide", function () { self.beacon(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { self.beacon(); }
    });
  }

  /* The draft kept in this browser wins only when it is newer than the server's copy. */
  Autosave.prototype.restore = function () {
    var editor = this.editor;
    var draft = readDraft(editor);
    if (!draft || typeof draft.text !== "string") { return; }
    if (draft.text === editor.value) { removeDraft(editor); return; }  /* the server has it */
    var newer;
    if (typeof draft.revision === "number" && this.revision !== null) {
      newer = draft.revision >= this.revision;
    } else {
      var serverAt = Date.parse(editor.getAttribute("data-updated") || "") || 0;
      newer = draft.at > serverAt;
    }
    if (newer) {
      editor.value = draft.text;
      this.show("failed", "Restored text from this browser that had not reached the server; saving it now…");
      this.schedule(0);
    } else {
      /* Older than what was saved since (another tab): never overwrite; offer it. */
      this.showClash(draft.text, this.revision, editor.value,
        "This browser kept text older than the saved answer, which stays in the editor.");
    }
  };

  /* Show *other* beside the editor; *serverText* at *revision* is what the server holds. */
  Autosave.prototype.showClash = function (other, revision, serverText, message) {
    this.clash = { text: other, revision: revision, server: serverText };
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.show("failed", message + " Choose below what to keep.");
    if (this.panel) {
      this.panel.querySelector(".conflict-other").textContent = other;
      this.panel.hidden = false;
    }
  };

  Autosave.prototype.resolve = function (choice) {
    if (!this.clash) { return; }
    var mine = this.editor.value;
    var other = this.clash.text;
    this.setRevision(this.clash.revision);
    this.saved = this.clash.server;
    this.clash = null;
    if (this.panel) { this.panel.hidden = true; }
    if (choice === "theirs") {
      this.editor.value = other;
    } else if (choice === "both") {
      this.editor.value = mine + (mine && other ? "\n\n" : "") + other;
    }
    this.count();
    if (this.dirty()) {
      writeDraft(this.editor, this.editor.value, this.revision);
      this.schedule(0);
    } else {
      removeDraft(this.editor);
      this.show("saved", "Saved");
    }
  };

  Autosave.prototype.setRevision = function (revision) {
    this.revision = revision;
    if (this.revisionInput && revision !== null) { this.revisionInput.value = String(revision); }
  };

  Autosave.prototype.dirty = function () { return this.editor.value !== this.saved; };

  Autosave.prototype.count = function () {
    if (!this.counter) { return; }
    var words = this.editor.value.trim().split(/\s+/).filter(Boolean).length;
    this.counter.textContent = words + (words === 1 ? " word" : " words");
  };

  Autosave.prototype.show = function (state, message) {
    if (!this.status) { return; }
    this.status.className = "save-state " + state;
    this.status.textContent = message;
  };

  Autosave.prototype.schedule = function (delay) {
    var self = this;
    var now = Date.now();
    if (!this.firstUnsaved) { this.firstUnsaved = now; }
    var wait = Math.min(delay, Math.max(0, this.firstUnsaved + MAX_WAIT_MS - now));
    if (this.timer) { clearTimeout(this.timer); }
    this.timer = setTimeout(function () { self.save(); }, wait);
  };

  Autosave.prototype.body = function (text) {
    var form = new FormData();
    form.append("seq", this.seq);
    form.append("text", text);
    if (this.revision !== null) { form.append("revision", String(this.revision)); }
    if (activeClock) { form.append("active_s", activeClock.elapsed().toFixed(1)); }
    return form;
  };

  Autosave.prototype.save = function () {
    var self = this;
    this.timer = null;
    if (this.conflict || this.clash) { return Promise.resolve(false); }
    if (this.inFlight) { this.again = true; return Promise.resolve(false); }
    if (!this.dirty()) { this.firstUnsaved = 0; return Promise.resolve(true); }
    var text = this.editor.value;
    this.inFlight = true;
    this.firstUnsaved = 0;
    this.show("saving", "Saving…");
    return fetch(this.url, {
      method: "POST",
      body: this.body(text),
      headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (html) {
        var revision = parseInt(response.headers.get("X-Revision") || "", 10);
        if (response.ok) {
          self.saved = text;
          if (!isNaN(revision)) { self.setRevision(revision); }
          dropDraft(self.editor, text);
          /* Typed on meanwhile: this editor's draft is now based on the new revision. */
          var kept = readDraft(self.editor);
          if (kept && kept.text === self.editor.value) {
            writeDraft(self.editor, self.editor.value, self.revision);
          }
          self.show("saved", textOf(html));
          return true;
        }
        if (response.status === 409 && response.headers.get("X-Conflict") === "revision") {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var theirs = doc.querySelector(".conflict-theirs");
          var server = theirs ? theirs.value : "";
          self.showClash(server, isNaN(revision) ? self.revision : revision, server,
            "Not saved: this answer was saved in another tab since this page loaded.");
          return false;
        }
        if (response.status === 409) { self.conflict = true; }
        self.show("failed", "Not saved: " + textOf(html));
        if (response.status >= 500) { self.retry(); }
        return false;
      });
    }, function () {
      self.show("failed", "Not saved: loopready's server cannot be reached. Your text is kept in this browser; retrying…");
      self.retry();
      return false;
    }).then(function (ok) {
      self.inFlight = false;
      if (self.again) { self.again = false; self.schedule(0); }
      return ok;
    });
  };

  Autosave.prototype.retry = function () {
    var self = this;
    setTimeout(function () { if (self.dirty()) { self.save(); } }, RETRY_MS);
  };

  Autosave.prototype.beacon = function () {
    if (!this.dirty() || this.conflict || this.clash || !navigator.sendBeacon) { return; }
    var form = this.body(this.editor.value);
    form.append("csrf_token", csrfToken());
    /* The draft stays, based on this.revision: if the beacon arrives, the next page load
     * finds the server's text equal to it and drops it; if not, it is newer and restored. */
    navigator.sendBeacon(this.url, form);
  };

  /* -- submitting without losing text --------------------------------------------------- */

  /* The free-form role-play: the panel's reply streams in as the model writes it.
     Listening on the document in the capture phase runs before HTMX's own handler. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-stream")) { return; }
    if (!event.submitter || event.submitter.value !== "send" || !window.ReadableStream) { return; }
    event.preventDefault();
    event.stopPropagation();
    var chat = document.querySelector("ol.chat");
    var data = new FormData(form);
    var mine = document.createElement("li");
    mine.className = "bubble me";
    mine.textContent = data.get("text") || "";
    var theirs = document.createElement("li");
    theirs.className = "bubble them streaming";
    theirs.setAttribute("aria-live", "polite");
    if (chat) { chat.appendChild(mine); chat.appendChild(theirs); }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.getAttribute("data-stream"), {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": csrfToken(), "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) { window.location.assign(window.location.pathname); return; }
          theirs.textContent += decoder.decode(part.value, { stream: true });
          if (chat) { chat.scrollTop = chat.scrollHeight; }
          return pump();
        });
      }
      return pump();
    }, function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      toast("Could not reach loopready's server; your reply is still in the box.", true);
    });
  }, true);

  function safeSubmit(form, saver) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      /* a button that ends something asks first ("End the mock now") */
      var asks = event.submitter && event.submitter.getAttribute("data-confirm");
      if (asks && !window.confirm(asks)) { return; }
      var button = form.querySelector("[type=submit]");
      var status = document.getElementById(form.getAttribute("data-status") || "");
      if (button) { button.disabled = true; }
      if (status) { status.className = "save-state saving"; status.textContent = "Sending…"; }
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      if (saver && saver.clash) {
        fail("Choose which text to keep (the box under the editor) before handing in.");
        return;
      }
      var before = saver ? saver.save() : Promise.resolve(true);
      before.then(function () {
        if (saver && saver.clash) {
          throw new Error("clash");
        }
        if (saver && saver.revision !== null) { data.set("revision", String(saver.revision)); }
        /* getAttribute: a field named "action" would shadow form.action */
        return fetch(form.getAttribute("action"), {
          method: "POST",
          body: data,
          headers: { "X-CSRF-Token": csrfToken(), "X-Requested-With": "fetch" },
          credentials: "same-origin"
        });
      }).then(function (response) {
        var next = response.headers.get("X-Redirect");
        if (response.ok && (next || response.redirected)) {
          if (saver) { dropDraft(saver.editor, saver.editor.value); }
          window.location.assign(next || response.url);
          return;
        }
        return response.text().then(function (html) {
          fail(textOf(html).slice(0, 400) || "That did not work (error " + response.status + ").");
        });
      }, function (error) {
        if (error && error.message === "clash") {
          fail("This answer was saved in another tab meanwhile: choose which text to keep (the box under the editor), then hand in.");
          return;
        }
        fail("Could not reach loopready's server, so nothing was submitted. Your text is still here and kept in this browser: start loopready again (loopready serve), then press the button again.");
      });

      function fail(message) {
        if (button) { button.disabled = false; }
        if (status) { status.className = "save-state failed"; status.textContent = message; }
        toast(message, true);
      }
    });
  }

  /* -- the round clock ----------------------------------------------------------------- */

  var activeClock = null;

  function Countdown(box) {
    var active = parseFloat(box.getAttribute("data-active")) || 0;
    var limit = parseInt(box.getAttribute("data-limit"), 10);
    var loaded = Date.now();
    var timeEl = box.querySelector(".time");
    var bar = box.querySelector(".meter > span");
    var note = document.getElementById(box.getAttribute("data-note") || "");
    var phase = box.getAttribute("data-state") || "ok";
    var messages = {
      half: "Half your time is gone: make sure your main point is on the table.",
      late: "80% of your time is gone: start wrapping up with a decision and next steps.",
      over: "You are over time: close now, in a sentence or two."
    };
    if (!limit) { return null; }

    function elapsed() { return active + (Date.now() - loaded) / 1000; }

    function fmt(seconds) {
      var s = Math.floor(Math.abs(seconds));
      var h = Math.floor(s / 3600);
      var m = Math.floor((s % 3600) / 60);
      var r = s % 60;
      var mm = (h && m < 10 ? "0" : "") + m;
      return (h ? h + ":" : "") + mm + ":" + (r < 10 ? "0" : "") + r;
    }

    function tick() {
      var used = elapsed();
      var fraction = used / limit;
      var next = used > limit ? "over" : fraction >= 0.8 ? "late" : fraction >= 0.5 ? "half" : "ok";
      timeEl.textContent = used > limit ? "+" + fmt(used - limit) : fmt(limit - used);
      if (bar) { bar.style.width = Math.min(100, fraction * 100).toFixed(1) + "%"; }
      document.querySelectorAll("input.js-active").forEach(function (input) {
        input.value = used.toFixed(1);
      });
      if (next !== phase) {
        phase = next;
        box.setAttribute("data-state", phase);
        if (note && messages[phase]) { note.textContent = messages[phase]; }
      }
    }
    tick();
    setInterval(tick, 1000);
    return { elapsed: elapsed };
  }

  /* -- start-up ------------------------------------------------------------------------ */

  var savers = {};

  function bind(root) {
    root.querySelectorAll("textarea[data-autosave]:not([data-bound])").forEach(function (editor) {
      editor.setAttribute("data-bound", "1");
      savers[editor.id] = new Autosave(editor);
      if (editor.hasAttribute("data-ctrl-enter")) {
        editor.addEventListener("keydown", function (event) {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && editor.form) {
            event.preventDefault();
            var send = editor.form.querySelector("button[type=submit]");
            editor.form.requestSubmit(send || undefined);
          }
        });
      }
    });
    root.querySelectorAll("form[data-safe-submit]:not([data-bound])").forEach(function (form) {
      form.setAttribute("data-bound", "1");
      safeSubmit(form, savers[form.getAttribute("data-editor") || ""] || null);
    });
    root.querySelectorAll("form[data-confirm]:not([data-bound])").forEach(function (form) {
      form.setAttribute("data-bound", "1");
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    root.querySelectorAll("form[data-busy]:not([data-bound])").forEach(function (form) {
      form.setAttribute("data-bound", "1");
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) {
          /* Disable after the submit has been sent, or the browser would drop it. */
          setTimeout(function () {
            button.disabled = true;
            button.textContent = form.getAttribute("data-busy");
          }, 0);
        }
      });
    });
    root.querySelectorAll(".clock[data-limit]:not([data-bound])").forEach(function (box) {
      box.setAttribute("data-bound", "1");
      activeClock = Countdown(box) || activeClock;
    });
    root.querySelectorAll("[data-scroll-end]").forEach(function (list) {
      list.scrollTop = list.scrollHeight;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    bind(document);
    var focus = document.querySelector("textarea[data-autofocus]");
    var wide = window.matchMedia && window.matchMedia("(min-width: 861px)").matches;
    if (focus && wide && !window.location.hash) {  /* no surprise keyboard on a phone */
      focus.focus();
      focus.setSelectionRange(focus.value.length, focus.value.length);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.querySelectorAll) { return; }
    var root = target.isConnected ? target : document;
    bind(root);
    var focus = document.querySelector("textarea[data-autofocus]");
    if (focus) { focus.focus(); }
  });
  /* Before HTMX sends a chat reply, save the draft state so a failure keeps it. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.querySelectorAll) {
      form.querySelectorAll("textarea[data-autosave]").forEach(function (editor) {
        var saver = savers[editor.id];
        writeDraft(editor, editor.value, saver ? saver.revision : null);
        /* The hand-in carries the text: no separate autosave needed meanwhile. */
        if (saver && saver.timer) { clearTimeout(saver.timer); saver.timer = null; }
      });
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!event.detail.successful || !form || !form.querySelectorAll) { return; }
    form.querySelectorAll("textarea[data-autosave]").forEach(function (editor) {
      var saver = savers[editor.id];
      if (saver) {
        if (saver.timer) { clearTimeout(saver.timer); }
        saver.conflict = true;  /* handed in: this editor never saves again */
        delete savers[editor.id];
      }
      removeDraft(editor);
    });
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Could not reach loopready's server. Nothing was lost: what you typed is still on the page. Start loopready again, then retry.", true);
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    toast(xhr ? textOf(xhr.responseText).slice(0, 400) : "That did not work.", true);
  });
})();
