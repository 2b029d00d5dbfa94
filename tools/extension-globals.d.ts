// What the extension's page scripts find in their global scope, for `tsc -p tools/tsconfig.extension.json`.
// Hand-written and small on purpose: only what the scripts use. The messages' types are generated
// (extension/protocol.d.ts); the browser's extension namespace is left untyped (`any`): no maintained
// typing covers both `browser` (Firefox) and `chrome` (Chromium) without pulling in a polyfill.

import type { FormSignal, WatchView } from '../extension/protocol';

declare global {
  /** Firefox's promise-based extension namespace. */
  var browser: any;
  /** Chromium's extension namespace (promise-based in MV3). */
  var chrome: any;
  /** The Navigation API (Chromium; not yet in TypeScript's DOM library). */
  var navigation: EventTarget | undefined;
  /** content/form.js's two helpers, shared with content/banner.js (same isolated world). */
  var widerspruchForm: WiderspruchForm | undefined;

  interface WiderspruchForm {
    insertReason(text: string, w: WatchView | null): void;
    watch(w: WatchView, report: (signal: FormSignal) => void): void;
    unwatch(): void;
  }
}
