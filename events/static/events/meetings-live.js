/* Live updates of the B2B meetings pages over /ws/events/<slug>/meetings/ (events.consumers).
 * Containers are re-fetched with an HX-Request header; a partial whose top element has the
 * container's id replaces it, anything else becomes its contents.
 *
 * Markup it works with (events/templates/events/meetings/_live_meetings.html renders the first):
 *   <div id="meetings-live" data-ws-url="/ws/events/<slug>/meetings/" data-msg-*="...">
 *       translated notices, one per event: data-msg-request-new, -request-answered,
 *       -meeting-scheduled, -meeting-cancelled, -meeting-updated, -reminder; data-msg-close.
 *   <div id="agenda" data-live="agenda" data-refresh-url="<partial url>">   re-fetched on every
 *       "request.*" / "meeting.*" / "reminder" event (so is any [data-live="requests"]).
 *   [data-slot-id="<id>"] (an <option>, a button, or a row) inside an optional
 *       [data-participant-ids="1,2"] scope: when a "slots.changed" event names the slot and one
 *       of those participants, it is disabled at once; a [data-live="slots"][data-refresh-url]
 *       scope is then re-fetched, so slots freed by a cancellation come back.
 * Frames from the server: {"event": "...", "payload": {...}}. A payload with "html" and
 * "meeting_id" replaces [data-meeting-id="<id>"] in place instead of re-fetching.
 * Every event is also dispatched on document as a "meetings:event" CustomEvent. */
(function () {
  "use strict";

  var root = document.getElementById("meetings-live");
  if (!root || !root.dataset.wsUrl || !("WebSocket" in window)) {
    return;
  }
  var FATAL_CODES = [4401, 4403];
  var MAX_DELAY = 30000;
  var delay = 1000;
  var socket = null;
  var pingTimer = null;
  var refreshTimers = {};

  function socketUrl(path) {
    if (/^wss?:\/\//.test(path)) {
      return path;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  function ids(value) {
    return (value || "")
      .split(",")
      .map(function (part) { return parseInt(part, 10); })
      .filter(function (n) { return !isNaN(n); });
  }

  function intersects(a, b) {
    return a.some(function (x) { return b.indexOf(x) !== -1; });
  }

  function swapIn(element, html) {
    // The partial may be the container itself (same id) or only its contents.
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var top = holder.firstElementChild;
    var fresh = element;
    if (top && element.id && top.id === element.id && holder.children.length === 1) {
      element.replaceWith(top);
      fresh = top;
    } else {
      element.innerHTML = html;
    }
    if (window.htmx) {
      window.htmx.process(fresh);
    }
  }

  function refresh(element) {
    var url = element.dataset.refreshUrl;
    if (!url) {
      return;
    }
    var key = element.id || url;
    window.clearTimeout(refreshTimers[key]);
    // Several events arrive together (both sides, slots, dashboard): fetch once.
    refreshTimers[key] = window.setTimeout(function () {
      window
        .fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var current = element.id ? document.getElementById(element.id) : element;
          if (html !== null && current) {
            swapIn(current, html);
            document.dispatchEvent(new CustomEvent("meetings:refreshed", { detail: key }));
          }
        })
        .catch(function () {});
    }, 150);
  }

  function refreshAll(selector) {
    document.querySelectorAll(selector).forEach(refresh);
  }

  function notify(event, payload) {
    var key = "msg" + event.replace(/(^|[.\-_])(\w)/g, function (_m, _s, c) {
      return c.toUpperCase();
    });
    var text = payload.message || root.dataset[key];
    if (!text) {
      return;
    }
    var box = root.querySelector("[data-notices]");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("data-notices", "");
      box.className = "toast-container position-fixed bottom-0 end-0 p-3";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      root.appendChild(box);
    }
    var toast = document.createElement("div");
    toast.className = "toast show align-items-center";
    toast.setAttribute("data-notice", event);
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close me-2 m-auto";
    close.setAttribute("aria-label", root.dataset.msgClose || "Close");
    close.addEventListener("click", function () { toast.remove(); });
    row.appendChild(body);
    row.appendChild(close);
    toast.appendChild(row);
    box.appendChild(toast);
    window.setTimeout(function () { toast.remove(); }, event === "reminder" ? 60000 : 12000);
  }

  function takeSlots(payload) {
    var slots = payload.slot_ids || [];
    var people = payload.participant_ids || [];
    document.querySelectorAll("[data-slot-id]").forEach(function (element) {
      if (slots.indexOf(parseInt(element.dataset.slotId, 10)) === -1) {
        return;
      }
      // Meetings in an agenda or request list carry their slot too; they are not offers.
      if (element.closest('[data-live="agenda"], [data-live="requests"]')) {
        return;
      }
      var scope = element.closest("[data-participant-ids]");
      if (scope && !intersects(ids(scope.dataset.participantIds), people)) {
        return;
      }
      element.setAttribute("data-slot-taken", "true");
      element.setAttribute("aria-disabled", "true");
      if ("disabled" in element) {
        element.disabled = true;
      }
      if (element.tagName === "OPTION") {
        element.selected = false;
      } else {
        element.classList.add("disabled");
        element.querySelectorAll("button, input").forEach(function (control) {
          control.disabled = true;
        });
      }
    });
    document.querySelectorAll('[data-live="slots"][data-refresh-url]').forEach(function (scope) {
      var shown = ids(scope.dataset.participantIds);
      if (!shown.length || intersects(shown, people)) {
        refresh(scope);
      }
    });
  }

  function replaceRow(payload) {
    if (!payload.html || !payload.meeting_id) {
      return false;
    }
    var row = document.querySelector('[data-meeting-id="' + parseInt(payload.meeting_id, 10) + '"]');
    if (!row) {
      return false;
    }
    var holder = document.createElement("div");
    holder.innerHTML = payload.html;
    var fresh = holder.firstElementChild;
    if (!fresh) {
      return false;
    }
    row.replaceWith(fresh);
    if (window.htmx) {
      window.htmx.process(fresh);
    }
    return true;
  }

  function handle(frame) {
    var event = frame.event || "";
    var payload = frame.payload || {};
    if (event === "slots.changed") {
      takeSlots(payload);
    } else if (/^(meeting|request)\./.test(event) || event === "reminder") {
      if (!replaceRow(payload)) {
        refreshAll('[data-live="agenda"], [data-live="requests"]');
      }
      notify(event, payload);
    }
    document.dispatchEvent(new CustomEvent("meetings:event", { detail: frame }));
  }

  function connect() {
    socket = new WebSocket(socketUrl(root.dataset.wsUrl));
    socket.addEventListener("open", function () {
      delay = 1000;
      root.setAttribute("data-live-state", "open");
      window.clearInterval(pingTimer);
      pingTimer = window.setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify({ event: "ping" }));
        }
      }, 25000);
    });
    socket.addEventListener("message", function (message) {
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", function (closed) {
      window.clearInterval(pingTimer);
      if (FATAL_CODES.indexOf(closed.code) !== -1) {
        root.setAttribute("data-live-state", "refused");
        return;
      }
      root.setAttribute("data-live-state", "reconnecting");
      var wait = delay + Math.floor(Math.random() * delay * 0.3);
      delay = Math.min(delay * 2, MAX_DELAY);
      window.setTimeout(connect, wait);
    });
  }

  connect();
})();
