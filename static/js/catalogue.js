/* The catalogue's filters apply as soon as they change: the results and every facet's counts are fetched
   from the same page (the server renders them, as it does without JavaScript) and swapped in place. Focus
   stays on the control the visitor changed; the new number of courses is announced through a status region.
   Without JavaScript the "Show courses" button submits the form as before. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-filters]");
  var results = document.querySelector("[data-live-results]");
  var status = document.querySelector("[data-live-status]");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;

  var pending = null;

  function queryOf(formElement) {
    var params = new URLSearchParams();
    new FormData(formElement).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    return params.toString();
  }

  function swap(html, url) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshResults = fresh.querySelector("[data-live-results]");
    if (!freshResults) return false;
    results.innerHTML = freshResults.innerHTML;
    fresh.querySelectorAll("[data-facet-hits]").forEach(function (hits) {
      var key = hits.getAttribute("data-facet-hits");
      document.querySelectorAll("[data-facet-hits]").forEach(function (current) {
        if (current.getAttribute("data-facet-hits") === key) {
          current.innerHTML = hits.innerHTML;
          current.className = hits.className;
        }
      });
    });
    // How many values are ticked, in each facet's summary (the page has the same facets in the same order).
    var summaries = document.querySelectorAll(".facet summary");
    fresh.querySelectorAll(".facet summary").forEach(function (summary, index) {
      if (summaries[index]) summaries[index].innerHTML = summary.innerHTML;
    });
    // The language switch keeps the filters, as it does after a full page load.
    fresh.querySelectorAll(".language-switch a[hreflang]").forEach(function (link) {
      var current = document.querySelector('.language-switch a[hreflang="' + link.getAttribute("hreflang") + '"]');
      if (current) current.setAttribute("href", link.getAttribute("href"));
    });
    var heading = results.querySelector("#results-heading");
    if (status && heading) status.textContent = heading.textContent.trim();
    window.history.replaceState(null, "", url);
    return true;
  }

  function apply() {
    var query = queryOf(form);
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    if (pending) pending.abort();
    var request = (pending = new AbortController());
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin", signal: request.signal })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (!swap(html, url)) window.location.assign(url);
      })
      .catch(function (error) {
        // A newer change cancelled this one; anything else: load the page the ordinary way.
        if (error.name !== "AbortError") window.location.assign(url);
      })
      .finally(function () {
        if (pending === request) results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    // The search box applies on Enter (the form's own submit), not on every change of focus.
    if (event.target.name === "q") return;
    apply();
  });
})();
