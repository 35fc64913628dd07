/* loopready's audio panel: record or upload a spoken answer, follow its transcription,
 * and add the transcript to the answer being written.
 *
 * Recording uses MediaRecorder (WebM or Ogg with Opus, whichever the browser records;
 * MP4 in Safari). The audio goes to the server as the request body, so nothing is
 * buffered twice; the server answers with a progress fragment that HTMX refreshes every
 * second. When the transcript is ready it is added to the editor, whose autosave keeps
 * it, and the server keeps its word timings for the report's delivery figures.
 */
(function () {
  "use strict";

  var MAX_SECONDS = 60 * 60;           // the speech module's limit
  var MAX_BYTES = 200 * 1000 * 1000;   // the same, for the file size
  var EXTENSIONS = ["wav", "mp3", "m4a", "mp4", "webm", "ogg", "oga", "opus", "flac"];
  var TYPES = [
    ["audio/webm;codecs=opus", "webm"],
    ["audio/webm", "webm"],
    ["audio/ogg;codecs=opus", "ogg"],
    ["audio/ogg", "ogg"],
    ["audio/mp4", "m4a"]
  ];

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function textOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var main = doc.querySelector("main") || doc.body;
    return ((main && main.textContent) || "").replace(/\s+/g, " ").trim();
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }

  function megabytes(bytes) { return Math.round(bytes / 1000000) + " MB"; }

  /* The editor of the turn being written (the role-play swaps it after each reply). */
  function editor() { return document.querySelector("textarea[data-autosave]"); }

  function Panel(root) {
    this.root = root;
    this.session = root.getAttribute("data-session");
    this.status = root.querySelector("[data-audio-status]");
    this.note = root.querySelector("[data-audio-note]");
    this.recordBtn = root.querySelector("[data-audio-record]");
    this.stopBtn = root.querySelector("[data-audio-stop]");
    this.discardBtn = root.querySelector("[data-audio-discard]");
    this.timer = root.querySelector("[data-audio-timer]");
    this.clockEl = root.querySelector("[data-audio-clock]");
    this.form = root.querySelector("[data-audio-upload]");
    this.keep = root.querySelector("[data-audio-keep]");
    this.used = {};
    this.busy = false;
    this.recorder = null;
    var self = this;

    root.querySelector("[data-audio-recorder]").hidden = false;
    var problem = this.cannotRecord();
    if (problem) {
      this.recordBtn.disabled = true;
      this.say(problem, true);
    }
    this.recordBtn.addEventListener("click", function () { self.record(); });
    this.stopBtn.addEventListener("click", function () { self.stop(true); });
    this.discardBtn.addEventListener("click", function () { self.stop(false); });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.uploadFile();
    });
    /* Progress swaps stop here: the page script's own handler would move the focus to
       the editor every second (and open the keyboard on a phone). */
    this.status.addEventListener("htmx:afterSettle", function (event) {
      event.stopPropagation();
      self.settled();
    });
    window.addEventListener("beforeunload", function (event) {
      if (self.recorder && self.recorder.state === "recording") {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  Panel.prototype.say = function (message, isError) {
    this.note.textContent = message;
    this.note.className = "audio-note" + (isError ? " error" : "");
  };

  Panel.prototype.cannotRecord = function () {
    if (!window.isSecureContext) {
      return "Recording is off because this page's address is not a secure one: browsers allow the microphone only on https:// or on this computer's own address. Open loopready at http://127.0.0.1 (or localhost) to record, or upload a recording below.";
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      return "This browser cannot record audio here (it has no MediaRecorder). Use a current Chrome, Edge, Firefox or Safari to record, or upload a recording below.";
    }
    return "";
  };

  Panel.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.recordBtn.disabled = busy || !!this.cannotRecord();
    this.form.querySelectorAll("input, button").forEach(function (el) { el.disabled = busy; });
  };

  /* -- recording ------------------------------------------------------------------------ */

  Panel.prototype.record = function () {
    var self = this;
    if (this.busy || this.recorder) { return; }
    var problem = this.cannotRecord();
    if (problem) { this.say(problem, true); return; }
    this.say("Asking for the microphone…", false);
    this.recordBtn.disabled = true;
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      self.start(stream);
    }, function (error) {
      self.recordBtn.disabled = false;
      self.say(self.microphoneProblem(error), true);
    });
  };

  Panel.prototype.microphoneProblem = function (error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "The microphone was refused, so nothing was recorded. Allow this page to use the microphone (the microphone or lock icon next to the address), then press Record again; or upload a recording below.";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found. Plug one in or turn it on in your computer's sound settings, then press Record again; or upload a recording below.";
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
      return "The microphone could not be started: another program may be using it. Close that program, then press Record again.";
    }
    return "The microphone could not be opened (" + (name || "unknown error") + "). Press Record to try again, or upload a recording below.";
  };

  Panel.prototype.start = function (stream) {
    var self = this;
    var choice = null;
    for (var i = 0; i < TYPES.length; i++) {
      if (!MediaRecorder.isTypeSupported || MediaRecorder.isTypeSupported(TYPES[i][0])) {
        choice = TYPES[i];
        break;
      }
    }
    var recorder;
    try {
      recorder = choice ? new MediaRecorder(stream, { mimeType: choice[0] }) : new MediaRecorder(stream);
    } catch (e) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      this.recordBtn.disabled = false;
      this.say("This browser could not start recording (" + e.name + "). Upload a recording below instead.", true);
      return;
    }
    var chunks = [];
    var size = 0;
    var started = Date.now();
    this.recorder = recorder;
    this.upload = true;
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) {
        chunks.push(event.data);
        size += event.data.size;
        if (size > MAX_BYTES * 0.98) { self.stop(true, "The recording reached the 200 MB limit, so it was stopped; transcribing what you said."); }
      }
    });
    recorder.addEventListener("stop", function () {
      stream.getTracks().forEach(function (t) { t.stop(); });
      clearInterval(self.ticker);
      self.recorder = null;
      self.timer.hidden = true;
      self.stopBtn.hidden = true;
      self.discardBtn.hidden = true;
      self.recordBtn.hidden = false;
      self.recordBtn.disabled = false;
      var type = (recorder.mimeType || (choice && choice[0]) || "audio/webm");
      var extension = (TYPES.filter(function (t) { return type.indexOf(t[0].split(";")[0]) === 0; })[0] || [type, "webm"])[1];
      if (!self.upload) { self.say("Recording discarded; nothing was sent.", false); return; }
      if (!size) { self.say("Nothing was recorded: the microphone sent no sound. Check it is on, then press Record again.", true); return; }
      var blob = new Blob(chunks, { type: type });
      self.send(blob, "recording." + extension, type);
    });
    recorder.start(1000);
    this.recordBtn.hidden = true;
    this.stopBtn.hidden = false;
    this.discardBtn.hidden = false;
    this.timer.hidden = false;
    this.clockEl.textContent = "0:00";
    this.say("Recording… speak your answer, then press Stop.", false);
    this.stopBtn.focus();
    this.ticker = setInterval(function () {
      var seconds = (Date.now() - started) / 1000;
      self.clockEl.textContent = clock(seconds);
      if (seconds >= MAX_SECONDS) {
        self.stop(true, "The recording reached the 60-minute limit, so it was stopped; transcribing what you said.");
      }
    }, 250);
  };

  Panel.prototype.stop = function (upload, message) {
    if (!this.recorder || this.recorder.state === "inactive") { return; }
    this.upload = upload;
    if (message) { this.say(message, false); }
    this.recorder.stop();
  };

  /* -- uploading ------------------------------------------------------------------------ */

  Panel.prototype.uploadFile = function () {
    var input = this.form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) { this.say("Choose an audio file first (WAV, MP3, M4A, WebM or Ogg).", true); return; }
    var extension = (file.name.split(".").pop() || "").toLowerCase();
    if (EXTENSIONS.indexOf(extension) < 0) {
      this.say(file.name + " is not a supported audio file: upload WAV, MP3, M4A, WebM or Ogg (most recorders and editors can export WAV or MP3).", true);
      return;
    }
    if (file.size > MAX_BYTES) {
      this.say(file.name + " is " + megabytes(file.size) + ", over the 200 MB limit: trim it, or export it as MP3 or M4A, which are much smaller.", true);
      return;
    }
    this.send(file, file.name, file.type || "application/octet-stream");
  };

  Panel.prototype.send = function (blob, name, type) {
    var self = this;
    var box = editor();
    if (!box) { this.say("There is no answer being written to add the transcript to.", true); return; }
    var seq = box.getAttribute("data-seq");
    var url = "/mock/" + encodeURIComponent(this.session) + "/audio?seq=" + encodeURIComponent(seq) +
      "&keep=" + (this.keep && this.keep.checked ? "1" : "") + "&name=" + encodeURIComponent(name);
    var xhr = new XMLHttpRequest();
    this.setBusy(true);
    this.say("Sending " + name + "…", false);
    this.status.innerHTML = "";
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.setRequestHeader("HX-Request", "true");
    xhr.setRequestHeader("Content-Type", type);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && event.total > 2000000) {
        self.say("Sending " + name + "… " + Math.round(100 * event.loaded / event.total) + "%", false);
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        self.say("", false);
        self.show(xhr.responseText);
      } else {
        self.setBusy(false);
        self.say(textOf(xhr.responseText).slice(0, 600) || "The upload failed (error " + xhr.status + ").", true);
      }
    });
    xhr.addEventListener("error", function () {
      self.setBusy(false);
      self.say("Could not reach loopready's server, so the recording was not sent. Start loopready again (loopready serve), then try again; your answer's text is untouched.", true);
    });
    xhr.send(blob);
  };

  Panel.prototype.show = function (html) {
    this.status.innerHTML = html;
    if (window.htmx) { window.htmx.process(this.status); }
    this.settled();
  };

  /* -- the transcript ------------------------------------------------------------------- */

  Panel.prototype.settled = function () {
    var job = this.status.querySelector(".audio-job");
    if (!job) { return; }
    var state = job.getAttribute("data-state");
    if (state === "queued" || state === "running") { this.setBusy(true); return; }
    this.setBusy(false);
    var form = job.querySelector("form[data-audio-use]");
    var id = job.getAttribute("data-job");
    if (state !== "done" || !form) { return; }
    var self = this;
    if (!form.hasAttribute("data-bound")) {
      form.setAttribute("data-bound", "1");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!self.used[id]) { self.used[id] = true; self.use(job, form); }
      });
    }
    if (!this.used[id]) {
      this.used[id] = true;
      this.use(job, form);
    }
  };

  Panel.prototype.use = function (job, form) {
    var self = this;
    var seq = job.getAttribute("data-seq");
    var box = editor();
    var done = job.querySelector("[data-audio-done]");
    var text = done ? done.getAttribute("data-transcript") : "";
    if (!box || box.getAttribute("data-seq") !== seq) {
      this.say("The answer this recording was for was already handed in, so the transcript was not added anywhere. It is below, to copy if you want it.", true);
      form.hidden = true;
      var details = job.querySelector("details");
      if (details) { details.open = true; }
      return;
    }
    form.querySelector("button").disabled = true;
    var data = new FormData(form);
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (html) {
        if (!response.ok) {
          self.used[job.getAttribute("data-job")] = false;
          form.querySelector("button").disabled = false;
          self.say(textOf(html).slice(0, 600), true);
          return;
        }
        self.insert(box, text);
        self.status.innerHTML = html;
        self.say("The transcript was added to your answer and is being saved.", false);
      });
    }, function () {
      self.used[job.getAttribute("data-job")] = false;
      form.querySelector("button").disabled = false;
      self.say("Could not reach loopready's server to add the transcript. Start loopready again, then press \"Add it to my answer\".", true);
    });
  };

  Panel.prototype.insert = function (box, text) {
    var before = box.value.replace(/\s+$/, "");
    box.value = before ? before + "\n\n" + text : text;
    /* The editor's own listener saves it (and keeps a copy in this browser meanwhile). */
    box.dispatchEvent(new Event("input", { bubbles: true }));
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("audio-panel");
    if (root) { root.audioPanel = new Panel(root); }
  });
})();
