/* briefing: search from Pagefind's index, in Material's search worker.
 *
 * A large site (generator/search_pagefind.py) is indexed by Pagefind, whose
 * index comes in chunks: a query fetches a few hundred KB instead of the
 * whole index every page loads. Over http the page then hands this worker an
 * empty index, and the code below answers Material's messages (SETUP 0,
 * READY 1, QUERY 2, RESULT 3) from Pagefind. Handed the whole index (from
 * file://, where Pagefind's module cannot load, or under `serve`), it steps
 * aside and Material's own worker, which follows this prelude, answers.
 */
(() => {
  "use strict";
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const PAGES = 50;  // results listed; Material shows ten, then more as the list scrolls
  const PAUSE_MS = 150;  // typing pauses this long before a query runs
  // This file is the theme's assets/javascripts/workers/search.*.js: the site is three folders up.
  const root = new URL("../../../", self.location.href);
  let engine = null;  // Pagefind's module, once asked for
  let asked = 0;      // the latest query: the answer to an earlier one is dropped
  let count = null;   // a channel to the page: how many pages match

  const escape = text => String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
  const relative = url => url.replace(/^\//, "");  // see baseUrl below

  async function start() {
    const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // Results' addresses from the site's root ("/" whatever path the site is
    // published under): Material resolves them against the page's base.
    await pagefind.options({ basePath: new URL("pagefind/", root).pathname, baseUrl: "/", excerptLength: 24 });
    await pagefind.init();
    return pagefind;
  }

  // A page and its sections, as Material draws a result: the page first
  // (its location without '#'), with Pagefind's best excerpt of the whole
  // page; then its sections that match, the most matches first, folded
  // under "more on this page" (Material folds those scored below the page).
  function group(page, score, terms) {
    const title = page.meta.title || page.url;
    const sections = page.sub_results  // the page's own heading is the page's entry
      .filter(section => section.url.includes("#") && section.title && section.title !== title)
      .map(section => ({ section, hits: section.locations.length }))
      .sort((a, b) => b.hits - a.hits);
    const most = sections.length ? sections[0].hits : 1;
    return [
      { location: relative(page.url), title: escape(title), text: page.excerpt, score, terms },
      ...sections.map(({ section, hits }) => ({
        location: relative(section.url), title: escape(section.title), text: section.excerpt,
        score: score * hits / most / 2, terms,
      })),
    ];
  }

  // Material asks at every key: a query is run once typing pauses, and
  // only the latest is answered.
  const pause = () => new Promise(resolve => setTimeout(resolve, PAUSE_MS));

  async function answer(query) {
    const mine = ++asked;
    const words = query.trim();
    let items = [], total = 0;
    if (words) {
      await pause();
      if (mine !== asked) return;
      const pagefind = await engine;
      const found = await pagefind.search(words);
      if (mine !== asked) return;
      const pages = await Promise.all(found.results.slice(0, PAGES).map(result => result.data()));
      const terms = Object.fromEntries(words.split(/\s+/).map(word => [word, true]));
      items = pages.map((page, i) => group(page, found.results[i].score, terms));
      total = found.results.length;
    }
    if (mine !== asked) return;
    postMessage({ type: RESULT, data: { items } });
    // Material counts the pages listed; the page's script (briefing.js) says how many match.
    if (total > items.length) count.postMessage({ query: words, total });
  }

  addEventListener("message", event => {
    const message = event.data;
    if (message.type === SETUP && message.data.docs.length === 0) {
      event.stopImmediatePropagation();
      count = new BroadcastChannel("briefing-search");
      engine = start();
      engine.then(() => postMessage({ type: READY }),
                  error => console.error("briefing: Pagefind's index could not be loaded", error));
    } else if (engine !== null) {
      event.stopImmediatePropagation();
      if (message.type === QUERY)
        answer(message.data).catch(error => console.error("briefing: search failed", error));
    }
  });
})();
