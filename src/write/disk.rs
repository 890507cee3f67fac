//! Writing outputs into the output folder, touching only what changed.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::Output;
use crate::diag::Diagnostic;

/// A file Gazette leaves in folders it owns, so it never clears someone else's folder.
pub const MARKER: &str = ".gazette-output";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Makes `dir` hold exactly `outputs`. Refuses a non-empty folder without our marker.
pub fn write_site(dir: &Path, outputs: &[Output]) -> Result<WriteStats, Diagnostic> {
    let shown = dir.to_path_buf();
    let io_err = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(path, format!("{what}: {e}"))
            .with_hint("check that the output folder is writable and the disk has space; the previous site was left as it was")
    };
    if dir.exists() {
        let owned = dir.join(MARKER).is_file();
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io_err("cannot read the output folder", &shown, e))?
            .next()
            .is_none();
        if !owned && !empty {
            return Err(Diagnostic::error(&shown, "the output folder is not empty and was not made by Gazette")
                .with_hint("choose an empty or new folder with --output, or move its files away; Gazette will not delete files it did not write"));
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| io_err("cannot create the output folder", &shown, e))?;
    let marker = dir.join(MARKER);
    if !marker.is_file() {
        std::fs::write(
            &marker,
            b"This folder is written by Gazette; files not produced by the build are removed.\n",
        )
        .map_err(|e| io_err("cannot write", &marker, e))?;
    }

    let results: Vec<Result<bool, Diagnostic>> = outputs
        .par_iter()
        .map(|o| {
            let path = dir.join(&o.path);
            write_if_changed(&path, &o.bytes).map_err(|e| io_err("cannot write", &path, e))
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    stats.removed = remove_stale(dir, outputs);
    Ok(stats)
}

/// Writes through a sibling temporary file and a rename; skips identical content.
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() == bytes.len() as u64 && std::fs::read(path)? == bytes {
            return Ok(false);
        }
        if meta.is_dir() {
            std::fs::remove_dir_all(path)?;
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = temp_name(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|_| true)
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.gazette-tmp"))
}

/// Removes files (and then empty folders) that this build did not produce.
fn remove_stale(dir: &Path, outputs: &[Output]) -> usize {
    let keep: HashSet<PathBuf> = outputs.iter().map(|o| dir.join(&o.path)).collect();
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
