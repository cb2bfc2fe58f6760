// Chancery reading room: small progressive enhancements. Every feature works without this file
// (footnote marks are anchors to the note list; citation text can be selected by hand).
(function () {
  "use strict";
  var open = null;

  function closePopover() {
    if (open) { open.remove(); open = null; }
  }

  function showNote(link) {
    var id = link.getAttribute("data-note");
    var note = id && document.getElementById("fn-" + id);
    if (!note) { return false; }
    closePopover();
    var pop = document.createElement("div");
    pop.className = "popover";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", "Footnote " + link.textContent.trim());
    var close = document.createElement("button");
    close.className = "close";
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", closePopover);
    pop.appendChild(close);
    var body = note.querySelector(".body");
    var mark = document.createElement("span");
    mark.className = "mark";
    mark.textContent = link.textContent.trim();
    pop.appendChild(mark);
    if (body) {
      var copy = body.cloneNode(true);
      copy.removeAttribute("id");
      pop.appendChild(copy);
    }
    document.body.appendChild(pop);
    var r = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.left = left + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    open = pop;
    return true;
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var link = t && t.closest ? t.closest("a.fnref") : null;
    if (link) {
      if (showNote(link)) { ev.preventDefault(); }
      return;
    }
    if (open && !(t.closest && t.closest(".popover"))) { closePopover(); }
    var btn = t && t.closest ? t.closest("button.copy") : null;
    if (btn) {
      var src = document.getElementById(btn.getAttribute("data-copy"));
      if (src && navigator.clipboard) {
        navigator.clipboard.writeText(src.textContent).then(function () {
          var old = btn.textContent;
          btn.textContent = "Copied";
          setTimeout(function () { btn.textContent = old; }, 1500);
        }, function () {});
      }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { closePopover(); }
  });
})();
