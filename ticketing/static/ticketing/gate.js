// The gate page: a focused input for keyboard-wedge scanners (they type the code and press Enter),
// the camera through BarcodeDetector where the browser has it (both in scanner.js), a large green or
// red answer at once.
(function () {
  "use strict";
  var root = document.getElementById("gate");
  if (!root) return;
  var form = document.getElementById("gate-form");
  var input = document.getElementById("gate-code");
  var answer = document.getElementById("gate-answer");
  var verdict = document.getElementById("gate-verdict");
  var message = document.getElementById("gate-message");
  var holder = document.getElementById("gate-holder");
  var annulButton = document.getElementById("gate-annul");
  var cameraButton = document.getElementById("gate-camera");
  var video = document.getElementById("gate-video");
  var labels = document.getElementById("gate-admitted-label").dataset;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var lastNonce = null;
  var annulTimer = null;
  var busy = false;

  function nonce() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function show(kind, title, text, who) {
    answer.className = "gate-answer gate-" + kind;
    verdict.textContent = title;
    message.textContent = text || "";
    holder.textContent = who || "";
  }

  function ready() {
    input.value = "";
    input.focus();
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function scan(code) {
    code = (code || "").trim();
    if (!code || busy) { ready(); return; }
    busy = true;
    show("pending", root.dataset.msgChecking, "", "");
    ready();
    var id = nonce();
    post(root.dataset.scanUrl, {
      gate: root.dataset.gate, direction: root.dataset.direction, code: code, nonce: id,
    }).then(function (reply) {
      var data = reply.data;
      if (!reply.ok) { show("refused", labels.refused, data.detail || "", ""); return; }
      var admitted = data.result === "admitted";
      var title = admitted ? (data.direction === "exit" ? labels.exit : labels.admitted) : labels.refused;
      var who = data.credential ? [data.credential.kind_label, data.credential.holder].filter(Boolean).join(" · ") : "";
      show(admitted ? "admitted" : "refused", title, data.message, who);
      if (navigator.vibrate) navigator.vibrate(admitted ? 60 : [80, 60, 80]);
      // Only an admission can be undone: a refusal let nobody in.
      clearTimeout(annulTimer);
      lastNonce = admitted ? data.nonce : null;
      annulButton.hidden = !admitted;
      if (admitted) annulTimer = setTimeout(function () { annulButton.hidden = true; }, 110000);
    }).catch(function () {
      show("refused", labels.refused, root.dataset.msgNetwork, "");
    }).finally(function () {
      busy = false;
      ready();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan(input.value);
  });

  annulButton.addEventListener("click", function () {
    if (!lastNonce) return;
    post(root.dataset.annulUrl, { nonce: lastNonce }).then(function (reply) {
      show("idle", reply.data.message || reply.data.detail || "", "", "");
      annulButton.hidden = true;
      lastNonce = null;
    }).finally(ready);
  });

  // Keep the scanner's keystrokes going to the input; camera scanning where the browser can
  // (ticketing/static/ticketing/scanner.js, shared with the merchant counter).
  window.CorridorScanner.keepFocus(input);
  window.CorridorScanner.camera(cameraButton, video, scan, function () {
    show("refused", root.dataset.msgCameraOff, "", "");
  });
  ready();
})();
