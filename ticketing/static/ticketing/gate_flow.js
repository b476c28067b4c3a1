// Organiser gate flow: refresh the figures and the per-gate table every 30 seconds.
(function () {
  "use strict";
  var root = document.getElementById("gate-flow");
  if (!root) return;
  function cell(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function refresh() {
    fetch(root.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (flow) {
      document.getElementById("flow-inside").textContent = flow.inside;
      document.getElementById("flow-percent").textContent = flow.percent_full === null ? "–" : flow.percent_full;
      var table = document.getElementById("flow-table");
      var head = table.tHead.rows[0];
      while (head.cells.length > 2) head.deleteCell(2);
      flow.slots.forEach(function (slot) { head.appendChild(cell("th", slot, "small")); });
      var body = table.tBodies[0];
      body.textContent = "";
      flow.gates.forEach(function (row) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("th", row.name || row.gate));
        tr.appendChild(cell("td", row.total));
        row.counts.forEach(function (count) { tr.appendChild(cell("td", count, count ? "flow-busy" : "")); });
        body.appendChild(tr);
      });
      document.getElementById("flow-updated").textContent = flow.generated_at.slice(11, 19);
    }).catch(function () {});
  }
  setInterval(refresh, 30000);
})();
