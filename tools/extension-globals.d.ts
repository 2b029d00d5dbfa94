// What the extension's scripts find in their global scope, for `tsc -p tools/tsconfig.extension.json`.
// Hand-written and small on purpose: exactly the part of the browser's extension namespace the scripts
// use, no more, so a call outside it fails tsc rather than passing as `any` (no maintained typing covers
// both `browser` (Firefox) and `chrome` (Chromium) without pulling in a polyfill). Both browsers'
// namespaces have this shape for these calls in MV3 (promises). The messages' types are generated
// (extension/protocol.d.ts). Checked only, never shipped.

import type { FormSignal, PanelView, Reply, Request, WatchView } from '../extension/protocol';

declare global {
  /** The calls the scripts make on `browser` / `chrome`; `ext.api` (platform/ext.js) is this. */
  interface ExtensionApi {
    runtime: {
      /** Reading it can throw once an update has orphaned a content script. */
      readonly id: string | undefined;
      getURL(path: string): string;
      /** Content scripts and the popup ask the background; the answer is the core's reply. */
      sendMessage(msg: Request): Promise<Reply | undefined>;
      onMessage: Listeners<(msg: unknown, sender: unknown, sendResponse: (reply: Reply) => void) => boolean>;
      onStartup: Listeners<() => unknown>;
      onInstalled: Listeners<() => unknown>;
    };
    storage: {
      local: {
        get(keys: null): Promise<Record<string, unknown>>;
        set(items: Record<string, unknown>): Promise<void>;
        remove(keys: string | string[]): Promise<void>;
      };
      onChanged: Listeners<(changes: Record<string, unknown>, area: string) => void>;
    };
    action: {
      setBadgeBackgroundColor(details: { color: string }): Promise<void>;
      /** Chromium ≥ 110 and Firefox ≥ 110. */
      setBadgeTextColor?(details: { color: string }): Promise<void>;
      setBadgeText(details: { text: string }): Promise<void>;
      setTitle(details: { title: string }): Promise<void>;
    };
    i18n: {
      getMessage(key: string, subs?: string | string[]): string;
    };
    /** Host access: the services' hosts are optional_host_permissions (Chromium ≥ 120, Firefox ≥ 128). */
    permissions: {
      getAll(): Promise<ExtensionPermissions>;
      contains(p: ExtensionPermissions): Promise<boolean>;
      /** Only during a user gesture (the popup's click); resolves false when the user declines. */
      request(p: ExtensionPermissions): Promise<boolean>;
      remove(p: ExtensionPermissions): Promise<boolean>;
      onAdded: Listeners<(p: ExtensionPermissions) => void>;
      onRemoved: Listeners<(p: ExtensionPermissions) => void>;
    };
    /** Content scripts of the chosen services, registered at runtime (platform/ext.js). */
    scripting: {
      getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<RegisteredContentScript[]>;
      registerContentScripts(scripts: RegisteredContentScript[]): Promise<void>;
      unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
    };
  }

  interface ExtensionPermissions {
    origins?: string[];
    permissions?: string[];
  }

  interface RegisteredContentScript {
    id: string;
    matches?: string[];
    js?: string[];
    runAt?: 'document_start' | 'document_end' | 'document_idle';
    allFrames?: boolean;
    persistAcrossSessions?: boolean;
  }

  interface Listeners<F> {
    addListener(listener: F): void;
  }

  /** Firefox's promise-based extension namespace (absent in Chromium). */
  var browser: ExtensionApi | undefined;
  /** Chromium's extension namespace (promise-based in MV3). */
  var chrome: ExtensionApi | undefined;

  /** The service worker's loader (Chromium); undefined in Firefox's event page. */
  var importScripts: ((...urls: string[]) => void) | undefined;
  /** The core's wasm-bindgen glue (core/widerspruch.js, `--target no-modules`): src/web/background.rs. */
  var wasm_bindgen: ((init: { module_or_path: string }) => Promise<unknown>) & {
    background_start(): Promise<void>;
    /** Registers/unregisters the services' content scripts after a grant or revoke (src/web/background.rs). */
    sync_services(): Promise<void>;
    handle_message(msg: unknown, sender: unknown): Promise<Reply>;
  };

  /** The Navigation API (Chromium; not yet in TypeScript's DOM library). */
  var navigation: EventTarget | undefined;
  /** content/form.js's two helpers, shared with content/banner.js (same isolated world). */
  var widerspruchForm: WiderspruchForm | undefined;

  /** content/setting.js's watch, shared with content/banner.js (same isolated world). */
  var widerspruchSetting: WiderspruchSetting | undefined;

  interface WiderspruchSetting {
    watch(view: NonNullable<PanelView['setting']>, report: (state: Extract<Request, { type: 'setting_seen' }>['state']) => void): void;
    unwatch(): void;
  }

  interface WiderspruchForm {
    insertReason(text: string, w: WatchView | null): void;
    watch(w: WatchView, report: (signal: FormSignal) => void): void;
    unwatch(): void;
  }
}
