//! The output folder on disk, replaced as a whole when a build commits.
//!
//! Every build writes a complete site into a staging folder (in the state folder beside
//! the output): changed files are written, unchanged ones hard-linked from the live site
//! so their times stay, and files Gazette did not write (`.git/`, `CNAME`, `.well-known/`)
//! carried over the same way. `commit` then swaps the staging folder in (see `swap`).

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use walkdir::WalkDir;

use super::state::{io_err, OutputFolder, LEGACY_MARKER};
use super::swap::{swap_in, Swapped};
use super::{Output, Sink};
use crate::diag::Diagnostic;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Stages a whole new site; `commit` puts it in place of the old one.
pub struct DiskSink {
    folder: OutputFolder,
    /// What earlier builds wrote: the only files this one may leave out.
    written_before: HashSet<String>,
    /// Every path this build produced.
    produced: Mutex<Vec<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    done: bool,
}

impl DiskSink {
    /// Prepares to stage a site for `folder`; refuses a folder holding other people's
    /// files that no Gazette build made.
    pub fn begin(folder: OutputFolder) -> Result<DiskSink, Diagnostic> {
        let written_before = folder.written_before()?;
        let staging = folder.staging();
        std::fs::create_dir(&staging).map_err(|e| io_err("write.create_staging", &staging, e))?;
        Ok(DiskSink {
            folder,
            written_before,
            produced: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            done: false,
        })
    }

    /// Carries over the files Gazette did not write, swaps the new site in, and records
    /// what was written and the stamp for the next no-op check.
    pub fn commit(mut self, stamp_text: &str) -> Result<WriteStats, Diagnostic> {
        self.done = true;
        let produced: HashSet<String> = take(&self.produced).into_iter().collect();
        let staging = self.folder.staging();
        let dir = self.folder.dir.clone();
        if dir.exists() {
            carry_over(&dir, &staging, |rel| {
                !self.written_before.contains(rel) && !produced.contains(rel)
            })?;
        }
        let removed = self
            .written_before
            .iter()
            .filter(|p| !produced.contains(*p) && dir.join(p).is_file())
            .count();
        // Until the swap is done either site may be live, so the record names both: a
        // kill in between must not make Gazette's own files look like someone else's.
        let both: HashSet<String> = self.written_before.union(&produced).cloned().collect();
        self.folder.record(&both)?;
        let how = swap_in(&staging, &dir, &self.folder.old())?;
        let after = |d: Diagnostic| {
            let hint = match d.hint.clone() {
                Some(h) => msg!("write.in_place_then.hint", dir = dir.display(), hint = *h),
                None => msg!("write.in_place.hint", dir = dir.display()),
            };
            d.with_hint(hint)
        };
        self.folder.record(&produced).map_err(after)?;
        self.folder.write_stamp(stamp_text).map_err(after)?;
        let old = match how {
            Swapped::Exchanged => Some(staging),
            Swapped::MovedAside => Some(self.folder.old()),
            Swapped::Placed => None,
        };
        if let Some(old) = old {
            // Left over only if this fails; the next build clears it.
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(WriteStats {
            written: self.written.load(Ordering::SeqCst),
            unchanged: self.unchanged.load(Ordering::SeqCst),
            removed,
        })
    }
}

impl Drop for DiskSink {
    /// An uncommitted build (an error, a panic) leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(self.folder.staging());
        }
    }
}

fn take(m: &Mutex<Vec<String>>) -> Vec<String> {
    std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner()))
}

impl Sink for DiskSink {
    fn put(&self, output: Output) -> Result<(), Diagnostic> {
        let to = self.folder.staging().join(&output.path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("write.create", parent, e))?;
        }
        let live = self.folder.dir.join(&output.path);
        if same_bytes(&live, &output.bytes) && link_or_copy(&live, &to).is_ok() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            std::fs::write(&to, &output.bytes).map_err(|e| io_err("io.cannot_write", &to, e))?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        self.produced
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(output.path);
        Ok(())
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// A hard link keeps the file's time and costs no space; a copy where links are refused.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}

/// Brings into `staging` every file of the live site that `keep` picks (files Gazette did
/// not write), with its folders and links, so the swap does not lose them.
fn carry_over(dir: &Path, staging: &Path, keep: impl Fn(&str) -> bool) -> Result<(), Diagnostic> {
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let file_type = entry.file_type();
        if file_type.is_dir() || rel_text == LEGACY_MARKER || !keep(&rel_text) {
            continue;
        }
        let to = staging.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("write.create", parent, e))?;
        }
        let result = if file_type.is_symlink() {
            copy_link(entry.path(), &to)
        } else {
            link_or_copy(entry.path(), &to)
        };
        result.map_err(|e| io_err("write.carry_over", entry.path(), e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to).map(|_| ())
}
