// The popup is rendered by the Rust core (src/web/popup.rs). The first question to the background goes
// out while the core is still loading, so the two waits overlap.
'use strict';
const first = ext.sendMessage({ type: 'get_checklist' });
wasm_bindgen({ module_or_path: ext.url('core/widerspruch_bg.wasm') }).then(() => wasm_bindgen.popup_main(first));
