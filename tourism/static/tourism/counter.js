// The merchant counter on a phone: read a code (keyboard wedge, camera or typed), prepare (what it can
// take here now, the masked holder), then consume the chosen offer with an idempotency key, so a
// double tap or a retry after a network error returns the same receipt instead of redeeming twice.
(function () {
  "use strict";
  var root = document.getElementById("counter");
  if (!root) return;
  var scanner = window.CorridorScanner;
  var el = scanner.parts("counter", ["form", "code", "bill", "heads", "answer", "message", "offers", "receipt"]);
  var holder = document.querySelector("#counter-holder strong");
  var msg = root.dataset;
  var store = parseInt(root.dataset.store, 10);
  var code = "";

  function yuan(fen) { return "¥" + (fen / 100).toFixed(2); }

  function show(kind, who, text) {
    el.answer.hidden = false;
    el.answer.className = "counter-answer " + (kind === "ok" ? "counter-ok" : kind === "refused" ? "counter-refused" : "");
    holder.textContent = who || "";
    el.message.textContent = text || "";
  }

  function post(url, body) {
    return scanner.post(url, body, el.csrf);
  }

  function consume(offer, idempotencyKey) {
    var body = {
      store: store, code: code, offer: offer.id, idempotency_key: idempotencyKey,
      bill_fen: Math.round(parseFloat(el.bill.value || "0") * 100), head_count: parseInt(el.heads.value || "1", 10),
    };
    post(msg.consumeUrl, body).then(function (reply) {
      var data = reply.data;
      if (!reply.ok) { show("refused", msg.msgRefused, data.detail || ""); return; }
      el.offers.textContent = "";
      show("ok", msg.msgRedeemed, data.offer);
      el.receipt.textContent = msg.msgReceipt + " " + data.receipt_number + " · " + msg.msgDiscount + " " +
        yuan(data.discount_fen) + " · " + msg.msgToPay + " " + yuan(data.to_pay_fen);
      if (navigator.vibrate) navigator.vibrate(60);
    }).catch(function () {
      // Same key on retry: the server answers with the first receipt if the first try got through.
      show("refused", msg.msgRefused, msg.msgNetwork);
    });
  }

  function prepare(text) {
    code = (text || "").trim();
    if (!code) return;
    el.code.value = "";
    el.receipt.textContent = "";
    el.offers.textContent = "";
    show("", "", msg.msgChecking);
    post(msg.prepareUrl, { store: store, code: code }).then(function (reply) {
      var data = reply.data;
      if (!reply.ok) { show("refused", msg.msgRefused, data.detail || ""); return; }
      var usable = data.offers.filter(function (o) { return o.redeemable; });
      show(usable.length ? "ok" : "refused", [data.stub.holder, data.stub.event].filter(Boolean).join(" · "), usable.length ? msg.msgChoose : msg.msgNone);
      data.offers.forEach(function (offer) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = offer.redeemable ? "button" : "button button-secondary";
        button.disabled = !offer.redeemable;
        button.textContent = offer.name + (offer.redeemable ? "" : " — " + offer.message);
        if (offer.redeemable) {
          var idempotencyKey = scanner.nonce();
          button.addEventListener("click", function () { consume(offer, idempotencyKey); });
        }
        el.offers.appendChild(button);
      });
    }).catch(function () { show("refused", msg.msgRefused, msg.msgNetwork); });
  }

  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    prepare(el.code.value);
  });
  scanner.keepFocus(el.code);
  scanner.camera(document.getElementById("counter-camera"), document.getElementById("counter-video"), prepare, function () {
    show("refused", msg.msgCameraOff, "");
  });
  el.code.focus();
})();
