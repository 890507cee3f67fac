//! Refusing output folders that would destroy the user's own files.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Message};

/// The output may not be the site root, `/`, a folder that contains the site, or any of
/// the site's source folders (or inside one).
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: Message| {
        Diagnostic::error(output, msg!("output.refuse", why = why))
            .with_hint(msg!("output.refuse.hint"))
    };
    if out.parent().is_none() {
        return Err(refuse(msg!("output.refuse.root")));
    }
    if root.starts_with(&out) {
        return Err(refuse(msg!("output.refuse.contains_site")));
    }
    for source in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(source)) {
            return Err(refuse(msg!("output.refuse.inside", folder = source)));
        }
    }
    Ok(())
}

/// An absolute, lexically normal path (the folder may not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    crate::markdown::normalize_path(&abs)
}
