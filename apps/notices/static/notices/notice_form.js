// The notice form: the meeting a notice announces is chosen only for a meeting notice, so its field shows only
// when the kind is a meeting kind (the service refuses it otherwise, with or without this script).
(function () {
  var kind = document.getElementById("id_kind");
  var target = document.getElementById("div_id_target");
  if (!kind || !target) { return; }
  function sync() { target.hidden = kind.value === "notice"; }
  kind.addEventListener("change", sync);
  sync();
})();
