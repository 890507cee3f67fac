//! Gazette: a static-site generator for local news bulletins, Chinese first.
//!
//! Stages, each its own module: `load` → `validate` → `model` → `render`/`outputs` →
//! `write`; `pipeline` is the only place that knows their order; `serve` sits beside it.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

/// `msg!("id", name = value, …)`: a `diag::Message` with named arguments. Defined before
/// the modules so every one of them can use it.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::diag::Message::new($id)$(.arg(stringify!($name), $value))*
    };
}

pub mod cli;
pub mod config;
pub mod deploy;
pub mod diag;
pub mod i18n;
pub mod images;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outputs;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod text;
pub mod url_space;
pub mod validate;
pub mod write;
