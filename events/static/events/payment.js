// Card payment with Stripe.js (or localstripe's stand-in in tests): mount the card element,
// confirm the PaymentIntent, then reload; the webhook marks the booth paid on the server.
(function () {
  "use strict";
  const form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") return;
  const stripe = Stripe(form.dataset.stripeKey);
  const elements = stripe.elements();
  const card = elements.create("card");
  card.mount("#card-element");
  const message = document.getElementById("payment-message");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    document.getElementById("pay-button").disabled = true;
    message.textContent = message.dataset.processing;
    const result = await stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: { card: card },
    });
    if (result.error) {
      message.textContent = result.error.message || String(result.error);
      document.getElementById("pay-button").disabled = false;
      return;
    }
    message.textContent = message.dataset.done;
    window.setTimeout(function () { window.location.assign(form.dataset.returnUrl); }, 2500);
  });
})();
