// The popup is rendered by the Rust core (src/web/popup.rs); this only starts it.
'use strict';
wasm_bindgen({ module_or_path: ext.url('core/widerspruch_bg.wasm') }).then(() => wasm_bindgen.popup_main());
