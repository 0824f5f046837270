// A "print" button ([data-print]) opens the browser's print dialog; the print stylesheet (css/print.css) lays
// the page out on A4 with its print header (title, scope, date). No inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
