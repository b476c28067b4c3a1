// Stripe Payment Element (card, Alipay, WeChat Pay). Only loaded when Stripe is configured.
// Confirming here does not mark the order paid: Stripe's webhook does, and the order page shows it.
(function () {
  var form = document.getElementById("stripe-form");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret, locale: document.documentElement.lang === "en" ? "en" : "zh" });
  var element = elements.create("payment");
  element.mount("#payment-element");
  var message = document.getElementById("payment-message");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    document.getElementById("stripe-submit").disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } }).then(function (result) {
      if (result.error) {
        message.textContent = result.error.message;
        message.hidden = false;
        document.getElementById("stripe-submit").disabled = false;
      }
    });
  });
})();
