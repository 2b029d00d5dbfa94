// The page's OWN script (main world, loaded synchronously in <head>, so it runs before DOMContentLoaded
// and before any document_end content script; see `early` below for document_start ones). It times the extension's banner the way the page sees it:
//   inserted = the banner element appears under <html> (MutationObserver; the content script appends its
//              host element only after the shadow root is complete),
//   frame    = the next requestAnimationFrame callback (the frame that will paint it),
//   painted  = a task posted from that callback (runs once the frame's rendering update is done).
// All three are performance.now() values, like PerformanceNavigationTiming.domContentLoadedEventStart,
// which the harness subtracts. console.timeStamp marks the same moments in a trace (bench.mjs's breakdown of
// where the time goes). Banner tags: the real extension's and the baseline extension's.
(() => {
  'use strict';
  const TAGS = ['WIDERSPRUCH-BANNER', 'WIDERSPRUCH-BASELINE'];
  const r = (window.__bench = { tag: null, complete: null, inserted: null, frame: null, painted: null, early: false });
  function found(n) {
    r.inserted = performance.now();
    console.timeStamp('bench-banner-inserted'); // a no-op unless the harness traces the load
    r.tag = n.nodeName.toLowerCase();
    // null for the real extension: its shadow root is closed, the page cannot look (the baseline's is open).
    r.complete = n.shadowRoot ? !!n.shadowRoot.querySelector('[data-role=banner]') : null;
    mo.disconnect();
    requestAnimationFrame(() => {
      r.frame = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        r.painted = performance.now();
        console.timeStamp('bench-banner-painted');
        ch.port1.close();
      };
      ch.port2.postMessage(0);
    });
  }
  const mo = new MutationObserver((records) => {
    for (const rec of records) {
      for (const n of rec.addedNodes) {
        if (TAGS.includes(n.nodeName)) return found(n);
      }
    }
  });
  // Content scripts that run at document_start can append their element before this script runs: then
  // "inserted" is this moment (an upper bound), flagged `early`.
  const already = [...document.documentElement.children].find((n) => TAGS.includes(n.nodeName));
  if (already) {
    r.early = true;
    found(already);
  } else {
    mo.observe(document.documentElement, { childList: true });
  }
})();
