// The gate page: a focused input for keyboard-wedge scanners (they type the code and press Enter),
// the camera through BarcodeDetector where the browser has it (both in scanner.js), a large green or
// red answer at once.
(function () {
  "use strict";
  var root = document.getElementById("gate");
  if (!root) return;
  var scanner = window.CorridorScanner;
  var el = scanner.parts("gate", [
    "form", "code", "answer", "verdict", "message", "holder", "annul", "camera", "video", "admitted-label",
  ]);
  var labels = el["admitted-label"].dataset;
  var lastNonce = null;
  var annulTimer = null;
  var busy = false;

  function show(kind, title, text, who) {
    el.answer.className = "gate-answer gate-" + kind;
    el.verdict.textContent = title;
    el.message.textContent = text || "";
    el.holder.textContent = who || "";
  }

  function ready() {
    el.code.value = "";
    el.code.focus();
  }

  function post(url, body) {
    return scanner.post(url, body, el.csrf);
  }

  function scan(code) {
    code = (code || "").trim();
    if (!code || busy) { ready(); return; }
    busy = true;
    show("pending", root.dataset.msgChecking, "", "");
    ready();
    var id = scanner.nonce();
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
      el.annul.hidden = !admitted;
      if (admitted) annulTimer = setTimeout(function () { el.annul.hidden = true; }, 110000);
    }).catch(function () {
      show("refused", labels.refused, root.dataset.msgNetwork, "");
    }).finally(function () {
      busy = false;
      ready();
    });
  }

  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan(el.code.value);
  });

  el.annul.addEventListener("click", function () {
    if (!lastNonce) return;
    post(root.dataset.annulUrl, { nonce: lastNonce }).then(function (reply) {
      show("idle", reply.data.message || reply.data.detail || "", "", "");
      el.annul.hidden = true;
      lastNonce = null;
    }).finally(ready);
  });

  // Keep the scanner's keystrokes going to the code input; camera scanning where the browser can
  // (ticketing/static/ticketing/scanner.js, shared with the merchant counter).
  scanner.keepFocus(el.code);
  scanner.camera(el.camera, el.video, scan, function () {
    show("refused", root.dataset.msgCameraOff, "", "");
  });
  ready();
})();
