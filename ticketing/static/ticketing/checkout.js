// Cart hold countdown: shows the minutes left and reloads when the hold lapses.
(function () {
  var box = document.querySelector("[data-hold-until]");
  if (!box) return;
  var until = Date.parse(box.getAttribute("data-hold-until"));
  var out = box.querySelector(".hold-countdown");
  function tick() {
    var left = Math.max(0, Math.round((until - Date.now()) / 1000));
    out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) { window.location.reload(); return; }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
