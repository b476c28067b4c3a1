// The stub page: reload the rotating code image well within its minute, so what the counter scans is
// always fresh (and a screenshot is stale).
(function () {
  "use strict";
  var root = document.getElementById("stub");
  var image = document.getElementById("stub-qr");
  if (!root || !image) return;
  var seconds = parseInt(root.dataset.refreshSeconds, 10) || 20;
  setInterval(function () {
    image.src = image.dataset.src + "?t=" + Date.now();
  }, seconds * 1000);
})();
