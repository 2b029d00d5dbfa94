//! Compiles `src/rules/meta.json` into a static tree (`$OUT_DIR/meta.rs`, read by `src/rules/mod.rs`), so
//! the core carries no JSON parser. The file stays the one place to edit; `cargo test` checks its keys.

use serde_json::Value;
use std::fmt::Write;

fn main() {
    let path = "src/rules/meta.json";
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    let mut out = String::new();
    emit(&value, &mut out);
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("meta.rs");
    std::fs::write(dest, out).unwrap();
}

fn emit(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("Data::Null"),
        Value::Bool(b) => write!(out, "Data::Bool({b})").unwrap(),
        Value::Number(n) => match n.as_u64() {
            Some(u) => write!(out, "Data::Int({u})").unwrap(),
            None => write!(out, "Data::Float({:?}f64)", n.as_f64().unwrap()).unwrap(),
        },
        Value::String(s) => write!(out, "Data::Str({s:?})").unwrap(),
        Value::Array(a) => {
            out.push_str("Data::Arr(&[");
            for x in a {
                emit(x, out);
                out.push(',');
            }
            out.push_str("])");
        }
        Value::Object(o) => {
            out.push_str("Data::Obj(&[");
            for (k, x) in o {
                write!(out, "({k:?}, ").unwrap();
                emit(x, out);
                out.push_str("),");
            }
            out.push_str("])");
        }
    }
}
