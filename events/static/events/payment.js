// Card payment: Stripe.js (or localstripe's stand-in in tests) tokenises the card in the
// browser, the server confirms the PaymentIntent with it, and the webhook marks the booth paid.
// The page then reloads until the booking shows as paid.
(function () {
  "use strict";
  const form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") return;
  const stripe = Stripe(form.dataset.stripeKey);
  const card = stripe.elements().create("card");
  card.mount("#card-element");
  const message = document.getElementById("payment-message");
  const button = document.getElementById("pay-button");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function fail(text) {
    message.textContent = text;
    button.disabled = false;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    message.textContent = message.dataset.processing;
    const result = await stripe.createToken(card);
    if (result.error) return fail(result.error.message || String(result.error));
    const body = new URLSearchParams({ payment_method: result.token.card.id });
    let answer;
    try {
      const response = await fetch(form.dataset.confirmUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf },
        body: body,
      });
      answer = await response.json();
    } catch (error) {
      return fail(String(error));
    }
    if (answer.status !== "ok") return fail(answer.detail);
    message.textContent = message.dataset.done;
    window.setTimeout(function () { window.location.assign(form.dataset.returnUrl); }, 2000);
  });
})();
