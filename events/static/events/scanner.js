// Gate / seminar check-in and booth lead scanning. Posts each code to the API with the session
// and CSRF token, shows a big green or red answer, and is ready for the next code at once.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("scanner-config").textContent);
  const texts = document.getElementById("scan-texts").dataset;
  const form = document.getElementById("scan-form");
  const input = document.getElementById("scan-code");
  const result = document.getElementById("scan-result");
  const headline = result.querySelector(".scan-headline");
  const nameLine = result.querySelector(".scan-name");
  const detailLine = result.querySelector(".scan-detail");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let lastCode = "";
  let lastAt = 0;

  function nonce() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function show(ok, title, name, detail) {
    result.classList.remove("scan-idle", "scan-ok", "scan-error");
    result.classList.add(ok ? "scan-ok" : "scan-error");
    result.dataset.status = ok ? "ok" : "error";
    headline.textContent = title;
    nameLine.textContent = name || "";
    detailLine.textContent = detail || "";
  }

  function describe(ticket) {
    if (!ticket) return "";
    return [ticket.name, ticket.type_display, ticket.organisation].filter(Boolean).join(" · ");
  }

  async function scan(code) {
    code = code.trim();
    if (!code) return;
    const now = Date.now();
    if (code === lastCode && now - lastAt < 2000) return; // the camera sees one badge many times
    lastCode = code;
    lastAt = now;
    const data = new FormData(form);
    const body = { code: code, nonce: nonce() };
    if (config.mode === "checkin") {
      body.list = config.list;
      body.type = data.get("type") || "entry";
      body.gate = data.get("gate") || "";
    } else {
      body.exhibitor = config.exhibitor;
      body.note = data.get("note") || "";
    }
    input.value = "";
    input.focus();
    let response;
    let answer;
    try {
      response = await fetch(config.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify(body),
      });
      answer = await response.json();
    } catch (error) {
      show(false, texts.network, "", "");
      return;
    }
    if (answer.status === "ok") {
      let detail = "";
      if (config.mode === "checkin" && answer.first_entry) {
        detail = texts.firstEntry + " " + new Date(answer.first_entry).toLocaleString();
      } else if (config.mode === "lead") {
        detail = answer.contact_shared
          ? texts.contact + " " + [answer.ticket.phone, answer.ticket.email].filter(Boolean).join(" ")
          : texts.noContact;
      }
      show(true, config.mode === "lead" ? texts.lead : texts.ok, describe(answer.ticket), detail);
    } else {
      let detail = answer.detail || "";
      if (answer.first_entry) detail += " " + texts.firstEntry + " " + new Date(answer.first_entry).toLocaleString();
      show(false, texts.error, describe(answer.ticket), detail);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan(input.value);
  });

  const toggle = document.getElementById("camera-toggle");
  let camera = null;
  toggle.addEventListener("click", async function () {
    if (camera) {
      await camera.stop();
      camera = null;
      toggle.textContent = toggle.dataset.start;
      return;
    }
    if (typeof Html5Qrcode === "undefined") return;
    camera = new Html5Qrcode("camera");
    toggle.textContent = toggle.dataset.stop;
    try {
      await camera.start({ facingMode: "environment" }, { fps: 10, qrbox: 250 }, (text) => scan(text));
    } catch (error) {
      camera = null;
      toggle.textContent = toggle.dataset.start;
      show(false, texts.error, "", String(error));
    }
  });
})();
