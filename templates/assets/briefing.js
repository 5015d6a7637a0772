// briefing: the timeline's and the network's filters. Without JavaScript the
// whole timeline shows, with links to the actor and topic pages instead of the
// filter, and the network shows every tie.
(function () {
  "use strict";
  function setup() {
    var box = document.querySelector(".briefing-filter");
    if (!box) return;
    var actor = document.getElementById("filter-actor");
    var topic = document.getElementById("filter-topic");
    box.hidden = false;
    document.querySelectorAll(".briefing-nojs").forEach(function (el) { el.hidden = true; });
    function has(list, value) { return !value || (" " + list + " ").indexOf(" " + value + " ") >= 0; }
    function apply() {
      document.querySelectorAll("li[data-actors]").forEach(function (li) {
        li.hidden = !(has(li.getAttribute("data-actors"), actor.value) &&
                      has(li.getAttribute("data-topics"), topic.value));
      });
      // Hide the months the filter left empty, then the years.
      document.querySelectorAll(".md-content ul").forEach(function (ul) {
        if (!ul.querySelector("li[data-actors]")) return;
        var empty = !ul.querySelector("li[data-actors]:not([hidden])");
        ul.hidden = empty;
        var heading = ul.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = empty;
      });
      document.querySelectorAll(".md-content h2").forEach(function (year) {
        var any = false;
        for (var el = year.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
          if (el.tagName === "UL" && el.querySelector("li[data-actors]") && !el.hidden) any = true;
        }
        // A year's own events (dated to the year only) come before its months.
        year.hidden = !any;
      });
    }
    actor.addEventListener("change", apply);
    topic.addEventListener("change", apply);
  }
  // The network page: show the ties of one relation type, or those that hold on a day.
  // The table under the graph lists the same ties in the same order.
  function network() {
    var box = document.querySelector(".network-filter");
    if (!box) return;
    var kind = document.getElementById("network-kind");
    var day = document.getElementById("network-day");
    var figure = document.querySelector(".network-figure");
    var table = figure && figure.parentNode.querySelector(".network-figure ~ table, .network-figure ~ * table");
    box.hidden = false;
    function apply() {
      var rows = table ? table.querySelectorAll("tbody tr") : [];
      var seen = {};
      figure.querySelectorAll("g.tie").forEach(function (tie, i) {
        var from = tie.getAttribute("data-from"), until = tie.getAttribute("data-until");
        var on = (!kind.value || tie.getAttribute("data-kind") === kind.value) &&
                 (!day.value || ((!from || from <= day.value) && (!until || day.value <= until)));
        tie.classList.toggle("off", !on);
        if (rows[i]) rows[i].hidden = !on;
      });
      figure.querySelectorAll("g.tie:not(.off)").forEach(function (tie) {
        seen[tie.getAttribute("data-source")] = seen[tie.getAttribute("data-target")] = true;
      });
      figure.querySelectorAll("g.actor").forEach(function (actor) {
        actor.classList.toggle("off", !seen[actor.getAttribute("data-actor")]);
      });
    }
    kind.addEventListener("change", apply);
    day.addEventListener("change", apply);
  }
  // Search answered from the index in chunks lists the best pages, and
  // Material's count says how many are listed: the search worker says how
  // many match in all (templates/assets/search-worker.js), for the query typed.
  function searchCount() {
    if (!("BroadcastChannel" in window)) return;
    var meta = document.querySelector(".md-search-result__meta");
    var box = document.querySelector(".md-search__input");
    if (!meta || !box) return;
    var said = null;
    function correct() {
      if (!said || box.value.trim() !== said.query) return;
      var text = meta.textContent.replace(/^[0-9][0-9.,k]*/, said.total.toLocaleString("en"));
      if (text !== meta.textContent) meta.textContent = text;
    }
    new BroadcastChannel("briefing-search").onmessage = function (event) { said = event.data; correct(); };
    new MutationObserver(correct).observe(meta, { childList: true, characterData: true, subtree: true });
  }
  function start() {
    setup();
    network();
    searchCount();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
