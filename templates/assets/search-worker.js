/* briefing: search from the index in chunks, in Material's search worker.
 *
 * A large site (generator/search_chunks.py) has its index in chunks: a
 * query fetches the chunks of its words' first two letters and the entries
 * of the pages it lists, instead of the whole index every page loads. Over
 * http the page then hands this worker an empty index, and the code below
 * answers Material's messages (SETUP 0, READY 1, QUERY 2, RESULT 3) from the
 * chunks. Handed the whole index (from file://, where a worker cannot fetch,
 * or under `serve`), it steps aside and Material's own worker, which follows
 * this prelude, answers.
 */
(() => {
  "use strict";
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const PAGES = 50;  // results listed; Material shows ten, then more as the list scrolls
  const PAUSE_MS = 150;  // typing pauses this long before a query runs
  const EXCERPT = 24;  // words in a result's excerpt
  // A word in the page's title weighs most, in a section's title more than in text; a longer word it begins, less.
  const PAGE_TITLE = 8, TITLE = 3, PREFIXED = 0.6;
  // This file is the theme's assets/javascripts/workers/search.*.js: the site is three folders up.
  const root = new URL("../../../search/chunks/", self.location.href);
  let meta = null;    // the index's settings, once asked for
  let asked = 0;      // the latest query: the answer to an earlier one is dropped
  let count = null;   // a channel to the page: how many pages match
  const chunks = new Map();  // chunk name -> its content (a promise)

  const escape = text => String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
  // Words as generator/search_chunks.py reads them: letters and digits, in
  // lower case without accents ("Şuşa" -> "susa").
  const WORD = /[\p{L}\p{N}]+/gu;
  const fold = token => token.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const ascii = text => /^[\x00-\x7f]*$/.test(text);
  function wordsOf(text) {
    const lower = text.toLowerCase();  // a letter whose lower case is longer ("İ"): its word is split only once folded
    const base = [...lower].length === [...text].length ? lower : text;
    return (base.match(WORD) || []).flatMap(token => ascii(token) ? [token.toLowerCase()] : (fold(token).match(WORD) || []));
  }
  const hex = text => Array.from(new TextEncoder().encode(text), b => b.toString(16).padStart(2, "0")).join("");

  async function fetched(name) {
    const response = await fetch(new URL(`${name}?v=${meta.version}`, root));
    if (response.status === 404) return {};  // no term begins so
    if (!response.ok) throw new Error(`${name}: ${response.status}`);
    return response.json();
  }

  function chunk(name) {
    if (!chunks.has(name)) chunks.set(name, fetched(name).catch(error => { chunks.delete(name); throw error; }));
    return chunks.get(name);
  }

  async function start() {
    const response = await fetch(new URL("meta.json", root), { cache: "no-cache" });
    if (!response.ok) throw new Error(`meta.json: ${response.status}`);
    meta = await response.json();
    meta.stopped = new Set(meta.stop);
  }

  const terms = text => Array.from(new Set(wordsOf(text).filter(w => !meta.stopped.has(w))));

  // Each page that holds every word (a word matches the terms it begins),
  // scored as BM25 scores a term (how rare the word is: the pages with a
  // term it begins; its count saturating), a title's word weighing more and
  // the word itself more than a longer one it begins:
  // [{page, score, entries: entry -> score, texts: entry -> words in its text}].
  async function scored(words) {
    const found = new Map();
    for (const [i, word] of words.entries()) {
      const content = await chunk(`t/${hex(word.slice(0, meta.prefix))}.json`);
      const matched = Object.entries(content).filter(([term]) => term.startsWith(word))
        .map(([term, listed]) => [term, listed.split(";")]);  // "page:entry,weight,entry,weight;…"
      const having = new Set(matched.flatMap(([, pages]) => pages.map(part => part.slice(0, part.indexOf(":")))));
      const rarity = Math.log(1 + (meta.pages - having.size + 0.5) / (having.size + 0.5));
      for (const [term, pages] of matched) {
        const exact = term === word ? 1 : PREFIXED;
        for (const part of pages) {
          const [page, text] = part.split(":");
          const rows = text.split(",").map(Number);
          let hit = found.get(page);
          if (hit === undefined) found.set(page, hit = { words: new Set(), entries: new Map(), texts: new Map(), best: [] });
          hit.words.add(i);
          for (let r = 0; r < rows.length; r += 2) {
            const times = rows[r + 1] >> 1, titled = rows[r + 1] & 1;
            const weight = rarity * exact * (times * 2.2 / (times + 1.2)) * (titled ? (rows[r] === 0 ? PAGE_TITLE : TITLE) : 1);
            hit.entries.set(rows[r], (hit.entries.get(rows[r]) || 0) + weight);
            hit.best[i] = Math.max(hit.best[i] || 0, weight);
            if (times > titled) {  // in the text, not only the title
              if (!hit.texts.has(rows[r])) hit.texts.set(rows[r], new Set());
              hit.texts.get(rows[r]).add(i);
            }
          }
        }
      }
    }
    const all = [];
    for (const [page, hit] of found) {
      if (hit.words.size < words.length) continue;
      all.push({ page, score: hit.best.reduce((a, b) => a + b, 0), entries: hit.entries, texts: hit.texts });
    }
    return all.sort((a, b) => b.score - a.score || (a.page < b.page ? -1 : 1));
  }

  // A few words of the text around its first match, escaped, matches marked.
  function excerpt(text, words) {
    const parts = [];
    let at = 0, first = -1;
    for (const m of text.matchAll(WORD)) {
      if (m.index > at) parts.push({ text: text.slice(at, m.index), word: false });
      const mark = wordsOf(m[0]).some(token => words.some(w => token.startsWith(w)));
      if (mark && first < 0) first = parts.filter(p => p.word).length;
      parts.push({ text: m[0], word: true, mark });
      at = m.index + m[0].length;
    }
    if (at < text.length) parts.push({ text: text.slice(at), word: false });
    const from = Math.max(0, first - 4);
    let seen = -1, out = "";
    for (const part of parts) {
      if (part.word) seen += 1;
      if (seen < from || seen >= from + EXCERPT) continue;
      out += part.mark ? `<mark>${escape(part.text)}</mark>` : escape(part.text);
    }
    return (from > 0 ? "… " : "") + out.trim() + (seen >= from + EXCERPT ? " …" : "");
  }

  // A page and its sections, as Material draws a result: the page first
  // (its location without '#'), with an excerpt of one of its entries; then its
  // sections that match, best first, folded under "more on this page"
  // (Material folds those scored below the page).
  function group(hit, entries, words, asTerms) {
    const ranked = [...hit.entries].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    // The excerpt: from the entry whose text has the most of the words, the best scored of those.
    const inText = number => (hit.texts.get(number) || new Set()).size;
    const [shown] = [...ranked].sort((a, b) => inText(b[0]) - inText(a[0]))[0];
    const [page, best] = [entries[0], entries[shown]];
    const sections = ranked.filter(([number]) => number > 0 && entries[number][1] && entries[number][1] !== page[1]);
    const top = sections.length ? sections[0][1] : 1;
    return [
      { location: page[0], title: escape(page[1] || page[0]), text: excerpt(best[2] || best[1], words),
        score: hit.score, terms: asTerms },
      ...sections.map(([number, score]) => ({
        location: entries[number][0], title: escape(entries[number][1]), text: excerpt(entries[number][2], words),
        score: hit.score * score / top / 2, terms: asTerms,
      })),
    ];
  }

  function titled(title, words) {
    const own = terms(title);
    return own.length === words.length && own.every(term => words.includes(term));
  }

  // Material asks at every key: a query is run once typing pauses, and
  // only the latest is answered.
  const pause = () => new Promise(resolve => setTimeout(resolve, PAUSE_MS));

  async function answer(query) {
    const mine = ++asked;
    const typed = query.trim();
    let items = [], total = 0;
    const words = typed ? terms(typed) : [];
    if (words.length) {
      await pause();
      if (mine !== asked) return;
      const found = await scored(words);
      if (mine !== asked) return;
      const listed = found.slice(0, PAGES);
      const entries = await Promise.all(listed.map(async hit =>
        (await chunk(`d/${hit.page.slice(0, meta.digits)}.json`))[hit.page]));
      if (mine !== asked) return;
      const asTerms = Object.fromEntries(typed.split(/\s+/).map(word => [word, true]));
      // A page whose title is the words typed ("Armenia") comes first, before
      // longer titles that say them more often.
      const named = i => entries[i] !== undefined && titled(entries[i][0][1], words);
      const order = listed.map((_, i) => i).sort((a, b) => named(b) - named(a) || a - b);
      items = order.map(i => entries[i] ? group(listed[i], entries[i], words, asTerms) : []);
      total = found.length;
    }
    postMessage({ type: RESULT, data: { items } });
    // Material counts the pages listed; the page's script (briefing.js) says how many match.
    if (total > items.length) count.postMessage({ query: typed, total });
  }

  let engine = null;  // the index's settings, being fetched
  addEventListener("message", event => {
    const message = event.data;
    if (message.type === SETUP && message.data.docs.length === 0) {
      event.stopImmediatePropagation();
      count = new BroadcastChannel("briefing-search");
      engine = start();
      engine.then(() => postMessage({ type: READY }),
                  error => console.error("briefing: the search index could not be loaded", error));
    } else if (engine !== null) {
      event.stopImmediatePropagation();
      if (message.type === QUERY)
        engine.then(() => answer(message.data)).catch(error => console.error("briefing: search failed", error));
    }
  });
})();
