//! Write: where finished files go. A `Sink` takes each `Output` as soon as it is rendered,
//! from any thread, so a build never has to hold the whole site in memory.
//!
//! `DiskSink` stages a whole new site and swaps it in for the old one in `commit`, after
//! every page rendered: the live folder is always the old site or the new one, byte for
//! byte. Files whose bytes did not change keep their times; files Gazette did not write
//! are never removed. Build state (lock, record, stamp) lives beside the output, never in
//! it (`state`). `MemorySink` keeps outputs for `check` and tests.

mod disk;
mod state;
mod swap;

use std::sync::Mutex;

pub use disk::{DiskSink, WriteStats};
pub use state::{stamp_path, state_dir, OutputFolder};

use crate::diag::Diagnostic;

/// One file of the site: a site-relative path with `/` separators, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Somewhere finished files go; called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> Result<(), Diagnostic>;
}

/// Keeps every output in memory.
#[derive(Debug, Default)]
pub struct MemorySink(Mutex<Vec<Output>>);

impl MemorySink {
    pub fn into_outputs(self) -> Vec<Output> {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, output: Output) -> Result<(), Diagnostic> {
        match self.0.lock() {
            Ok(mut v) => v.push(output),
            Err(poisoned) => poisoned.into_inner().push(output),
        }
        Ok(())
    }
}
