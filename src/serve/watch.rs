//! Watching the site folder: which file-system events matter, decided by a pure function.
//!
//! Editors save in many ways — write in place, write a temp file and rename it over the old
//! one, keep swap and backup files beside it — so events are debounced (one burst, one
//! rebuild) and each path is classified on its own: content, everything else, or nothing.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::load::is_ignored_name;
use crate::pipeline::incremental::Change;

/// Long enough to gather the several events of one save (write, chmod, rename: editors
/// make them within a few milliseconds), short enough that the page follows the save
/// without a noticeable pause. It is most of the save-to-served time: at 80 ms the p50
/// was 116 ms on a 10,000-article site (`examples/save_to_served.rs`).
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// What one path's change means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A file or folder under `content/`, site-relative.
    Content(PathBuf),
    /// `site.yaml`, templates, themes or static files.
    Everything,
    Ignore,
}

/// Classifies a changed path (absolute or site-relative) under `root`; `output` is ignored.
pub fn classify(root: &Path, output: Option<&Path>, path: &Path) -> Kind {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if output.is_some_and(|o| path.starts_with(o) || rel.starts_with(o)) {
        return Kind::Ignore;
    }
    let names: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if names.is_empty() || names.iter().any(|n| is_ignored_name(n)) {
        return Kind::Ignore;
    }
    match names[0].as_str() {
        "content" => Kind::Content(rel.to_path_buf()),
        "templates" | "themes" | "static" => Kind::Everything,
        "site.yaml" if names.len() == 1 => Kind::Everything,
        _ => Kind::Ignore,
    }
}

/// Folds a burst of changed paths into the one change to apply.
pub fn to_change(
    root: &Path,
    output: Option<&Path>,
    paths: impl IntoIterator<Item = PathBuf>,
) -> Option<Change> {
    let mut content: Vec<PathBuf> = Vec::new();
    for p in paths {
        match classify(root, output, &p) {
            Kind::Everything => return Some(Change::Everything),
            Kind::Content(rel) if !content.contains(&rel) => content.push(rel),
            _ => {}
        }
    }
    (!content.is_empty()).then_some(Change::Content(content))
}

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches `root` recursively (so a deleted and recreated `content/` is still seen) and
/// sends every debounced burst of paths to `on_burst`.
pub fn watch(
    root: &Path,
    mut on_burst: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watcher> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reads are events too (inotify reports opens); our own rebuild reads every
            // template, so counting them would rebuild forever.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                on_burst(paths);
            }
        }
    })?;
    debouncer.watch(root, RecursiveMode::Recursive)?;
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_folder() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, Some(Path::new("/site/public")), Path::new(p));
        assert_eq!(
            c("/site/content/2022/a.md"),
            Kind::Content(PathBuf::from("content/2022/a.md"))
        );
        assert_eq!(c("/site/content"), Kind::Content(PathBuf::from("content")));
        assert_eq!(c("/site/templates/base.html"), Kind::Everything);
        assert_eq!(c("/site/static/style.css"), Kind::Everything);
        assert_eq!(c("/site/site.yaml"), Kind::Everything);
        assert_eq!(c("/site/public/index.html"), Kind::Ignore);
        assert_eq!(c("/site/README.md"), Kind::Ignore);
    }

    #[test]
    fn editor_droppings_are_ignored() {
        let root = Path::new("/site");
        for p in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/4913",
            "content/.#a.md",
            "content/#a.md#",
            "content/.git/x",
        ] {
            assert_eq!(classify(root, None, &root.join(p)), Kind::Ignore, "{p}");
        }
    }

    #[test]
    fn a_burst_becomes_one_change() {
        let root = Path::new("/site");
        let burst = vec![
            root.join("content/a.md"),
            root.join("content/.a.md.swp"),
            root.join("content/a.md"),
        ];
        assert_eq!(
            to_change(root, None, burst),
            Some(Change::Content(vec![PathBuf::from("content/a.md")]))
        );
        let burst = vec![root.join("content/a.md"), root.join("site.yaml")];
        assert_eq!(to_change(root, None, burst), Some(Change::Everything));
        assert_eq!(to_change(root, None, vec![root.join("notes.txt")]), None);
    }
}
