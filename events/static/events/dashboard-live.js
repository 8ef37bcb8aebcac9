/* The organiser's live dashboard: figures pushed over /ws/events/<slug>/dashboard/ on connect
 * and after every scan or meeting change (events.consumers.DashboardConsumer). The page is
 * rendered with the same figures by the server, so without JS it shows them as of loading.
 *
 * Markup (events/templates/events/meetings/_live_dashboard.html):
 *   <section id="dashboard-live" data-ws-url="..." data-msg-live data-msg-offline data-msg-empty>
 *   [data-figure="inside_now"], [data-figure="meetings.accepted"] ...: text set to the value;
 *   tbody[data-rows="checkins_per_hour"] and tbody[data-rows="busiest_booths"]: rows rebuilt;
 *   [data-live-status]: "live" / "reconnecting" text. */
(function () {
  "use strict";

  var root = document.getElementById("dashboard-live");
  if (!root || !root.dataset.wsUrl || !("WebSocket" in window)) {
    return;
  }
  var FATAL_CODES = [4401, 4403];
  var delay = 1000;
  var COLUMNS = {
    checkins_per_hour: ["hour", "count"],
    busiest_booths: ["exhibitor", "booth", "visitors", "visits"],
  };

  function socketUrl(path) {
    if (/^wss?:\/\//.test(path)) {
      return path;
    }
    return (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + path;
  }

  function lookup(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value === undefined || value === null ? undefined : value[key];
    }, data);
  }

  function status(text, state) {
    root.setAttribute("data-live-state", state);
    var element = root.querySelector("[data-live-status]");
    if (element && text) {
      element.textContent = text;
    }
  }

  function rows(body, items, columns) {
    var fresh = document.createDocumentFragment();
    if (!items.length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      cell.colSpan = columns.length;
      cell.textContent = root.dataset.msgEmpty || "";
      empty.appendChild(cell);
      fresh.appendChild(empty);
    }
    items.forEach(function (item) {
      var row = document.createElement("tr");
      columns.forEach(function (column) {
        var td = document.createElement("td");
        td.textContent = item[column] === undefined ? "" : String(item[column]);
        row.appendChild(td);
      });
      fresh.appendChild(row);
    });
    body.replaceChildren(fresh);
  }

  function render(figures) {
    root.querySelectorAll("[data-figure]").forEach(function (element) {
      var value = lookup(figures, element.dataset.figure);
      if (value === undefined) {
        return;
      }
      if (element.dataset.figure === "updated_at") {
        element.setAttribute("datetime", value);
        element.textContent = new Date(value).toLocaleTimeString();
      } else {
        element.textContent = String(value);
      }
    });
    root.querySelectorAll("tbody[data-rows]").forEach(function (body) {
      var name = body.dataset.rows;
      if (COLUMNS[name] && Array.isArray(figures[name])) {
        rows(body, figures[name], COLUMNS[name]);
      }
    });
    document.dispatchEvent(new CustomEvent("dashboard:figures", { detail: figures }));
  }

  function connect() {
    var socket = new WebSocket(socketUrl(root.dataset.wsUrl));
    socket.addEventListener("open", function () {
      delay = 1000;
      status(root.dataset.msgLive, "open");
    });
    socket.addEventListener("message", function (message) {
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (frame.event === "dashboard" && frame.payload) {
        render(frame.payload);
      }
    });
    socket.addEventListener("close", function (closed) {
      if (FATAL_CODES.indexOf(closed.code) !== -1) {
        status(root.dataset.msgOffline, "refused");
        return;
      }
      status(root.dataset.msgOffline, "reconnecting");
      var wait = delay + Math.floor(Math.random() * delay * 0.3);
      delay = Math.min(delay * 2, 30000);
      window.setTimeout(connect, wait);
    });
  }

  connect();
})();
