// "Share or copy the link": the phone's share sheet (Zalo, Messenger…) where there is one,
// otherwise the link is copied. Without JavaScript the button stays hidden; the link field and
// the other share links still work.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-share-url]").forEach((button) => {
    const url = button.dataset.shareUrl;
    if (!navigator.share && !(navigator.clipboard && window.isSecureContext)) {
      return;
    }
    button.classList.remove("d-none");
    button.addEventListener("click", async () => {
      if (navigator.share) {
        try {
          await navigator.share({ title: button.dataset.shareTitle, url });
        } catch (error) {
          // The person closed the share sheet.
        }
        return;
      }
      await navigator.clipboard.writeText(url);
      button.textContent = button.dataset.copiedLabel;
    });
  });
});
