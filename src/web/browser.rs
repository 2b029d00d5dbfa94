//! Typed bindings to the `ext` facade (`extension/platform/ext.js`), the only door to browser APIs.

use crate::panel::Localize;
use js_sys::{Array, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ext, js_name = storageGetAll, catch)]
    async fn storage_get_all_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = storageSet, catch)]
    async fn storage_set_js(items: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = storageRemove, catch)]
    async fn storage_remove_js(keys: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ext, js_name = formatDate)]
    fn format_date_js(iso: &str, lang: &str) -> String;
    #[wasm_bindgen(js_namespace = ext, js_name = setBadge, catch)]
    async fn set_badge_js(text: &str, color: &str, title: &str) -> Result<JsValue, JsValue>;
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

/// JSON value → plain JS value (objects as objects, not `Map`s).
pub fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(a) => {
            let out = Array::new();
            for x in a {
                out.push(&to_js(x));
            }
            out.into()
        }
        Value::Object(m) => {
            let o = Object::new();
            for (k, v) in m {
                let _ = Reflect::set(&o, &JsValue::from_str(k), &to_js(v));
            }
            o.into()
        }
    }
}

/// JS value → JSON value. Never panics; `undefined` and non-finite numbers become `null`, and anything
/// else that is not JSON (a function, a symbol, a bigint) makes the whole value `null`.
pub fn from_js(v: JsValue) -> Value {
    read_js(&v).unwrap_or(Value::Null)
}

fn read_js(v: &JsValue) -> Option<Value> {
    if v.is_null() || v.is_undefined() {
        return Some(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(f) = v.as_f64() {
        // Whole numbers as integers (like JSON.parse would give serde_json), so `as_u64` reads them.
        const SAFE: f64 = 9_007_199_254_740_991.0;
        return Some(if f.fract() == 0.0 && (0.0..=SAFE).contains(&f) {
            Value::from(f as u64)
        } else if f.fract() == 0.0 && (-SAFE..0.0).contains(&f) {
            Value::from(f as i64)
        } else {
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        });
    }
    if let Some(s) = v.as_string() {
        return Some(Value::String(s));
    }
    if Array::is_array(v) {
        let mut out = Vec::new();
        for x in v.unchecked_ref::<Array>().iter() {
            out.push(read_js(&x)?);
        }
        return Some(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        let mut map = Map::new();
        for e in Object::entries(v.unchecked_ref::<Object>()).iter() {
            let e: Array = e.unchecked_into();
            map.insert(e.get(0).as_string()?, read_js(&e.get(1))?);
        }
        return Some(Value::Object(map));
    }
    None
}

/// Everything in `storage.local` (a handful of small keys).
/// Read key by key: a value JSON cannot hold (Firefox's storage keeps structured clones, a `BigInt` say)
/// must not hide the others. Such a value is read as written by an unknown newer version, so it is kept
/// untouched, read-only, like any data this build does not understand.
pub async fn storage_get_all() -> Result<Value, String> {
    let all = storage_get_all_js().await.map_err(|e| js_err("storage.local.get", e))?;
    let mut map = Map::new();
    if all.is_object() {
        for e in Object::entries(all.unchecked_ref::<Object>()).iter() {
            let e: Array = e.unchecked_into();
            let Some(key) = e.get(0).as_string() else { continue };
            let value = read_js(&e.get(1)).unwrap_or_else(|| {
                let mut unknown = Map::new();
                unknown.insert("v".into(), Value::from(u64::from(u32::MAX)));
                Value::Object(unknown)
            });
            map.insert(key, value);
        }
    }
    Ok(Value::Object(map))
}

pub async fn storage_remove(keys: &[String]) -> Result<(), String> {
    let list = Array::new();
    for k in keys {
        list.push(&JsValue::from_str(k));
    }
    storage_remove_js(list.into()).await.map(|_| ()).map_err(|e| js_err("storage.local.remove", e))
}

pub async fn storage_set(items: &[(String, Value)]) -> Result<(), String> {
    let o = Object::new();
    for (k, v) in items {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &to_js(v));
    }
    storage_set_js(o.into()).await.map(|_| ()).map_err(|e| js_err("storage.local.set", e))
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
    fn date(&self, iso: &str) -> String {
        format_date_js(iso, &self.lang())
    }
}
