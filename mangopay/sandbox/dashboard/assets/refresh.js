// settle sandbox dashboard: the only script. It tells the server the
// browser's time zone (a cookie), and offers an "Auto-refresh" switch that
// reloads a page marked data-refresh every few seconds while nobody is
// typing in it. Every action works without it.
(function () {
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("settle_tz=" + encodeURIComponent(tz)) < 0) {
      document.cookie = "settle_tz=" + encodeURIComponent(tz) + "; path=/dashboard/; SameSite=Strict";
    }
  } catch (e) { /* no Intl: the server's zone is used */ }
  var secs = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  var header = document.querySelector("header");
  if (!secs || !header) { return; }
  var label = document.createElement("label");
  label.className = "noprint";
  var box = document.createElement("input");
  box.type = "checkbox";
  box.id = "auto-refresh";
  box.checked = localStorage.getItem("settle-refresh") === "on";
  label.appendChild(box);
  label.appendChild(document.createTextNode(" Auto-refresh"));
  header.appendChild(label);
  box.addEventListener("change", function () {
    localStorage.setItem("settle-refresh", box.checked ? "on" : "off");
  });
  var busy = false;
  document.addEventListener("input", function (e) { if (e.target !== box) { busy = true; } });
  setInterval(function () {
    if (box.checked && !busy && document.visibilityState === "visible") { location.reload(); }
  }, secs * 1000);
})();
