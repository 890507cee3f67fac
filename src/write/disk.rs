//! The output folder on disk, changed only when a build commits.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use walkdir::WalkDir;

use super::{Output, Sink};
use crate::diag::{Diagnostic, Message};

/// A file Gazette leaves in folders it owns, so it never clears someone else's folder.
pub const MARKER: &str = ".gazette-output";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Writes changed files into a staging folder beside the output; `commit` moves them in.
pub struct DiskSink {
    dir: PathBuf,
    staging: PathBuf,
    /// The output folder is new or empty: the staging folder simply becomes it.
    fresh: bool,
    /// Every path this build produced, changed or not (what stale-file removal keeps).
    produced: Mutex<Vec<String>>,
    /// Paths written into staging.
    changed: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
    done: bool,
}

fn io_err(what: &'static str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, Message::new(what).arg("error", &e))
        .with_hint(msg!("write.failed.hint"))
}

impl DiskSink {
    /// Prepares to write the site into `dir`; refuses a non-empty folder without our marker.
    pub fn begin(dir: &Path) -> Result<DiskSink, Diagnostic> {
        let mut fresh = true;
        if dir.exists() {
            let owned = dir.join(MARKER).is_file();
            let empty = std::fs::read_dir(dir)
                .map_err(|e| io_err("write.read_output", dir, e))?
                .next()
                .is_none();
            if !owned && !empty {
                return Err(Diagnostic::error(dir, msg!("write.not_ours"))
                    .with_hint(msg!("write.not_ours.hint")));
            }
            fresh = empty;
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io_err("write.create_parent", parent, e))?;
        let staging = parent.join(format!(".{name}.gazette-staging"));
        if staging.exists() {
            // Left by a build that was killed: it was never part of the site.
            std::fs::remove_dir_all(&staging)
                .map_err(|e| io_err("write.clear_staging", &staging, e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| io_err("write.create_staging", &staging, e))?;
        Ok(DiskSink {
            dir: dir.to_path_buf(),
            staging,
            fresh,
            produced: Mutex::new(Vec::new()),
            changed: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            done: false,
        })
    }

    /// Moves the staged files into the output folder, removes stale ones, and leaves
    /// `marker_text` (which records what was built) in the marker file.
    pub fn commit(mut self, marker_text: &str) -> Result<WriteStats, Diagnostic> {
        self.done = true;
        let changed = take(&self.changed);
        let produced = take(&self.produced);
        let mut stats = WriteStats {
            written: changed.len(),
            unchanged: self.unchanged.load(Ordering::SeqCst),
            removed: 0,
        };
        if self.fresh {
            std::fs::write(self.staging.join(MARKER), marker_text)
                .map_err(|e| io_err("io.cannot_write", &self.staging, e))?;
            if self.dir.exists() {
                std::fs::remove_dir(&self.dir)
                    .map_err(|e| io_err("write.replace_empty", &self.dir, e))?;
            }
            std::fs::rename(&self.staging, &self.dir)
                .map_err(|e| io_err("write.move_into_place", &self.dir, e))?;
            return Ok(stats);
        }
        for path in &changed {
            let from = self.staging.join(path);
            let to = self.dir.join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_err("write.create", parent, e))?;
            }
            if to.is_dir() {
                std::fs::remove_dir_all(&to).map_err(|e| io_err("write.replace", &to, e))?;
            }
            // A rename replaces the old file in one step: no reader sees half a page.
            std::fs::rename(&from, &to).map_err(|e| io_err("io.cannot_write", &to, e))?;
        }
        stats.removed = remove_stale(&self.dir, &produced);
        let marker = self.staging.join(MARKER);
        std::fs::write(&marker, marker_text).map_err(|e| io_err("io.cannot_write", &marker, e))?;
        std::fs::rename(&marker, self.dir.join(MARKER))
            .map_err(|e| io_err("io.cannot_write", &self.dir, e))?;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(stats)
    }
}

impl Drop for DiskSink {
    /// An uncommitted build (an error, a panic) leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

fn take(m: &Mutex<Vec<String>>) -> Vec<String> {
    std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner()))
}

fn push(m: &Mutex<Vec<String>>, s: String) {
    m.lock().unwrap_or_else(|p| p.into_inner()).push(s);
}

impl Sink for DiskSink {
    fn put(&self, output: Output) -> Result<(), Diagnostic> {
        if !self.fresh && same_bytes(&self.dir.join(&output.path), &output.bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            push(&self.produced, output.path);
            return Ok(());
        }
        let path = self.staging.join(&output.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("write.create", parent, e))?;
        }
        std::fs::write(&path, &output.bytes).map_err(|e| io_err("io.cannot_write", &path, e))?;
        push(&self.produced, output.path.clone());
        push(&self.changed, output.path);
        Ok(())
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Removes files (and then empty folders) that this build did not produce.
fn remove_stale(dir: &Path, produced: &[String]) -> usize {
    let keep: HashSet<PathBuf> = produced.iter().map(|p| dir.join(p)).collect();
    let marker = dir.join(MARKER);
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(p.to_path_buf());
        } else if p != marker && !keep.contains(p) && std::fs::remove_file(p).is_ok() {
            removed += 1;
        }
    }
    // Deepest first, so parents empty out after their children.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(d); // fails, harmlessly, when not empty
    }
    removed
}
