// After htmx has sent a reply and refreshed the thread, empty the reply box.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (event.detail.successful && form.matches && form.matches("form[data-reset-after-send]")) {
    form.reset();
  }
});
