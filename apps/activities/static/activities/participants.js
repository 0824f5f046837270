// The search box of an activity's page: tom-select loading eligible deputies from the page's JSON endpoint.
(function () {
  var el = document.getElementById("people-select");
  if (!el || typeof TomSelect === "undefined") { return; }
  var url = el.getAttribute("data-search-url");
  new TomSelect(el, {
    valueField: "value",
    labelField: "text",
    searchField: [],
    maxOptions: 50,
    closeAfterSelect: false,
    plugins: ["remove_button"],
    shouldLoad: function (query) { return query.length > 0; },
    load: function (query, callback) {
      fetch(url + "?q=" + encodeURIComponent(query), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) { callback(data.results); })
        .catch(function () { callback(); });
    }
  });
})();
