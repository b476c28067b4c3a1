// Polls a background solve and shows the objective and the lower bound as they improve.
(function () {
  "use strict";
  var box = document.getElementById("solve-job");
  if (!box) { return; }
  var url = box.dataset.statusUrl;
  function field(name, value) {
    var element = document.getElementById("solve-" + name);
    if (element) { element.textContent = value === null || value === undefined ? "–" : value; }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        document.getElementById("solve-progress").value = job.percent;
        field("state", job.state_label);
        field("objective", job.objective);
        field("bound", job.bound);
        field("placed", job.placed);
        field("elapsed", job.elapsed);
        if (job.state === "done" || job.state === "failed") {
          document.getElementById("solve-done").hidden = false;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
