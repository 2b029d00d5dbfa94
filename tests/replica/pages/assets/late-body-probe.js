// Replica page script for the `?replica=late-body` variant, loaded (blocking) from <head>: records when the
// response's first bytes (the head) arrived and when <body> appeared, as data attributes on <html> (readable from any JS world) and
// in window.replicaTimes. The server sends <body> ~800 ms after the head (see server.mjs LATE_BODY_MS).
(() => {
  'use strict';
  const html = document.documentElement;
  // responseStart: when the head's bytes came; this script itself runs later (it is fetched first).
  const nav = performance.getEntriesByType('navigation')[0];
  const times = { head: nav?.responseStart || performance.now(), body: null };
  window.replicaTimes = times;
  html.dataset.replicaHeadAt = String(Math.round(times.head));
  const seen = () => {
    if (!document.body || times.body !== null) return false;
    times.body = performance.now();
    html.dataset.replicaBodyAt = String(Math.round(times.body));
    return true;
  };
  if (seen()) return;
  const mo = new MutationObserver(() => { if (seen()) mo.disconnect(); });
  mo.observe(html, { childList: true });
})();
