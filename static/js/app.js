// Small behaviours without inline scripts: the Content-Security-Policy has no 'unsafe-inline' and no 'unsafe-eval'.

// htmx settings. This file is loaded right after htmx and before DOMContentLoaded, which is when htmx reads its
// <meta name="htmx-config"> and injects its indicator <style> element, so these take effect in time.
if (window.htmx) {
  htmx.config.includeIndicatorStyles = false;  // an injected inline <style> is refused; ours are in app.css
  htmx.config.allowEval = false;               // no hx-on / js: / event filters: they would need 'unsafe-eval'
  htmx.config.historyCacheSize = 0;            // no snapshots of pages with personal data in localStorage
  htmx.config.refreshOnHistoryMiss = true;     // so "back" to a pushed URL reloads the full page
}
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-autosubmit]")) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
