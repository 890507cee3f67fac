//! One integration-test binary: each module runs the real `gazette` binary or pipeline on
//! small sites in temporary folders and reads what comes out.

// Without the browser tests, some helpers they share with other tests go unused.
#![cfg_attr(not(feature = "browser-tests"), allow(dead_code, unused_imports))]

mod bad_input;
#[cfg(feature = "browser-tests")]
mod browser;
mod build;
mod deploy;
mod docs;
mod editor;
mod equivalence;
mod errors;
mod fixture;
mod languages;
#[cfg(feature = "browser-tests")]
mod live_reload;
mod load;
mod messages;
mod model;
mod photos;
mod pinyin;
mod publishing;
mod redirects;
mod refusals;
mod search;
mod security;
mod serve;
mod takedowns;
mod theme;
mod url_space;
mod validate;
