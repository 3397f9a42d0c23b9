// The check-in page (enrolment/checkin.py): filter the list as you type and mark people without a reload.
// Without this script the page still works: the search is a GET ?q= filter and each person a POST form.
(function () {
  "use strict";

  var root = document.querySelector("[data-checkin]");
  if (!root || !window.fetch) return;

  var search = root.querySelector("[data-checkin-search]");
  var status = root.querySelector("[data-checkin-status]");
  var noMatch = root.querySelector("[data-checkin-no-match]");
  var allPresent = root.querySelector("[data-checkin-all]");
  var rows = Array.prototype.slice.call(root.querySelectorAll("[data-checkin-row]"));

  // "Ostlund" finds "Östlund": tablet keyboards make accents slow to type.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  rows.forEach(function (row) {
    row.searchText = fold(row.getAttribute("data-search") || "");
  });

  function filter() {
    var terms = fold(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var match = terms.every(function (term) {
        return row.searchText.indexOf(term) !== -1;
      });
      row.hidden = !match;
      if (match) shown += 1;
    });
    noMatch.hidden = shown > 0 || rows.length === 0;
  }

  function say(text) {
    // Cleared first so the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function update(row, form, data) {
    row.setAttribute("data-status", data.status);
    form.elements.attended.value = data.attended ? "0" : "1";
    form.querySelector("button").setAttribute("aria-pressed", data.attended ? "true" : "false");
    row.querySelector("[data-checkin-state]").textContent = data.state;
    Object.keys(data.counts).forEach(function (key) {
      var count = root.querySelector('[data-count="' + key + '"]');
      if (count) count.textContent = data.counts[key];
    });
    if (allPresent) allPresent.hidden = data.counts.unmarked === 0;
    say(data.message);
    if (search.value) {
      // Ready for the next name.
      search.focus();
      search.select();
    }
  }

  function mark(form) {
    var row = form.closest("[data-checkin-row]");
    var button = form.querySelector("button");
    if (row.getAttribute("aria-busy") === "true") return;
    row.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": form.elements.csrfmiddlewaretoken.value,
        "X-Requested-With": "XMLHttpRequest",
      },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("Not a check-in answer");
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        row.removeAttribute("aria-busy");
        if (result.ok) {
          update(row, form, result.data);
        } else {
          say(result.data.error);
        }
      })
      .catch(function () {
        // Logged out, network trouble, a server error: the plain form post shows what happened.
        form.submit();
      });
    button.blur();
  }

  search.addEventListener("input", filter);
  root.querySelector("[data-checkin-search-form]").addEventListener("submit", function (event) {
    // The whole list is on the page and already filtered; a list the server filtered needs the round trip.
    if (root.hasAttribute("data-checkin-full-list")) event.preventDefault();
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-checkin-mark")) {
      event.preventDefault();
      mark(form);
    } else if (form.hasAttribute("data-checkin-all")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirm";
      confirmed.value = "1";
      form.appendChild(confirmed);
    }
  });

  if (search.value) filter();
})();
