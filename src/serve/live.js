// Gazette live preview: follows the server's rebuilds over Server-Sent Events.
// Injected only into pages served by `gazette serve`, never into `gazette build` output.
(function () {
  "use strict";
  var here = location.pathname.replace(/^\/+/, "");
  if (here === "" || here.endsWith("/")) here += "index.html";
  try { here = decodeURIComponent(here); } catch (e) {}
  var build = null;

  function overlay(message) {
    var box = document.getElementById("gazette-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "gazette-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1em 1.2em;background:#2b0b0b;color:#ffdede;font:14px/1.5 monospace;" +
        "white-space:pre-wrap;border-top:4px solid #e5484d";
      document.body.appendChild(box);
    }
    box.textContent = "Gazette: " + failedNote() + "\n\n" + message;
  }

  // The overlay speaks the page's language (<html lang>, from the site's `language:`).
  function failedNote() {
    var lang = (document.documentElement.lang || "").toLowerCase();
    if (/^zh-(tw|hk|mo|hant)/.test(lang)) return "建置失敗，頁面仍顯示上一次成功的版本";
    if (/^zh/.test(lang)) return "构建失败，页面仍显示上一次成功的版本";
    return "the build failed; this page is the last version that built";
  }

  function swapCss() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("gazette-reload", Date.now());
      links[i].href = url.toString();
    }
  }

  function connect() {
    var source = new EventSource("/__gazette/events");
    source.onmessage = function (e) {
      var msg = JSON.parse(e.data);
      if (msg.kind === "hello") {
        // A different build id after a reconnect means the server restarted.
        if (build !== null && build !== msg.build) { location.reload(); return; }
        build = msg.build;
        // Tests (and the curious) can see the live connection is up before saving.
        window.__gazetteBuild = build;
        overlay(msg.error);
      } else if (msg.kind === "error") {
        overlay(msg.error);
      } else if (msg.kind === "css") {
        build = msg.build;
        overlay(null);
        swapCss();
      } else if (msg.kind === "reload") {
        build = msg.build;
        overlay(null);
        if (msg.all || msg.paths.indexOf(here) >= 0) location.reload();
      }
    };
    // EventSource retries by itself; nothing else to do on error.
  }
  connect();
})();
