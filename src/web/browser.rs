//! Typed bindings to the `ext` facade (`extension/platform/ext.js`), the only door to browser APIs.

use crate::panel::Localize;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ext, js_name = storageGet, catch)]
    async fn storage_get_js(keys: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = storageSet, catch)]
    async fn storage_set_js(items: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = storageRemove, catch)]
    async fn storage_remove_js(keys: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = formatDate)]
    fn format_date_js(iso: &str, lang: &str) -> String;
    #[wasm_bindgen(js_namespace = ext, js_name = setBadge, catch)]
    async fn set_badge_js(text: &str, color: &str, title: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = sendMessage, catch)]
    async fn send_message_js(msg: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = message)]
    fn message_js(key: &str, subs: Vec<String>) -> String;
    #[wasm_bindgen(js_namespace = ext, js_name = extensionId)]
    pub fn extension_id() -> String;
    #[wasm_bindgen(js_namespace = ext, js_name = extensionBase)]
    pub fn extension_base() -> String;
}

fn js_err(context: &str, e: JsValue) -> String {
    format!("{context}: {}", e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default())
}

/// Rust value → plain JS object (maps as objects, not `Map`s).
pub fn to_js<T: Serialize>(v: &T) -> Result<JsValue, String> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| format!("encode: {e}"))
}

/// JS value → JSON value. Never panics; `undefined` and functions become `null`.
pub fn from_js(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap_or(Value::Null)
}

/// Everything in `storage.local` (a handful of small keys).
pub async fn storage_get_all() -> Result<Value, String> {
    storage_get_js(JsValue::NULL).await.map(from_js).map_err(|e| js_err("storage.local.get", e))
}

pub async fn storage_remove(keys: &[String]) -> Result<(), String> {
    storage_remove_js(to_js(&keys)?).await.map(|_| ()).map_err(|e| js_err("storage.local.remove", e))
}

pub async fn storage_set(items: &serde_json::Map<String, Value>) -> Result<(), String> {
    storage_set_js(to_js(items)?).await.map(|_| ()).map_err(|e| js_err("storage.local.set", e))
}

pub async fn set_badge(text: &str, color: &str, title: &str) -> Result<(), String> {
    set_badge_js(text, color, title).await.map(|_| ()).map_err(|e| js_err("action badge", e))
}

pub async fn send_message<T: Serialize>(msg: &T) -> Result<Value, String> {
    send_message_js(to_js(msg)?).await.map(from_js).map_err(|e| js_err("runtime.sendMessage", e))
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
    fn date(&self, iso: &str) -> String {
        format_date_js(iso, &self.lang())
    }
}
