//! Hand-written JSON codecs over `serde_json::Value`, for the wire and storage shapes.
//!
//! The browser build avoids serde's generic (de)serialisation machinery and serde_json's parser and
//! float formatting, which would be most of the WebAssembly: values are built and read here, and
//! converted to and from JS values in `web::browser`. Strictness of message decoding comes from
//! `Message::decode` comparing the value with the canonical encoding of what was read.

use serde_json::{Map, Value};

pub trait ToJson {
    fn to_json(&self) -> Value;
}

/// Lenient reading of one value: `None` when the type does not fit.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Option<Self>;
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}
impl FromJson for String {
    fn from_json(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_string)
    }
}
impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}
impl FromJson for bool {
    fn from_json(v: &Value) -> Option<Self> {
        v.as_bool()
    }
}
impl ToJson for f64 {
    /// Like serde_json: a non-finite number becomes `null`.
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}
impl FromJson for f64 {
    fn from_json(v: &Value) -> Option<Self> {
        v.as_f64()
    }
}
impl ToJson for usize {
    fn to_json(&self) -> Value {
        Value::from(*self as u64)
    }
}
impl FromJson for usize {
    fn from_json(v: &Value) -> Option<Self> {
        v.as_u64().and_then(|n| usize::try_from(n).ok())
    }
}
impl FromJson for u32 {
    fn from_json(v: &Value) -> Option<Self> {
        v.as_u64().and_then(|n| u32::try_from(n).ok())
    }
}
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value) -> Option<Self> {
        if v.is_null() {
            Some(None)
        } else {
            T::from_json(v).map(Some)
        }
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        let mut out = Vec::with_capacity(self.len());
        for x in self {
            out.push(x.to_json());
        }
        Value::Array(out)
    }
}
// A plain loop rather than `collect()`: collecting through `Option` adds an adapter per type, sizeable
// in the WebAssembly (and collecting into a map sorts).
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Option<Self> {
        let a = v.as_array()?;
        let mut out = Vec::with_capacity(a.len());
        for x in a {
            out.push(T::from_json(x)?);
        }
        Some(out)
    }
}

/// An object from `(key, value)` pairs (the values are taken out of the slice).
#[inline(never)]
pub fn object(fields: &mut [(&str, Value)]) -> Value {
    let mut map = Map::new();
    for (k, v) in fields {
        map.insert(k.to_string(), std::mem::take(v));
    }
    Value::Object(map)
}

/// A stand-in for a field that could not be read; the reader is marked failed, so it is never used.
pub trait Placeholder {
    fn placeholder() -> Self;
}
impl<T: Default> Placeholder for T {
    fn placeholder() -> Self {
        T::default()
    }
}

/// Reads the fields of an object.
pub struct Fields<'a>(pub &'a Map<String, Value>, std::cell::Cell<bool>);

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value) -> Option<Fields<'a>> {
        v.as_object().map(|m| Fields(m, std::cell::Cell::new(true)))
    }
    /// A field, or a placeholder and the reader marked failed: building a struct from `read`s has one
    /// failure check at the end ([`Fields::done`]) instead of a cleanup path per field.
    pub fn read<T: FromJson + Placeholder>(&self, key: &str) -> T {
        match self.get(key) {
            Some(t) => t,
            None => {
                self.1.set(false);
                T::placeholder()
            }
        }
    }
    /// `value` when every `read` succeeded.
    pub fn done<T>(&self, value: T) -> Option<T> {
        self.1.get().then_some(value)
    }
    /// A field; a missing one reads as `null` (so a missing `Option` is `None`).
    pub fn get<T: FromJson>(&self, key: &str) -> Option<T> {
        T::from_json(self.0.get(key).unwrap_or(&Value::Null))
    }
    /// Every key is one of `known`.
    pub fn only(&self, known: &[&str]) -> bool {
        self.0.keys().all(|k| known.contains(&k.as_str()))
    }
}

/// `ToJson`, `FromJson` and `as_str` for a fieldless enum written as snake_case words.
#[macro_export]
macro_rules! json_words {
    ($ty:ty { $($variant:ident => $word:literal),* $(,)? }) => {
        impl $ty {
            /// The word used on the wire and in storage.
            pub fn word(self) -> &'static str {
                match self { $(<$ty>::$variant => $word),* }
            }
        }
        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::String(self.word().to_string())
            }
        }
        impl $crate::json::FromJson for $ty {
            fn from_json(v: &serde_json::Value) -> Option<Self> {
                match v.as_str()? { $($word => Some(<$ty>::$variant),)* _ => None }
            }
        }
    };
    // With `placeholder`: the variant standing in for an unreadable field (see `Fields::read`).
    ($ty:ty { $($variant:ident => $word:literal),* $(,)? } placeholder $ph:ident) => {
        $crate::json_words!($ty { $($variant => $word),* });
        impl $crate::json::Placeholder for $ty {
            fn placeholder() -> Self {
                <$ty>::$ph
            }
        }
    };
}

/// `ToJson` and `FromJson` for a struct, from one list of its fields; each field's key is its name. Reading
/// is all or nothing (see [`Fields::read`]); whether unknown keys are refused is the caller's business
/// (`Message::decode` compares with the canonical encoding).
#[macro_export]
macro_rules! json_struct {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> serde_json::Value {
                $crate::json::object(&mut [$((stringify!($field), $crate::json::ToJson::to_json(&self.$field))),*])
            }
        }
        impl $crate::json::FromJson for $ty {
            fn from_json(v: &serde_json::Value) -> Option<Self> {
                let f = $crate::json::Fields::of(v)?;
                f.done($ty { $($field: f.read(stringify!($field))),* })
            }
        }
    };
}
