//! `gazette theme export [DIR]`: the built-in theme's templates and static files, written
//! into the site so its web person can change them. The site's copy then takes the
//! built-in one's place (`themes/bulletin/` is where `theme: bulletin` is looked for first).

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::render::theme::{builtin_files, BUILTIN_NAME};

/// Where the theme goes when no folder is given, relative to the site.
pub fn default_folder() -> PathBuf {
    Path::new("themes").join(BUILTIN_NAME)
}

/// Writes every file of the built-in theme under `dest`; refuses, writing nothing, when
/// any of them exists already (someone's edits would be lost). Returns the files written.
pub fn export(dest: &Path, shown: &Path) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let files = builtin_files();
    let taken: Vec<Diagnostic> = files
        .iter()
        .filter(|(rel, _)| dest.join(rel).exists())
        .map(|(rel, _)| {
            Diagnostic::error(shown.join(rel), msg!("theme.file_exists"))
                .with_hint(msg!("theme.file_exists.hint"))
        })
        .collect();
    if !taken.is_empty() {
        return Err(taken);
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, bytes) in files {
        let path = dest.join(&rel);
        let io = |e: std::io::Error| {
            vec![Diagnostic::error(
                shown.join(&rel),
                msg!("io.cannot_write", error = &e),
            )]
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
        written.push(shown.join(rel));
    }
    Ok(written)
}
