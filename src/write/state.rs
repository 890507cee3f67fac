//! Build state, kept beside the output folder and never inside it (whatever is inside gets
//! uploaded): `.NAME.gazette/` next to `NAME/` holds the lock, the record of the files the
//! last build wrote, the no-op stamp, the staging folder of a build in progress, and the
//! site the last build replaced until the next build removes it.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Message};

/// The marker earlier versions kept inside the output folder (and so published). Read
/// once to adopt such a folder, then left out of the new site.
pub const LEGACY_MARKER: &str = ".gazette-output";

const RECORD: &str = "written";
const STAMP: &str = "stamp";
const LOCK: &str = "lock";
const STAGING: &str = "staging";
const OLD: &str = "old";
const PREVIOUS: &str = "previous";
const PAGES: &str = "pages.json";

/// An output folder held for one build: the lock is released when this is dropped.
#[derive(Debug)]
pub struct OutputFolder {
    /// The output folder itself (its real path, when it is a link).
    pub dir: PathBuf,
    pub state: PathBuf,
    _lock: File,
}

/// The state folder of an output folder: `.NAME.gazette` beside it.
pub fn state_dir(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.gazette"))
}

/// An output folder that is a link stays a link: the site goes where it points.
fn real_output(output: &Path) -> PathBuf {
    std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf())
}

/// An I/O error as the message `id` (which has an `{error}` slot) at `path`.
pub fn io_err(id: &'static str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, Message::new(id).arg("error", &e)).with_hint(msg!("write.failed.hint"))
}

impl OutputFolder {
    /// Takes the build lock for `output` and clears what killed builds left behind. A
    /// second build into the same folder stops here with a clear message.
    pub fn open(output: &Path) -> Result<OutputFolder, Diagnostic> {
        let dir = real_output(output);
        let state = state_dir(&dir);
        std::fs::create_dir_all(&state).map_err(|e| io_err("write.create_state", &state, e))?;
        let lock_path = state.join(LOCK);
        let lock =
            File::create(&lock_path).map_err(|e| io_err("write.create_lock", &lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Diagnostic::error(output, msg!("write.locked"))
                    .with_hint(msg!("write.locked.hint")));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io_err("write.lock", &lock_path, e));
            }
        }
        let folder = OutputFolder {
            dir,
            state,
            _lock: lock,
        };
        folder.clear_leftovers()?;
        Ok(folder)
    }

    /// Staging and old-site folders of builds that were killed; never part of the site.
    fn clear_leftovers(&self) -> Result<(), Diagnostic> {
        let legacy_staging = match self.dir.file_name() {
            Some(name) => state_dir(&self.dir)
                .with_file_name(format!(".{}.gazette-staging", name.to_string_lossy())),
            None => self.state.join(STAGING),
        };
        for leftover in [self.staging(), self.old(), legacy_staging] {
            if leftover.exists() {
                std::fs::remove_dir_all(&leftover)
                    .map_err(|e| io_err("write.clear_staging", &leftover, e))?;
            }
        }
        Ok(())
    }

    pub fn staging(&self) -> PathBuf {
        self.state.join(STAGING)
    }

    /// Where the previous site goes when the swap cannot be done in one step.
    pub fn old(&self) -> PathBuf {
        self.state.join(OLD)
    }

    /// The site the last build replaced (hard links to the files both share), left for
    /// the next build to remove while it renders.
    pub fn previous(&self) -> PathBuf {
        self.state.join(PREVIOUS)
    }

    pub fn stamp(&self) -> PathBuf {
        self.state.join(STAMP)
    }

    /// The files earlier builds wrote (site-relative, `/`-separated): the only files a
    /// build may remove. `Err` for a folder with other people's files and no record.
    pub fn written_before(&self) -> Result<HashSet<String>, Diagnostic> {
        if let Ok(text) = std::fs::read_to_string(self.state.join(RECORD)) {
            return Ok(text.lines().map(str::to_string).collect());
        }
        if !self.dir.exists() {
            return Ok(HashSet::new());
        }
        if self.dir.join(LEGACY_MARKER).is_file() {
            // Made by an earlier version, which removed everything it had not written:
            // every file there is Gazette's, except hidden ones and a host's CNAME.
            let mut record: HashSet<String> = files_under(&self.dir)
                .into_iter()
                .filter(|p| !is_hosts_own(p))
                .collect();
            record.insert(LEGACY_MARKER.to_string());
            return Ok(record);
        }
        let entries =
            std::fs::read_dir(&self.dir).map_err(|e| io_err("write.read_output", &self.dir, e))?;
        let only_hosts_files = entries
            .filter_map(Result::ok)
            .all(|e| is_hosts_own(&e.file_name().to_string_lossy()));
        if only_hosts_files {
            return Ok(HashSet::new());
        }
        Err(Diagnostic::error(&self.dir, msg!("write.not_ours"))
            .with_hint(msg!("write.not_ours.hint")))
    }

    /// Writes the record of written files, replacing the old one in one step.
    pub fn record(&self, written: &HashSet<String>) -> Result<(), Diagnostic> {
        let mut lines: Vec<&str> = written.iter().map(String::as_str).collect();
        lines.sort_unstable();
        let mut text = lines.join("\n");
        text.push('\n');
        self.replace(RECORD, text.as_bytes())
    }

    pub fn write_stamp(&self, text: &str) -> Result<(), Diagnostic> {
        self.replace(STAMP, text.as_bytes())
    }

    /// What each page of the live site was made from (see `pipeline::page_record`).
    pub fn pages(&self) -> PathBuf {
        self.state.join(PAGES)
    }

    /// When the record of pages was written, just after its site went live.
    pub fn pages_written(&self) -> Option<SystemTime> {
        std::fs::metadata(self.pages())
            .and_then(|m| m.modified())
            .ok()
    }

    pub fn write_pages(&self, record: &[u8]) -> Result<(), Diagnostic> {
        self.replace(PAGES, record)
    }

    pub fn forget_pages(&self) -> Result<(), Diagnostic> {
        let path = self.pages();
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(io_err("io.cannot_write", &path, e))
            }
            _ => Ok(()),
        }
    }

    fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.state.join(name);
        super::replace_file(&path, bytes).map_err(|e| io_err("io.cannot_write", &path, e))
    }
}

/// Files a host or its tools keep in a site folder (`.git/`, `.nojekyll`, `.well-known/`,
/// `CNAME`): Gazette never writes such names, so a folder holding only them is free to use.
fn is_hosts_own(rel: &str) -> bool {
    rel == "CNAME" || rel.split('/').any(|part| part.starts_with('.'))
}

/// Every file under `dir`, site-relative with `/` separators.
pub fn files_under(dir: &Path) -> Vec<String> {
    WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}
