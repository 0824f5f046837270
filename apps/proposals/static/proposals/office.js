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
