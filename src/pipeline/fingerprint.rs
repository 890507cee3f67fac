//! The no-op rebuild: when nothing a build reads has changed since the last successful
//! build into the same folder, there is nothing to do.
//!
//! A fingerprint hashes this binary (its version, size and time), the build options, and
//! the path, size and modification time of every file the build reads. It is stored in
//! the build state beside the output folder (never in it: it would be published) with the
//! number of files written and the moment the result stops being valid (the next embargo
//! to lift). Files edited by hand inside the output are not noticed; a missing one is.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use jiff::Timestamp;
use walkdir::WalkDir;

use super::BuildOptions;
use crate::write::OutputFolder;

/// What the last build left in the marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub fingerprint: String,
    pub files: usize,
    /// The result is stale from this moment on (an embargo lifts); `None`: never.
    pub valid_until: Option<Timestamp>,
}

impl Stamp {
    pub fn to_text(&self) -> String {
        let until = self
            .valid_until
            .map_or("never".to_string(), |t| t.to_string());
        format!(
            "Gazette's build state for the folder beside this one; not part of the site.\nfingerprint: {}\nfiles: {}\nvalid-until: {until}\n",
            self.fingerprint, self.files
        )
    }

    pub fn read(path: &Path) -> Option<Stamp> {
        let text = std::fs::read_to_string(path).ok()?;
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
        };
        let valid_until = match field("valid-until: ")? {
            "never" => None,
            t => Some(t.parse().ok()?),
        };
        Some(Stamp {
            fingerprint: field("fingerprint: ")?.to_string(),
            files: field("files: ")?.parse().ok()?,
            valid_until,
        })
    }
}

/// Hashes everything a build of `opts` depends on.
pub fn fingerprint(opts: &BuildOptions) -> String {
    let mut h = DefaultHasher::new();
    binary_identity().hash(&mut h);
    (&opts.base_url, opts.drafts, opts.future, opts.asset_hashes).hash(&mut h);
    for part in [
        crate::config::FILE_NAME,
        "content",
        "templates",
        "static",
        "themes",
    ] {
        for entry in WalkDir::new(opts.root.join(part))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(meta) = entry.metadata() else { continue };
            entry.path().hash(&mut h);
            (meta.len(), nanos(&meta)).hash(&mut h);
        }
    }
    format!("{:016x}", h.finish())
}

/// This program: its version, and the size and time of its file, so that a binary rebuilt
/// with other code but the same version number does not take the last build as its own.
pub fn binary_identity() -> (&'static str, u64, u128) {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    let (len, mtime) = meta.map_or((0, 0), |m| (m.len(), nanos(&m)));
    (env!("CARGO_PKG_VERSION"), len, mtime)
}

fn nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default()
        .as_nanos()
}

/// Whether the output folder still holds exactly what a build with `fingerprint` made.
pub fn up_to_date(folder: &OutputFolder, fingerprint: &str, now: Timestamp) -> bool {
    let Some(stamp) = Stamp::read(&folder.stamp()) else {
        return false;
    };
    if stamp.fingerprint != fingerprint || stamp.valid_until.is_some_and(|t| now >= t) {
        return false;
    }
    // Files others add (a CNAME, `.git/`) are theirs; only Gazette's must all be there.
    let Ok(written) = folder.written_before() else {
        return false;
    };
    written.len() == stamp.files && written.iter().all(|p| folder.dir.join(p).is_file())
}
