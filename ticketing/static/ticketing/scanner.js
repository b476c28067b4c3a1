// The scanner parts every code-reading page shares (the gate, the merchant counter): keep a
// keyboard-wedge scanner's keystrokes going to the code input, read QR codes with the camera
// through BarcodeDetector where the browser has it (the button stays hidden elsewhere), make the
// one-off keys a retried request carries, and post JSON with the page's CSRF token.
(function () {
  "use strict";

  // The page's parts by id ("gate" and ["form", "code"] give #gate-form and #gate-code as .form and
  // .code), and the CSRF token of its form (#<prefix>-form) as .csrf.
  function parts(prefix, names) {
    var found = {};
    names.forEach(function (name) { found[name] = document.getElementById(prefix + "-" + name); });
    var token = document.querySelector("#" + prefix + "-form input[name=csrfmiddlewaretoken]");
    found.csrf = token ? token.value : "";
    return found;
  }

  // A random key per attempt (a scan's nonce, a redemption's idempotency key): a retry sends it again.
  function nonce() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // POST a JSON body; resolves to {ok, data} with the answer's JSON whatever its status.
  function post(url, body, csrf) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function keepFocus(input) {
    document.addEventListener("click", function (event) {
      if (event.target.closest("button, a, select, video, input, label")) return;
      input.focus();
    });
  }

  function camera(button, video, onCode, onUnavailable) {
    if (!("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) return;
      button.hidden = false;
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      var stream = null;
      var lastCode = "";
      var lastAt = 0;
      function loop() {
        if (!stream) return;
        detector.detect(video).then(function (codes) {
          var now = Date.now();
          if (codes.length && (codes[0].rawValue !== lastCode || now - lastAt > 3000)) {
            lastCode = codes[0].rawValue;
            lastAt = now;
            onCode(lastCode);
          }
        }).catch(function () {}).finally(function () { setTimeout(loop, 250); });
      }
      button.addEventListener("click", function () {
        if (stream) {
          stream.getTracks().forEach(function (track) { track.stop(); });
          stream = null;
          video.hidden = true;
          return;
        }
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play().then(loop);
        }).catch(function () { if (onUnavailable) onUnavailable(); });
      });
    }).catch(function () {});
  }

  window.CorridorScanner = { parts: parts, keepFocus: keepFocus, camera: camera, nonce: nonce, post: post };
})();
