// Checkout: under each spectator's document number, the hint for the document type chosen above it.
(function () {
  document.querySelectorAll(".document-hint[data-type-field]").forEach(function (hint) {
    var select = document.getElementById(hint.getAttribute("data-type-field"));
    if (!select) return;
    function show() {
      var text = hint.getAttribute("data-hint-" + select.value);
      if (text) hint.textContent = text;
    }
    select.addEventListener("change", show);
    show();
  });
})();
