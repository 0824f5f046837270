// The office's pickers: tom-select on the selects marked data-search-select (units, deputies), searching the
// options already on the page.
(function () {
  if (typeof TomSelect === "undefined") { return; }
  document.querySelectorAll("select[data-search-select]").forEach(function (el) {
    new TomSelect(el, {
      maxOptions: 200,
      plugins: el.multiple ? ["remove_button"] : [],
      closeAfterSelect: !el.multiple
    });
  });
})();

// The suggested lead units (智能交办): "Choose" puts the unit in the lead unit field; staff still submit.
(function () {
  document.querySelectorAll("button[data-choose-unit]").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById(button.getAttribute("data-target"));
      if (!select) { return; }
      var unit = button.getAttribute("data-choose-unit");
      if (select.tomselect) {
        select.tomselect.setValue(unit);
      } else {
        select.value = unit;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      document.querySelectorAll(".assign-suggestion").forEach(function (item) {
        item.classList.toggle("border-primary", item.getAttribute("data-unit") === unit);
      });
    });
  });
})();
