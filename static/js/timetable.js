/* The timetable editor: drag a session to another time or room (interact.js), drag its lower
   edge to change its length, or move it with the keyboard. Every proposed place is checked by
   the server's conflict rules (a read-only preview) before anything is saved; a save posts the
   session's version, so a stale page gets a conflict instead of overwriting someone's change.
   Without this script the page is a read-only grid whose sessions link to their forms. */
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board || typeof window.interact !== "function") {
    return;
  }
  var status = document.getElementById("board-status");
  var proposalBox = document.getElementById("board-proposal");
  var proposalList = document.getElementById("proposal-messages");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var opens = parseInt(board.dataset.opens, 10);
  var rowMinutes = parseInt(board.dataset.rowMinutes, 10);
  var step = parseInt(board.dataset.step, 10);
  var rows = parseInt(board.dataset.rows, 10);
  var day = board.dataset.day;
  var byTrack = board.dataset.by === "track";
  var columns = Array.prototype.slice.call(board.querySelectorAll(".timetable__column"));
  var FOCUS_KEY = "plenary-timetable-focus";
  var MESSAGE_KEY = "plenary-timetable-message";

  var active = null; // {card, start, end, column, preview, confirming}
  var previewTimer = null;
  var previewSeq = 0;

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  function minutes(text) {
    var parts = text.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }

  function clock(total) {
    total = Math.max(0, Math.min(24 * 60 - 1, total));
    var h = Math.floor(total / 60), m = total % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  function currentColumnId(card) {
    return byTrack ? card.dataset.trackId : card.dataset.roomId;
  }

  function columnById(id) {
    for (var i = 0; i < columns.length; i++) {
      if (columns[i].dataset.columnId === String(id)) { return columns[i]; }
    }
    return null;
  }

  function columnName(id) {
    var column = columnById(id);
    return column ? column.textContent.trim() : "";
  }

  /* The grid's row geometry, as the browser resolved it: the header row, then the rows. */
  function rowMetrics() {
    var sizes = window.getComputedStyle(board).gridTemplateRows.split(" ").map(parseFloat);
    var rect = board.getBoundingClientRect();
    var header = sizes[0] || 0;
    var gap = parseFloat(window.getComputedStyle(board).rowGap) || 0;
    var row = (sizes[1] || 8) + gap;
    return { top: rect.top + header + gap, row: row };
  }

  function columnAt(x) {
    for (var i = 0; i < columns.length; i++) {
      var rect = columns[i].getBoundingClientRect();
      if (x >= rect.left && x < rect.right) { return columns[i]; }
    }
    return null;
  }

  function snap(total) {
    return Math.round(total / step) * step;
  }

  /* Draw the card where the proposal puts it (a grid place set from this script). */
  function place(card, start, end, columnId) {
    var column = columnById(columnId);
    var first = 2 + Math.max(0, Math.floor((start - opens) / rowMinutes));
    var last = Math.max(first + 1, 2 + Math.ceil((end - opens) / rowMinutes));
    if (column && card.parentNode === board) {
      card.style.gridColumn = column.dataset.first + " / span 1";
      card.style.gridRow = first + " / " + Math.min(last, rows + 2);
    }
    card.style.transform = "";
    card.classList.add("timetable__card--moving");
    var time = card.querySelector(".timetable__time");
    if (time) { time.textContent = clock(start) + "–" + clock(end); }
  }

  function describe(proposal) {
    return clock(proposal.start) + "–" + clock(proposal.end) + ", " + columnName(proposal.column);
  }

  function begin(card) {
    if (active && active.card !== card) { putBack(); }
    if (active) { return active; }
    active = {
      card: card,
      start: minutes(card.dataset.start),
      end: minutes(card.dataset.end),
      column: currentColumnId(card),
      preview: null,
      confirming: false,
    };
    card.classList.add("timetable__card--active");
    return active;
  }

  function putBack() {
    if (!active) { return; }
    var card = active.card;
    card.style.gridColumn = "";
    card.style.gridRow = "";
    card.style.transform = "";
    card.classList.remove("timetable__card--active", "timetable__card--moving",
      "timetable__card--clash", "timetable__card--clear");
    var time = card.querySelector(".timetable__time");
    if (time) { time.textContent = card.dataset.start + "–" + card.dataset.end; }
    var handle = card.querySelector(".timetable__handle");
    if (handle) { handle.setAttribute("aria-pressed", "false"); }
    active = null;
    proposalBox.hidden = true;
    say(board.dataset.msgPutBack);
  }

  function moveData(proposal, acceptClashes) {
    var card = proposal.card;
    var data = {
      version: card.dataset.version,
      day: day,
      start_time: clock(proposal.start),
      end_time: clock(proposal.end),
      room_id: byTrack ? card.dataset.roomId : proposal.column,
      track_id: byTrack ? proposal.column : card.dataset.trackId,
    };
    if (acceptClashes) { data.accept_clashes = "y"; }
    return data;
  }

  function showPreview(proposal, result) {
    var card = proposal.card;
    proposal.preview = result;
    var problems = [];
    if (result.refusal) { problems.push(result.refusal); }
    (result.conflicts || []).forEach(function (c) { problems.push(c.message); });
    card.classList.toggle("timetable__card--clash", problems.length > 0);
    card.classList.toggle("timetable__card--clear", problems.length === 0);
    proposalList.textContent = "";
    problems.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      proposalList.appendChild(item);
    });
    say(describe(proposal) + ". " + (problems.length ? problems.join(" ") : board.dataset.msgNoConflict));
    return problems;
  }

  function preview(proposal) {
    var data = moveData(proposal, false);
    delete data.version;
    var seq = ++previewSeq;
    var url = proposal.card.dataset.previewUrl + "?" + new URLSearchParams(data).toString();
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (seq !== previewSeq || active !== proposal) { return null; }
        return showPreview(proposal, result);
      });
  }

  function previewSoon(proposal) {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(function () { preview(proposal); }, 150);
  }

  function save(proposal, acceptClashes) {
    say(board.dataset.msgSaving);
    var card = proposal.card;
    return fetch(card.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf,
      },
      body: JSON.stringify(moveData(proposal, acceptClashes)),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.ok) {
          window.sessionStorage.setItem(FOCUS_KEY, card.id);
          window.sessionStorage.setItem(MESSAGE_KEY, describe(proposal));
          window.location.reload();
          return;
        }
        var message = body.message || board.dataset.msgFailed;
        proposalList.textContent = "";
        var item = document.createElement("li");
        item.textContent = message;
        proposalList.appendChild(item);
        proposalBox.hidden = false;
        document.getElementById("proposal-save").hidden = response.status === 409 ||
          body.field !== "accept_clashes";
        say(message);
      });
    }).catch(function () { say(board.dataset.msgFailed); });
  }

  /* After a drop or a keyboard Enter: save a clean move at once, ask about a conflicting one. */
  function settle(proposal, fromKeyboard) {
    window.clearTimeout(previewTimer);
    preview(proposal).then(function (problems) {
      if (problems === null || problems === undefined) { return; }
      if (problems.length === 0) {
        save(proposal, false);
        return;
      }
      proposal.confirming = true;
      document.getElementById("proposal-save").hidden = Boolean(proposal.preview.refusal);
      proposalBox.hidden = false;
      if (fromKeyboard) { say(problems.join(" ") + " " + board.dataset.msgConfirm); }
    });
  }

  document.getElementById("proposal-save").addEventListener("click", function () {
    if (active) { save(active, true); }
  });
  document.getElementById("proposal-cancel").addEventListener("click", function () {
    var card = active && active.card;
    putBack();
    if (card) { card.querySelector(".timetable__handle").focus(); }
  });

  /* Pointer: drag the card to move it, its lower edge to stretch it. */
  var grab = { dx: 0, dy: 0, x: 0, y: 0 };

  function pointerProposal(event, card, keepLength) {
    var proposal = begin(card);
    var metrics = rowMetrics();
    var rect = card.getBoundingClientRect();
    var top = event.client.y - grab.dy;
    var length = minutes(card.dataset.end) - minutes(card.dataset.start);
    var column = columnAt(event.client.x);
    if (keepLength) {
      var start = snap(opens + ((top - metrics.top) / metrics.row) * rowMinutes);
      start = Math.max(0, Math.min(24 * 60 - length, start));
      proposal.start = start;
      proposal.end = start + length;
      if (column) { proposal.column = column.dataset.columnId; }
    } else {
      var end = snap(opens + ((event.rect.bottom - metrics.top) / metrics.row) * rowMinutes);
      proposal.end = Math.max(proposal.start + step, Math.min(24 * 60, end));
    }
    return proposal;
  }

  /* Where the card was taken hold of: its top follows the pointer at that distance. */
  board.ownerDocument.addEventListener("pointerdown", function (event) {
    var card = event.target.closest && event.target.closest(".timetable__card");
    if (!card) { return; }
    var rect = card.getBoundingClientRect();
    grab.dx = event.clientX - rect.left;
    grab.dy = event.clientY - rect.top;
  }, true);

  window.interact(".timetable__card")
    .draggable({
      ignoreFrom: "a, .timetable__stretch",
      autoScroll: true,
      listeners: {
        start: function (event) {
          var card = event.target;
          grab.x = 0;
          grab.y = 0;
          begin(card);
          card.classList.add("timetable__card--dragging");
        },
        move: function (event) {
          var card = event.target;
          grab.x += event.dx;
          grab.y += event.dy;
          card.style.transform = "translate(" + grab.x + "px, " + grab.y + "px)";
          var before = active ? [active.start, active.column].join() : "";
          var proposal = pointerProposal(event, card, true);
          if ([proposal.start, proposal.column].join() !== before) {
            say(describe(proposal));
            previewSoon(proposal);
          }
        },
        end: function (event) {
          var card = event.target;
          card.classList.remove("timetable__card--dragging");
          var proposal = pointerProposal(event, card, true);
          if (!columnAt(event.client.x) && card.parentNode !== board) {
            putBack();
            return;
          }
          if (card.parentNode === board) { place(card, proposal.start, proposal.end, proposal.column); }
          settle(proposal, false);
        },
      },
    })
    .resizable({
      edges: { bottom: ".timetable__stretch" },
      listeners: {
        start: function (event) {
          begin(event.target);
        },
        move: function (event) {
          var proposal = pointerProposal(event, event.target, false);
          place(event.target, proposal.start, proposal.end, proposal.column);
          say(describe(proposal));
          previewSoon(proposal);
        },
        end: function (event) {
          var proposal = pointerProposal(event, event.target, false);
          place(event.target, proposal.start, proposal.end, proposal.column);
          settle(proposal, false);
        },
      },
    });

  /* Keyboard: the Move button picks the session up; arrows move it; Enter saves. */
  function onKey(event) {
    var handle = event.currentTarget;
    var card = handle.closest(".timetable__card");
    var picked = active && active.card === card && handle.getAttribute("aria-pressed") === "true";
    if (!picked) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        begin(card);
        handle.setAttribute("aria-pressed", "true");
        say(card.dataset.title + ": " + describe(active) + ". " + board.dataset.msgPicked);
      }
      return;
    }
    var proposal = active;
    var length = proposal.end - proposal.start;
    var index = columns.indexOf(columnById(proposal.column));
    var moved = true;
    switch (event.key) {
      case "ArrowUp":
        if (event.shiftKey) {
          proposal.end = Math.max(proposal.start + step, proposal.end - step);
        } else if (proposal.start - step >= 0) {
          proposal.start -= step;
          proposal.end = proposal.start + length;
        }
        break;
      case "ArrowDown":
        if (event.shiftKey) {
          proposal.end = Math.min(24 * 60, proposal.end + step);
        } else if (proposal.end + step <= 24 * 60) {
          proposal.start += step;
          proposal.end = proposal.start + length;
        }
        break;
      case "ArrowLeft":
        if (index > 0) { proposal.column = columns[index - 1].dataset.columnId; }
        break;
      case "ArrowRight":
        if (index >= 0 && index < columns.length - 1) {
          proposal.column = columns[index + 1].dataset.columnId;
        } else if (index < 0 && columns.length) {
          proposal.column = columns[0].dataset.columnId;
        }
        break;
      case "Enter":
        event.preventDefault();
        if (proposal.confirming && proposal.preview) {
          save(proposal, true);
        } else {
          settle(proposal, true);
        }
        return;
      case "Escape":
        event.preventDefault();
        putBack();
        handle.focus();
        return;
      default:
        moved = false;
    }
    if (moved) {
      event.preventDefault();
      proposal.confirming = false;
      proposalBox.hidden = true;
      place(card, proposal.start, proposal.end, proposal.column);
      handle.focus();
      say(describe(proposal));
      previewSoon(proposal);
    }
  }

  Array.prototype.forEach.call(board.ownerDocument.querySelectorAll(".timetable__handle"), function (handle) {
    handle.hidden = false;
    handle.setAttribute("aria-pressed", "false");
    handle.addEventListener("keydown", onKey);
  });

  /* After a save the page reloads: focus the moved session's handle and say where it went. */
  var focusId = window.sessionStorage.getItem(FOCUS_KEY);
  if (focusId) {
    window.sessionStorage.removeItem(FOCUS_KEY);
    var moved = document.getElementById(focusId);
    var handle = moved && moved.querySelector(".timetable__handle");
    if (handle) { handle.focus(); }
    var message = window.sessionStorage.getItem(MESSAGE_KEY);
    window.sessionStorage.removeItem(MESSAGE_KEY);
    if (message) { say(board.dataset.msgSaved + " " + message); }
  }
})();
