//! Compiles `src/rules/meta.json` into Rust (`$OUT_DIR/meta.rs`, included by `src/rules/mod.rs`): the
//! expression that builds the `Rules`, so the core carries neither a JSON parser nor a reader for the
//! file. The file stays the one place to edit. An unknown or missing key fails the build (the generated
//! struct literal does not compile), and `cargo test` checks the file again with `Rules::from_json`.
//!
//! Objects are structs or per-language maps, chosen by their place in the file ([`struct_at`]); a new
//! object-valued key in `meta.json` needs an entry there as well as a field in `src/rules/mod.rs`.

use serde_json::Value;
use std::fmt::Write;

fn main() {
    let path = "src/rules/meta.json";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    let mut out = String::new();
    // The browser build leaves out the file's `$comment`s (native builds and tests keep the whole file).
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    emit(&value, "", &mut out, wasm);
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("meta.rs");
    std::fs::write(dest, out).unwrap();
}

/// The struct an object at `path` is; other objects are `PerLanguage` maps.
fn struct_at(path: &str) -> Option<&'static str> {
    match path {
        "" => Some("Rules"),
        "/signals" => Some("Signals"),
        "/platforms[]" => Some("Platform"),
        "/platforms[]/form_pages[]" => Some("FormPage"),
        _ => None,
    }
}

fn emit(v: &Value, path: &str, out: &mut String, wasm: bool) {
    match v {
        Value::Null => panic!("meta.json: null at {path}"),
        Value::Bool(b) => write!(out, "{b}").unwrap(),
        Value::Number(n) => write!(out, "{n}").unwrap(),
        Value::String(s) if path == "/platforms[]/id" => {
            let variant: String = s.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
            write!(out, "PlatformId::{variant}").unwrap();
        }
        Value::String(s) => write!(out, "text({s:?})").unwrap(),
        // Lists of strings and per-language maps of them are static data, turned into values by small
        // helpers in src/rules/mod.rs (less code in the WebAssembly than a literal per string).
        Value::Array(a) if a.iter().all(Value::is_string) => {
            write!(out, "texts(&{})", str_slice(a)).unwrap();
        }
        Value::Array(a) => {
            out.push_str("vec![");
            for x in a {
                emit(x, &format!("{path}[]"), out, wasm);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(o) => match struct_at(path) {
            Some(name) => {
                write!(out, "{name} {{").unwrap();
                for (k, x) in o {
                    if k == "$comment" && wasm {
                        // Notes for whoever edits the file; nothing reads them at run time.
                        out.push_str("comment: String::new(),");
                        continue;
                    }
                    let field = if k == "$comment" { "comment" } else { k };
                    write!(out, "{field}: ").unwrap();
                    emit(x, &format!("{path}/{k}"), out, wasm);
                    out.push(',');
                }
                out.push('}');
            }
            None => {
                out.push_str("per_language(&[");
                for (k, x) in o {
                    let list = x.as_array().filter(|a| a.iter().all(Value::is_string));
                    let list = list.unwrap_or_else(|| panic!("meta.json: {path}/{k} is not a list of texts"));
                    write!(out, "({k:?}, &{}),", str_slice(list)).unwrap();
                }
                out.push_str("])");
            }
        },
    }
}

fn str_slice(a: &[Value]) -> String {
    let items: Vec<String> = a.iter().map(|s| format!("{:?}", s.as_str().unwrap())).collect();
    format!("[{}]", items.join(","))
}
