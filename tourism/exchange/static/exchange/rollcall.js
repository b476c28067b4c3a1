// Roll-call ticks on a phone that may be offline: a tap marks the child at once on the page, queues
// {athlete, nonce, at} in localStorage, and uploads the queue whenever the network allows. The
// server keys each tick on its nonce, so uploading the same queue twice changes nothing.
(function () {
  "use strict";
  var root = document.getElementById("rollcall");
  if (!root) return;
  var key = root.dataset.key;
  var status = document.getElementById("rollcall-queue");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(key, JSON.stringify(queue)); }
  function nonce() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function showQueued(queue) {
    queue.forEach(function (tick) {
      var item = root.querySelector('.exchange-tick[data-athlete="' + tick.athlete + '"]');
      if (item) item.classList.add("exchange-queued", "exchange-present");
    });
    status.textContent = queue.length ? root.dataset.msgQueued + " (" + queue.length + ")" : "";
  }

  function upload() {
    var queue = load();
    if (!queue.length || sending) return;
    sending = true;
    fetch(root.dataset.uploadUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ ticks: queue }),
    }).then(function (response) {
      if (!response.ok) throw new Error("upload refused");
      return response.json();
    }).then(function (data) {
      var done = {};
      data.results.forEach(function (result) { done[result.nonce] = true; });
      save(load().filter(function (tick) { return !done[tick.nonce]; }));
      status.textContent = root.dataset.msgSent;
      window.location.reload();
    }).catch(function () {
      showQueued(load());
    }).finally(function () { sending = false; });
  }

  root.querySelectorAll("form.tick-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var queue = load();
      var athlete = form.querySelector("input[name=athlete]").value;
      if (!queue.some(function (tick) { return tick.athlete === athlete; })) {
        queue.push({ athlete: athlete, nonce: nonce(), at: new Date().toISOString() });
        save(queue);
      }
      showQueued(queue);
      upload();
    });
  });
  window.addEventListener("online", upload);
  setInterval(upload, 15000);
  showQueued(load());
  upload();
})();
