// briefing: the timeline filter. Without JavaScript the whole timeline shows,
// with links to the actor and topic pages instead of the filter.
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
