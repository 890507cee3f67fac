//! The URL history: every address an article has been published at, kept beside site.yaml
//! in `url-history.txt`, a small file meant to be committed. When an article's slug, date
//! or section changes, its old address becomes a redirect to the new one, on every later
//! build, from a fresh clone too: links already shared never break.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::Site;

pub const FILE: &str = "url-history.txt";

const HEADER: &str = "# Addresses Gazette has published, one per line: page<TAB>article file.\n\
# `gazette build` adds to it; keep it in version control so moved stories keep redirecting.\n";

/// (page folder, source file) pairs, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History(pub Vec<(String, PathBuf)>);

/// The history beside site.yaml; none when there is no file yet. Lines it cannot read are
/// skipped: a hand edit gone wrong costs a redirect, never a build.
pub fn read(root: &Path) -> History {
    let text = std::fs::read_to_string(root.join(FILE)).unwrap_or_default();
    History(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(page, source)| (page.to_string(), PathBuf::from(source)))
            .collect(),
    )
}

/// Adds the addresses this build published; writes the file only when something is new.
pub fn record(root: &Path, site: &Site) -> Result<(), Diagnostic> {
    let History(mut entries) = read(root);
    let known: HashSet<(&str, &Path)> = (entries.iter())
        .map(|(page, source)| (page.as_str(), source.as_path()))
        .collect();
    let new: Vec<(String, PathBuf)> = (site.articles.iter())
        .filter(|a| !known.contains(&(a.path.as_str(), a.source.as_path())))
        .map(|a| (a.path.clone(), a.source.clone()))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    entries.extend(new);
    let mut text = String::from(HEADER);
    for (page, source) in &entries {
        text.push_str(&format!("{page}\t{}\n", source.display()));
    }
    crate::write::replace_file(&root.join(FILE), text.as_bytes()).map_err(|e| {
        Diagnostic::error(FILE, msg!("history.cannot_write", error = &e))
            .with_hint(msg!("history.cannot_write.hint"))
    })
}
