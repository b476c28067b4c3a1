// The scanner parts every code-reading page shares (the gate, the merchant counter): keep a
// keyboard-wedge scanner's keystrokes going to the code input, and read QR codes with the camera
// through BarcodeDetector where the browser has it (the button stays hidden elsewhere).
(function () {
  "use strict";

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

  window.CorridorScanner = { keepFocus: keepFocus, camera: camera };
})();
