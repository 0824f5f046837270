// The deputy's motion form: the draft text is asked for only when the motion is a legislative one.
(function () {
  var box = document.getElementById("id_is_legislative");
  var draft = document.getElementById("div_id_draft_text");
  if (!box || !draft) {
    return;
  }
  function sync() {
    var empty = !document.getElementById("id_draft_text").value.trim();
    draft.classList.toggle("d-none", !box.checked && empty);
  }
  box.addEventListener("change", sync);
  sync();
})();
