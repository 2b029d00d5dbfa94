//! The browser side of the core (wasm32 only): thin bindings, the background's message handler and the
//! popup. Everything decided here is decided by the pure modules; this layer only moves data.

mod alloc;
mod background;
mod browser;
