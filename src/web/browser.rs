//! The browser's extension APIs, the one thing no crate binds well: wasm-bindgen's `extern` blocks to the
//! `ext` facade (`extension/platform/ext.js`), which picks `browser.*` or `chrome.*` and keeps the copy
//! of storage. Everything else the core touches goes through crates: values cross through
//! serde-wasm-bindgen, the global scope through web-sys, dates and `Object.keys` through js-sys, the
//! console through gloo.

use crate::panel::Localize;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `storage.local.get(null)`: everything stored (a handful of small keys), through the facade's copy.
    #[wasm_bindgen(js_namespace = ext, js_name = storageGetAll, catch)]
    async fn storage_get_all_js() -> Result<JsValue, JsValue>;
    /// `storage.local.set(items)`.
    #[wasm_bindgen(js_namespace = ext, js_name = storageSet, catch)]
    async fn storage_set_js(items: JsValue) -> Result<JsValue, JsValue>;
    /// `storage.local.remove(keys)`.
    #[wasm_bindgen(js_namespace = ext, js_name = storageRemove, catch)]
    async fn storage_remove_js(keys: Vec<String>) -> Result<JsValue, JsValue>;
    /// `action.setBadge*` and `action.setTitle`, in the order both browsers need.
    #[wasm_bindgen(js_namespace = ext, js_name = setBadge, catch)]
    async fn set_badge_js(text: &str, color: &str, title: &str) -> Result<JsValue, JsValue>;
    /// `i18n.getMessage`: the catalogue in the browser's UI language.
    #[wasm_bindgen(js_namespace = ext, js_name = message)]
    fn message_js(key: &str, subs: Vec<String>) -> String;
    /// `permissions.getAll().origins`: the hosts we may reach now.
    #[wasm_bindgen(js_namespace = ext, js_name = grantedOrigins, catch)]
    async fn granted_origins_js() -> Result<JsValue, JsValue>;
    /// Registers `service-<id>` for each wanted entry, unregisters every other `service-*`.
    #[wasm_bindgen(js_namespace = ext, js_name = syncContentScripts, catch)]
    async fn sync_content_scripts_js(wanted: JsValue) -> Result<JsValue, JsValue>;
    /// `runtime.id`, which `sender.id` must equal.
    #[wasm_bindgen(js_namespace = ext, js_name = extensionId)]
    pub fn extension_id() -> String;
}

fn js_err(context: &str, e: JsValue) -> String {
    let text = e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())));
    format!("{context}: {}", text.unwrap_or_default())
}

/// The extension's own base URL (`chrome-extension://<id>/`, `moz-extension://<uuid>/`, what
/// `runtime.getURL("")` gives): the origin of the background's global scope, a service worker in Chromium
/// and an event page (a window) in Firefox.
pub fn extension_base() -> String {
    let global = js_sys::global();
    let origin = if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        worker.location().origin()
    } else if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.location().origin().unwrap_or_default()
    } else {
        String::new()
    };
    // An empty base matches no sender: only extension pages are recognised by it.
    if origin.is_empty() { origin } else { origin + "/" }
}

/// Values for storage and replies as plain JSON-like JS values: objects (not `Map`s), `null` for `None`,
/// numbers (not `BigInt`s).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| e.to_string())
}

/// Everything in `storage.local`.
pub async fn storage_get_all() -> Result<JsValue, String> {
    storage_get_all_js().await.map_err(|e| js_err("storage.local.get", e))
}

pub async fn storage_remove(keys: &[String]) -> Result<(), String> {
    storage_remove_js(keys.to_vec()).await.map(|_| ()).map_err(|e| js_err("storage.local.remove", e))
}

/// `items`: `(key, value)` pairs, written as one object.
pub async fn storage_set<V: Serialize>(items: &[(String, V)]) -> Result<(), String> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let object = serde::Serializer::collect_map(&serializer, items.iter().map(|(k, v)| (k, v))).map_err(|e| e.to_string())?;
    storage_set_js(object).await.map(|_| ()).map_err(|e| js_err("storage.local.set", e))
}

pub async fn set_badge(text: &str, color: &str, title: &str) -> Result<(), String> {
    set_badge_js(text, color, title).await.map(|_| ()).map_err(|e| js_err("action badge", e))
}

/// The browser's i18n catalogue (`extension/_locales`), in the browser's UI language.
pub struct I18n;

impl Localize for I18n {
    fn text(&self, key: &str, subs: &[String]) -> String {
        message_js(key, subs.to_vec())
    }
    /// The language of the catalogue the browser picked (each catalogue names itself), so the banner's
    /// `lang` attribute matches its text even when the UI language has no catalogue of ours.
    fn lang(&self) -> String {
        self.text("lang", &[])
    }
    /// "2025-05-27" → "27 May 2025" / "27. Mai 2025", in the language of our catalogue.
    fn date(&self, iso: &str) -> String {
        let date = js_sys::Date::new(&JsValue::from_str(&format!("{iso}T00:00:00Z")));
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
        date.to_locale_date_string(&self.lang(), &options).into()
    }
}

/// The host permissions granted now (`https://*.linkedin.com/*`, …), as the browser writes them.
pub async fn granted_origins() -> Result<Vec<String>, String> {
    let origins = granted_origins_js().await.map_err(|e| js_err("permissions.getAll", e))?;
    serde_wasm_bindgen::from_value(origins).map_err(|e| format!("permissions.getAll: {e}"))
}

/// One active service's content script: `id` (the service id; registered as `service-<id>`) on `matches`.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct WantedScript {
    pub id: String,
    pub matches: Vec<String>,
}

/// Makes the registered service content scripts exactly `wanted` (ext.js checks each entry's grant again).
pub async fn sync_content_scripts(wanted: &[WantedScript]) -> Result<(), String> {
    sync_content_scripts_js(to_js(wanted)?).await.map(|_| ()).map_err(|e| js_err("scripting (service content scripts)", e))
}
