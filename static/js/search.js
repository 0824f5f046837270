// The header's search box: suggestions as the user types (a WAI-ARIA combobox with a listbox), arrow keys to
// move, Enter to open the highlighted record, Escape to close. Without JavaScript the box is a plain GET form
// to /search/. No inline script: the page's Content-Security-Policy allows none.
(function () {
  var input = document.getElementById("nav-search-q");
  var list = document.getElementById("nav-search-list");
  if (!input || !list) { return; }
  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var request = 0;
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.classList.remove("show");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var items = options();
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      var on = i === active;
      item.setAttribute("aria-selected", on ? "true" : "false");
      item.classList.toggle("active", on);
    });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({block: "nearest"});
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    var mine = ++request;
    fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (mine !== request) { return; }  // an older answer arriving late
        list.innerHTML = html;
        active = -1;
        input.removeAttribute("aria-activedescendant");
        if (options().length) {
          list.hidden = false;
          list.classList.add("show");
          input.setAttribute("aria-expanded", "true");
        } else {
          close();
        }
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) { fetchSuggestions(); return; }
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      window.location.assign(options()[active].getAttribute("data-href"));
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 200); });
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus for the click
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) { window.location.assign(option.getAttribute("data-href")); }
  });
})();
