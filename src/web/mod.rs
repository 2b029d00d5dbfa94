//! The browser side of the core (wasm32 only): the extension API bindings and the background's message
//! handler. Everything decided here is decided by the pure modules; this layer only moves data. The
//! allocator is Rust's standard one for wasm32 (dlmalloc): see BENCHMARKS.md for what it costs.

mod background;
mod browser;
