//! Finding article files under `content/`: `.md` files and bundles (`NAME/index.md`
//! whose sibling files, photos mostly, travel with the page).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::CONTENT_DIR;
use crate::diag::Diagnostic;

/// An article file, paths relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    /// e.g. `content/2022/08/jinmangguo/index.md`.
    pub path: PathBuf,
    /// For a bundle: the other files of its folder (and below), relative to the site root.
    pub assets: Vec<PathBuf>,
    pub is_bundle: bool,
}

/// Editor swap, backup and lock files, and hidden files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913" // vim's write-permission probe
}

/// Lists article files in a stable order, with bundle assets attached.
pub fn walk_content(root: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    walk_under(root, Path::new(CONTENT_DIR))
}

/// `walk_content` limited to one folder inside `content/` (`serve` after a change there).
pub fn walk_under(root: &Path, folder: &Path) -> (Vec<ContentFile>, Vec<Diagnostic>) {
    let content = root.join(folder);
    let mut diags = Vec::new();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, msg!("walk.no_content"))
                .with_hint(msg!("walk.no_content.hint")),
        );
        return (Vec::new(), diags);
    }
    let whole = root.join(CONTENT_DIR);
    let content_real = std::fs::canonicalize(&whole).unwrap_or(whole);
    let mut md: Vec<PathBuf> = Vec::new();
    let mut others: Vec<PathBuf> = Vec::new();
    let mut walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let msg = if e.loop_ancestor().is_some() {
                    msg!("walk.link_loop")
                } else {
                    msg!(
                        "io.cannot_read",
                        error = e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                diags.push(Diagnostic::error(path, msg).with_hint(msg!("walk.link.hint")));
                continue;
            }
        };
        let path = rel(root, entry.path());
        // A link, to a file or to a folder, may only lead to somewhere inside content/:
        // a folder link to `../../.git` would otherwise publish the repository's secrets.
        if entry.path_is_symlink() && !leads_inside(entry.path(), &content_real) {
            let hint = if entry.file_type().is_dir() {
                msg!("walk.link_outside.folder_hint")
            } else {
                msg!("walk.link_outside.hint")
            };
            diags.push(Diagnostic::error(&path, msg!("walk.link_outside")).with_hint(hint));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            md.push(path);
        } else {
            others.push(path);
        }
    }
    let bundle_dirs: Vec<PathBuf> = md
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let files = md
        .into_iter()
        .map(|path| {
            let is_bundle = path.file_name().is_some_and(|n| n == "index.md");
            let assets = if is_bundle {
                let dir = path.parent().unwrap_or(Path::new(""));
                // An asset belongs to the nearest bundle above it.
                others
                    .iter()
                    .filter(|o| o.starts_with(dir))
                    .filter(|o| nearest_bundle(o, &bundle_dirs) == Some(dir))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            ContentFile {
                path,
                assets,
                is_bundle,
            }
        })
        .collect();
    (files, diags)
}

/// The bundle a file under `content/` belongs to: the nearest folder above it that holds
/// an `index.md`, as it is on disk now (site-relative paths).
pub fn bundle_of<'p>(root: &Path, file: &'p Path) -> Option<&'p Path> {
    file.ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(CONTENT_DIR))
        .find(|dir| root.join(dir).join("index.md").is_file())
}

fn leads_inside(link: &Path, content_real: &Path) -> bool {
    std::fs::canonicalize(link).is_ok_and(|real| real.starts_with(content_real))
}

fn nearest_bundle<'a>(file: &Path, bundles: &'a [PathBuf]) -> Option<&'a Path> {
    bundles
        .iter()
        .filter(|b| file.starts_with(b))
        .max_by_key(|b| b.components().count())
        .map(PathBuf::as_path)
}

fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
