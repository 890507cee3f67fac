//! One integration-test binary: each module runs the real `gazette` binary or pipeline on
//! small sites in temporary folders and reads what comes out.

mod build;
mod errors;
mod fixture;
mod serve;
