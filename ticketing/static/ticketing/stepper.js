// Quantity steppers on the ticket page: the − and + buttons (hidden until this script runs, so without
// JavaScript the number input alone works) change the input within its min and max and say the new value.
(function () {
  document.querySelectorAll(".stepper").forEach(function (stepper) {
    var input = stepper.querySelector(".stepper-input");
    var buttons = stepper.querySelectorAll(".stepper-button");
    function bounds() {
      return { min: Number(input.min) || 1, max: Number(input.max) || Infinity };
    }
    function refresh() {
      var b = bounds();
      var value = Number(input.value);
      buttons.forEach(function (button) {
        var step = Number(button.getAttribute("data-step"));
        button.disabled = step < 0 ? value <= b.min : value >= b.max;
      });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var b = bounds();
        var next = (Number(input.value) || b.min) + Number(button.getAttribute("data-step"));
        input.value = String(Math.min(b.max, Math.max(b.min, next)));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        refresh();
      });
    });
    input.addEventListener("input", refresh);
    input.addEventListener("change", refresh);
    refresh();
  });
})();
