/* Kiosk: return to a blank form in the kiosk's own language after a time without input.
   Without JavaScript a <noscript> meta refresh does the same, counted from page load. */
(function () {
  "use strict";
  var notice = document.getElementById("kiosk-idle");
  if (!notice) { return; }
  var home = notice.getAttribute("data-home");
  var seconds = parseInt(notice.getAttribute("data-seconds"), 10) || 60;
  var timer = null;
  function restart() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { window.location.replace(home); }, seconds * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
}());
