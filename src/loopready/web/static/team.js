// The live mock page: one WebSocket, actions out, numbered events in.
// Each action is kept until its event comes back and is sent again after a reconnection,
// so a dropped connection loses no keystroke and no score.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var mockId = root.dataset.mock;
  var role = root.dataset.role;
  var seq = parseInt(root.dataset.seq, 10) || 0;
  var elapsed = parseFloat(root.dataset.elapsed) || 0;
  var running = root.dataset.running === "true";
  var clockBase = performance.now();
  var socket = null;
  var retry = 250;
  var pending = {};   // key -> action not yet confirmed by an event
  var clientRev = 0;
  var conn = document.getElementById("conn");

  function $(id) { return document.getElementById(id); }

  function send(key, action) {
    pending[key] = action;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(action));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/live/" + mockId + "/ws?after=" + seq);
    socket.onopen = function () {
      retry = 250;
      conn.textContent = "connected";
      root.dataset.connected = "true";
      Object.keys(pending).forEach(function (k) { socket.send(JSON.stringify(pending[k])); });
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "events") data.events.forEach(apply);
      else if (data.type === "reading") showReading(data);
      else if (data.type === "error") conn.textContent = data.message;
    };
    socket.onclose = function () {
      root.dataset.connected = "false";
      conn.textContent = "reconnecting…";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 4000);
    };
  }

  function apply(event) {
    if (event.seq <= seq) return;
    seq = event.seq;
    root.dataset.seq = String(seq);
    if (event.kind === "typed") {
      if (role !== "candidate") $("answer-view").textContent = event.text;
      if (pending.type && pending.type.client_rev <= (event.client_rev || 0)) delete pending.type;
    } else if (event.kind === "clock" || event.kind === "ended") {
      elapsed = event.elapsed_s; running = event.running; clockBase = performance.now();
      delete pending.clock;
      if (event.kind === "ended") { $("status").textContent = "ended"; delete pending.end; }
    } else if (event.kind === "joined") {
      $("status").textContent = "live";
    } else if (event.kind === "score") {
      var key = "score:" + event.criterion;
      if (pending[key] && pending[key].score === event.score && pending[key].note === event.note) delete pending[key];
      if (role !== "interviewer") return;
      var select = document.querySelector('select.score[data-criterion="' + event.criterion + '"]');
      if (select && !pending[key]) select.value = event.score === null ? "" : String(event.score);
    } else if (event.kind === "flag") {
      delete pending["flag:" + event.flag];
    } else if (event.kind === "submit") {
      delete pending.submit;
      if ($("submitted")) $("submitted").textContent = "submitted";
    }
  }

  function showReading(data) {
    var list = $("suggested");
    list.textContent = "";
    if (data.note) { var li = document.createElement("li"); li.textContent = data.note; list.appendChild(li); }
    (data.probes || []).forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.question + " (" + p.criterion + ")";
      list.appendChild(item);
    });
  }

  function tick() {
    var now = elapsed + (running ? (performance.now() - clockBase) / 1000 : 0);
    var s = Math.floor(now);
    $("clock").textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  setInterval(tick, 250);
  tick();

  $("clock-toggle").addEventListener("click", function () {
    send("clock", { action: "clock", run: !running });
  });
  $("end").addEventListener("click", function () {
    send("end", { action: "end" });
  });

  if (role === "candidate") {
    var area = $("answer");
    var timer = null;
    area.addEventListener("input", function () {
      clientRev += 1;
      pending.type = { action: "type", text: area.value, client_rev: clientRev };
      clearTimeout(timer);
      timer = setTimeout(function () { send("type", pending.type); }, 80);
    });
  } else if (role === "interviewer") {
    function sendScore(criterion) {
      var select = document.querySelector('select.score[data-criterion="' + criterion + '"]');
      var note = document.querySelector('textarea.note[data-criterion="' + criterion + '"]');
      var value = select.value === "" ? null : parseInt(select.value, 10);
      send("score:" + criterion, { action: "score", criterion: criterion, score: value, note: note.value });
    }
    document.querySelectorAll("select.score").forEach(function (el) {
      el.addEventListener("change", function () { sendScore(el.dataset.criterion); });
    });
    document.querySelectorAll("textarea.note").forEach(function (el) {
      el.addEventListener("change", function () { sendScore(el.dataset.criterion); });
    });
    document.querySelectorAll("input.flag").forEach(function (el) {
      el.addEventListener("change", function () {
        send("flag:" + el.value, { action: "flag", flag: el.value, heard: el.checked });
      });
    });
    $("submit").addEventListener("click", function () { send("submit", { action: "submit" }); });
    $("read").addEventListener("click", function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: "read" }));
    });
  }
  connect();
})();
