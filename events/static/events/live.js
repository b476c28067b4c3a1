// Result pages refresh themselves: every element with data-live-url is fetched again every
// data-live-seconds (its `?fragment=1` answer is the element's new content) and swapped in only when it
// changed, while the tab is visible. Without JavaScript the page is complete; a reload shows the news.
(function () {
  document.querySelectorAll("[data-live-url]").forEach(function (box) {
    var url = box.getAttribute("data-live-url");
    var seconds = Number(box.getAttribute("data-live-seconds")) || 15;
    var status = document.getElementById(box.getAttribute("data-live-status") || "");
    var last = box.innerHTML;
    function refresh() {
      if (document.hidden) {
        return;
      }
      fetch(url, { headers: { "X-Requested-With": "fetch" }, cache: "no-store", credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          if (html !== last) {
            box.innerHTML = html;
            last = html;
          }
          if (status) {
            status.textContent = status.getAttribute("data-updated") + " " + new Date().toLocaleTimeString();
          }
        })
        .catch(function () {
          if (status) {
            status.textContent = status.getAttribute("data-offline");
          }
        });
    }
    window.setInterval(refresh, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        refresh();
      }
    });
  });
})();
