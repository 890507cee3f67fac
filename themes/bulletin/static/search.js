// Search page: queries the Pagefind index built with the site (no server needed). The index
// comes in parts by date: pagefind/ holds the script and the newest part, and
// pagefind/parts.json names the others: the recent ones are merged into every query, the
// older ones when the reader asks for them (so a first query costs the same however old
// the archive is). The query lives in the address (?q=…&section=…&reporter=…&older=1), so
// a search can be shared.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL(script.getAttribute("data-root") || "../", location.href);
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var filterBox = document.getElementById("search-filters");
  var selects = { section: document.getElementById("search-section"), reporter: document.getElementById("search-reporter") };
  var pagefind = null;
  var older = { names: [], stories: 0, merged: false };
  var olderButton = null;
  // Messages come from the page (the site's interface strings), with {n}, {q}, {value} to fill.
  function message(name, values) {
    return (script.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }
  var latest = 0;

  function params() { return new URLSearchParams(location.search); }

  function remember(q) {
    var p = new URLSearchParams();
    if (q) p.set("q", q);
    Object.keys(selects).forEach(function (k) { if (selects[k].value) p.set(k, selects[k].value); });
    if (older.merged && older.names.length) p.set("older", "1");
    var query = p.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function render(items, q) {
    results.textContent = "";
    items.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "search-result";
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      h.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [d.meta && d.meta.date, d.meta && d.meta.section].filter(Boolean).join(" · ");
      var excerpt = document.createElement("p");
      excerpt.className = "summary";
      // Pagefind's excerpt is escaped text with <mark> around the matches.
      excerpt.innerHTML = d.excerpt;
      li.appendChild(h);
      li.appendChild(meta);
      li.appendChild(excerpt);
      results.appendChild(li);
    });
    var found = items.length === 1 ? "found-one" : "found";
    status.textContent = q ? message(items.length ? found : "none", { n: items.length, q: q }) : "";
    if (olderButton) olderButton.parentNode.hidden = !q || older.merged;
  }

  function mergeAll(names, bundle, options) {
    return Promise.all(names.map(function (name) {
      return pagefind.mergeIndex(new URL("parts/" + name + "/", bundle).href, options);
    }));
  }

  // The button under the results that merges the older parts and asks again.
  function offerOlder(bundle, options) {
    var n = older.stories.toLocaleString(document.documentElement.lang || undefined);
    var box = document.createElement("p");
    box.className = "search-older";
    box.hidden = true;
    olderButton = document.createElement("button");
    olderButton.type = "button";
    olderButton.textContent = message("older", { n: n });
    olderButton.addEventListener("click", async function () {
      olderButton.disabled = true;
      try {
        await mergeAll(older.names, bundle, options);
      } catch (e) {
        status.textContent = message("unavailable", {}) + e.message;
        olderButton.disabled = false;
        return;
      }
      older.merged = true;
      filtersLoaded = null; // the older parts bring their own sections and reporters
      run();
    });
    box.appendChild(olderButton);
    results.parentNode.insertBefore(box, results.nextSibling);
  }

  async function run() {
    var q = input.value.trim();
    remember(q);
    var mine = ++latest;
    if (!q) { render([], ""); return; }
    if (performance.mark) performance.mark("search-start");
    var filters = {};
    Object.keys(selects).forEach(function (k) { if (selects[k].value) filters[k] = selects[k].value; });
    var search = await pagefind.search(q, { filters: filters });
    var data = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (mine !== latest) return; // an older, slower query must not overwrite a newer one
    render(data, q);
    // For measurements (examples/search_cost.rs): when the results were on screen.
    if (performance.mark) performance.mark("search-results");
  }

  function option(value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  var filtersLoaded = null;
  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = pagefind.filters().then(function (available) {
        Object.keys(selects).forEach(function (k) {
          var chosen = selects[k].value;
          while (selects[k].options.length > 1) selects[k].remove(1);
          Object.keys(available[k] || {}).sort().forEach(function (value) {
            selects[k].appendChild(option(value, message("option", { value: value, n: available[k][value] })));
          });
          selects[k].value = chosen;
        });
      });
    }
    return filtersLoaded;
  }

  async function start() {
    var bundle = new URL("pagefind/", root);
    pagefind = await import(new URL("pagefind.js", bundle).href);
    // Results are stored from the site root ("/2022/08/02/x/"); the site may live under a
    // path ("/news/"), which Pagefind puts in front of every result.
    var options = { baseUrl: root.pathname };
    await pagefind.options(Object.assign({ excerptLength: 40 }, options));
    var parts = await (await fetch(new URL("parts.json", bundle))).json();
    older.names = parts.older;
    older.stories = parts.older_stories;
    // A page made from a theme without the button's message searches everything at once.
    var askFirst = older.names.length && script.hasAttribute("data-older") && params().get("older") !== "1";
    await mergeAll(askFirst ? parts.recent : parts.recent.concat(older.names), bundle, options);
    older.merged = !askFirst;
    if (askFirst) offerOlder(bundle, options);
    Object.keys(selects).forEach(function (k) {
      var wanted = params().get(k);
      if (wanted) selects[k].appendChild(option(wanted, wanted));
      selects[k].value = wanted || "";
      // The filters' values come from every part of the index: fetched only when a reader
      // reaches for a filter, so a plain query does not pay for them.
      selects[k].addEventListener("focus", loadFilters);
      selects[k].addEventListener("pointerdown", loadFilters);
      selects[k].addEventListener("change", run);
    });
    filterBox.hidden = false;
    input.value = params().get("q") || "";
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
    run();
  }

  start().catch(function (e) {
    status.textContent = message("unavailable", {}) + e.message;
  });
})();
