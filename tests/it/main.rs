//! One integration-test binary: each module runs the real `gazette` binary or pipeline on
//! small sites in temporary folders and reads what comes out.

mod bad_input;
mod browser;
mod build;
mod docs;
mod editor;
mod errors;
mod fixture;
mod live_reload;
mod load;
mod messages;
mod pinyin;
mod publishing;
mod search;
mod serve;
mod theme;
