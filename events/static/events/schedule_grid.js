// The organiser's schedule grid: drag a match onto a slot, or use its "Move to…" form. Every move is
// checked by the server at once; a refusal is shown with its reasons and nothing moves. Without this
// script the forms still post and the page comes back with the answer.
(function () {
  "use strict";
  var grid = document.getElementById("schedule-grid");
  var status = document.getElementById("move-status");
  var moveUrl = grid ? grid.dataset.moveUrl : null;
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");

  function show(text, bad) {
    if (!status) { return; }
    status.hidden = false;
    status.textContent = text;
    status.className = bad ? "message message-error" : "message";
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  function answer(result) {
    if (result.ok) {
      window.location.reload();
      return;
    }
    show((result.body.reasons || []).join(" "), true);
  }

  document.querySelectorAll("form.move-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form.action, new FormData(form)).then(answer, function () { form.submit(); });
    });
  });

  if (!grid) { return; }
  var headers = grid.querySelectorAll("thead th[data-resource]");
  var dragged = null;
  grid.addEventListener("dragstart", function (event) {
    var chip = event.target.closest(".chip");
    if (!chip) { return; }
    dragged = chip.dataset.match;
    event.dataTransfer.setData("text/plain", dragged);
  });
  grid.addEventListener("dragover", function (event) {
    var cell = event.target.closest("td.slot");
    if (cell) { event.preventDefault(); cell.classList.add("drop-target"); }
  });
  grid.addEventListener("dragleave", function (event) {
    var cell = event.target.closest("td.slot");
    if (cell) { cell.classList.remove("drop-target"); }
  });
  grid.addEventListener("drop", function (event) {
    var cell = event.target.closest("td.slot");
    if (!cell || !dragged) { return; }
    event.preventDefault();
    cell.classList.remove("drop-target");
    var data = new FormData();
    data.append("match", dragged);
    data.append("resource", headers[cell.cellIndex - 1].dataset.resource);
    data.append("starts_at", cell.dataset.start);
    send(moveUrl, data).then(answer, function () { show("…", true); });
  });
})();
