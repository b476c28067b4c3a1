// Polls the badge-sheet job and shows its progress until the PDF can be downloaded.
(function () {
  var box = document.getElementById("badge-job");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("badge-progress").value = data.percent;
      document.getElementById("badge-count").textContent = data.done;
      if (data.download) { document.getElementById("badge-download").hidden = false; return; }
      if (data.state !== "failed") { setTimeout(poll, 1000); }
    });
  }
  poll();
})();
