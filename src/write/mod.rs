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

use std::path::Path;
use std::sync::Mutex;

pub use disk::{DiskSink, WriteStats};
pub use state::{state_dir, OutputFolder};

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

/// Writes a whole file or none: `bytes` go to a temporary file beside `path` (named for
/// this process, so two processes never share one), which is then renamed over it. A
/// reader, or the next build after a crash, sees the old file or the new one.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(format!(".{name}.{}.gazette-tmp", std::process::id()));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Somewhere finished files go; called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> Result<(), Diagnostic>;

    /// Takes the file at `path` as the live site has it; `false` when this sink keeps no
    /// site, or the file is not there or changed since that site was made, and it must
    /// be made.
    fn keep(&self, _path: &str) -> bool {
        false
    }
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
