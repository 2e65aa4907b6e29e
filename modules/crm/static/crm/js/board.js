// The pipeline board: drag a card onto another column to move the
// opportunity to that stage (lost asks for a reason). The server decides;
// on success the page reloads so every total is exact, on refusal the card
// stays where it was and the reason is shown.
(function () {
  "use strict";
  var board = document.querySelector("[data-board][data-can-move]");
  if (!board) { return; }
  var errorBox = document.querySelector("[data-board-error]");
  var dragged = null;

  function csrfToken() {
    var input = board.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.classList.remove("d-none");
  }

  function messageOf(body) {
    var error = body && body.error;
    if (!error) { return board.getAttribute("data-error-text"); }
    var details = [];
    Object.keys(error.fields || {}).forEach(function (name) { details = details.concat(error.fields[name]); });
    return [error.message].concat(details).join(" ");
  }

  function move(card, stage) {
    var data = new FormData();
    data.append("stage", stage);
    if (stage === "lost") {
      var reason = window.prompt(board.getAttribute("data-lost-prompt"));
      if (reason === null) { return; }
      data.append("lost_reason", reason);
    }
    card.classList.add("is-moving");
    fetch(card.getAttribute("data-move-url"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok) {
          window.location.reload();
        } else {
          card.classList.remove("is-moving");
          showError(messageOf(body));
        }
      });
    }).catch(function () {
      card.classList.remove("is-moving");
      showError(board.getAttribute("data-error-text"));
    });
  }

  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".kanban-card");
    if (dragged) { event.dataTransfer.setData("text/plain", dragged.id); }
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest(".kanban-column");
    if (dragged && column && column.getAttribute("data-stage") !== dragged.getAttribute("data-stage")) {
      event.preventDefault();
      column.classList.add("is-target");
    }
  });
  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest(".kanban-column");
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("is-target"); }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".kanban-column");
    if (!dragged || !column) { return; }
    event.preventDefault();
    column.classList.remove("is-target");
    var card = dragged;
    dragged = null;
    move(card, column.getAttribute("data-stage"));
  });
  board.addEventListener("dragend", function () { dragged = null; });
})();
