// The merchant counter on a phone: read a code (keyboard wedge, camera or typed), prepare (what it can
// take here now, the masked holder), then consume the chosen offer with an idempotency key, so a
// double tap or a retry after a network error returns the same receipt instead of redeeming twice.
(function () {
  "use strict";
  var root = document.getElementById("counter");
  if (!root) return;
  var form = document.getElementById("counter-form");
  var input = document.getElementById("counter-code");
  var bill = document.getElementById("counter-bill");
  var heads = document.getElementById("counter-heads");
  var answer = document.getElementById("counter-answer");
  var holder = document.querySelector("#counter-holder strong");
  var message = document.getElementById("counter-message");
  var offers = document.getElementById("counter-offers");
  var receipt = document.getElementById("counter-receipt");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var msg = root.dataset;
  var store = parseInt(root.dataset.store, 10);
  var code = "";

  function key() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function yuan(fen) { return "¥" + (fen / 100).toFixed(2); }

  function show(kind, who, text) {
    answer.hidden = false;
    answer.className = "counter-answer " + (kind === "ok" ? "counter-ok" : kind === "refused" ? "counter-refused" : "");
    holder.textContent = who || "";
    message.textContent = text || "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function consume(offer, idempotencyKey) {
    var body = {
      store: store, code: code, offer: offer.id, idempotency_key: idempotencyKey,
      bill_fen: Math.round(parseFloat(bill.value || "0") * 100), head_count: parseInt(heads.value || "1", 10),
    };
    post(msg.consumeUrl, body).then(function (reply) {
      var data = reply.data;
      if (!reply.ok) { show("refused", msg.msgRefused, data.detail || ""); return; }
      offers.textContent = "";
      show("ok", msg.msgRedeemed, data.offer);
      receipt.textContent = msg.msgReceipt + " " + data.receipt_number + " · " + msg.msgDiscount + " " +
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
    input.value = "";
    receipt.textContent = "";
    offers.textContent = "";
    show("", "", msg.msgChecking);
    post(msg.prepareUrl, { store: store, code: code }).then(function (reply) {
      var data = reply.data;
      if (!reply.ok) { show("refused", msg.msgRefused, data.detail || ""); return; }
      var usable = data.offers.filter(function (o) { return o.redeemable; });
      show(usable.length ? "ok" : "refused", data.stub.holder + " · " + data.stub.event, usable.length ? msg.msgChoose : msg.msgNone);
      data.offers.forEach(function (offer) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = offer.redeemable ? "button" : "button button-secondary";
        button.disabled = !offer.redeemable;
        button.textContent = offer.name + (offer.redeemable ? "" : " — " + offer.message);
        if (offer.redeemable) {
          var idempotencyKey = key();
          button.addEventListener("click", function () { consume(offer, idempotencyKey); });
        }
        offers.appendChild(button);
      });
    }).catch(function () { show("refused", msg.msgRefused, msg.msgNetwork); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    prepare(input.value);
  });
  window.CorridorScanner.keepFocus(input);
  window.CorridorScanner.camera(document.getElementById("counter-camera"), document.getElementById("counter-video"), prepare, function () {
    show("refused", msg.msgCameraOff, "");
  });
  input.focus();
})();
