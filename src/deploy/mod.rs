//! `gazette deploy`: the built site to where readers get it — a folder, or S3-compatible
//! object storage — uploading only files whose content changed.
//!
//! What the target holds is recorded on the target itself in `MANIFEST` (each published
//! path and its content hash; nothing that is not public already), so a deploy from a fresh
//! clone in CI still uploads only what changed. Files go up before the pages that use them,
//! stale ones are deleted last, and the manifest is saved as uploads go, so an interrupted
//! deploy picks up where it stopped.

mod store;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;
use xxhash_rust::xxh3::xxh3_128;

use crate::diag::Diagnostic;
use crate::url_space::content_type;
pub use store::Store;

/// The target's record of what it holds.
pub const MANIFEST: &str = ".gazette-deploy.json";

/// How many uploads go between two saves of the manifest.
const SAVE_EVERY: usize = 100;

/// What a deploy did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Report {
    pub uploaded: Vec<String>,
    pub deleted: Vec<String>,
    pub unchanged: usize,
}

/// Deploys the built site in `site_dir` to `target`.
pub fn deploy(site_dir: &Path, target: &str, dry_run: bool) -> Result<Report, Diagnostic> {
    let unreachable = |e: String| {
        Diagnostic::error(target, msg!("deploy.unreachable", error = e))
            .with_hint(msg!("deploy.unreachable.hint"))
    };
    if !site_dir.join("index.html").is_file() {
        return Err(Diagnostic::error(site_dir, msg!("deploy.no_site"))
            .with_hint(msg!("deploy.no_site.hint")));
    }
    let store = Store::open(target).map_err(unreachable)?;
    let files = local_files(site_dir)?;
    let mut held = match store.read(MANIFEST).map_err(unreachable)? {
        Some(bytes) => {
            serde_json::from_slice::<BTreeMap<String, String>>(&bytes).unwrap_or_default()
        }
        None => BTreeMap::new(),
    };
    let mut changed: Vec<&(String, PathBuf, String)> = files
        .iter()
        .filter(|(key, _, hash)| held.get(key) != Some(hash))
        .collect();
    // Photos, stylesheets and scripts before the pages and feeds that point at them.
    changed.sort_by(|(a, _, _), (b, _, _)| (is_page(a), a).cmp(&(is_page(b), b)));
    let built: HashSet<&str> = files.iter().map(|(key, _, _)| key.as_str()).collect();
    let gone: Vec<String> = (held.keys())
        .filter(|k| !built.contains(k.as_str()))
        .cloned()
        .collect();
    let mut report = Report {
        unchanged: files.len() - changed.len(),
        ..Report::default()
    };
    if dry_run {
        report.uploaded = changed.iter().map(|(k, _, _)| k.clone()).collect();
        report.deleted = gone;
        return Ok(report);
    }
    let failed = |key: &str, e: String| {
        Diagnostic::error(target, msg!("deploy.upload_failed", key = key, error = e))
            .with_hint(msg!("deploy.upload_failed.hint"))
    };
    let save = |held: &BTreeMap<String, String>| {
        let json = serde_json::to_vec_pretty(held).unwrap_or_default();
        store.put(MANIFEST, json, "application/json; charset=utf-8", NO_CACHE)
    };
    let stop_after = stop_after_for_tests();
    for (n, (key, path, hash)) in changed.into_iter().enumerate() {
        let uploaded = stop_at(n, stop_after).and_then(|()| {
            let bytes = std::fs::read(path).map_err(|e| failed(key, e.to_string()))?;
            store
                .put(key, bytes, content_type(key), cache_policy(key))
                .map_err(|e| failed(key, e))
        });
        if let Err(e) = uploaded {
            // What went up stays recorded, so the next run does not send it again.
            let _ = save(&held);
            return Err(e);
        }
        held.insert(key.clone(), hash.clone());
        report.uploaded.push(key.clone());
        if report.uploaded.len().is_multiple_of(SAVE_EVERY) {
            save(&held).map_err(|e| failed(MANIFEST, e))?;
        }
    }
    save(&held).map_err(|e| failed(MANIFEST, e))?;
    for key in gone {
        store.delete(&key).map_err(|e| failed(&key, e))?;
        held.remove(&key);
        report.deleted.push(key);
    }
    save(&held).map_err(|e| failed(MANIFEST, e))?;
    Ok(report)
}

/// Every file of the built site: its key (the `/`-separated relative path), its place on
/// disk, and its content hash.
fn local_files(site_dir: &Path) -> Result<Vec<(String, PathBuf, String)>, Diagnostic> {
    let mut out = Vec::new();
    for entry in WalkDir::new(site_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(site_dir, msg!("io.cannot_read", error = e.to_string()))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let key = crate::url_space::relative_key(entry.path(), site_dir);
        let bytes = std::fs::read(entry.path())
            .map_err(|e| Diagnostic::error(entry.path(), msg!("io.cannot_read", error = &e)))?;
        let hash = format!("{:032x}", xxh3_128(&bytes));
        out.push((key, entry.path().to_path_buf(), hash));
    }
    Ok(out)
}

/// Pages and feeds: what names the other files, so it goes last.
fn is_page(key: &str) -> bool {
    [".html", ".xml", ".json", ".txt"]
        .iter()
        .any(|e| key.ends_with(e))
}

const NO_CACHE: &str = "no-cache";

/// Pages, feeds and the search index change with every story: a few minutes. Stylesheets
/// and scripts are addressed with `?v=HASH`, so they can stay for a year; photos a day.
fn cache_policy(key: &str) -> &'static str {
    if is_page(key) || key.starts_with(crate::url_space::SEARCH_INDEX) {
        "public, max-age=300"
    } else if key.ends_with(".css") || key.ends_with(".js") {
        "public, max-age=31536000"
    } else {
        "public, max-age=86400"
    }
}

/// Tests stand in for an interrupted deploy (a lost connection, a killed job) by setting
/// `GAZETTE_DEPLOY_STOP_AFTER=N`: the deploy stops before its N+1st upload.
fn stop_after_for_tests() -> Option<usize> {
    std::env::var("GAZETTE_DEPLOY_STOP_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
}

fn stop_at(done: usize, limit: Option<usize>) -> Result<(), Diagnostic> {
    match limit {
        Some(n) if done >= n => Err(Diagnostic::error("deploy", msg!("deploy.stopped"))),
        _ => Ok(()),
    }
}
