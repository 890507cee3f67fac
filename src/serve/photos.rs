//! New photos in the preview: their derivatives are made beside the rebuilds, not in one,
//! so a text edit saved while a camera photo is being resized is shown at once, and the
//! photo follows as soon as it is ready.

use std::path::{Path, PathBuf};

use crate::images::{self, Cache};
use crate::load::bundle_of;
use crate::pipeline::incremental::Change;

/// Splits a change into the photos saved in it and everything else.
pub fn split(root: &Path, change: Change) -> (Option<Change>, Option<Change>) {
    let Change::Content(paths) = change else {
        return (None, Some(change));
    };
    let (photos, rest): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| images::is_photo(p) && root.join(p).is_file());
    let change = |paths: Vec<PathBuf>| (!paths.is_empty()).then_some(Change::Content(paths));
    (change(photos), change(rest))
}

/// Makes the derivatives of the photos in `change` into the cache the rebuild reads.
pub fn prepare(root: &Path, change: &Change) {
    let Change::Content(paths) = change else {
        return;
    };
    let cache = Cache::beside(root);
    for photo in paths {
        if let Some(name) = name_in_bundle(root, photo) {
            // A bad photo is reported by the rebuild that follows, at the line using it.
            let _ = cache.photo(&root.join(photo), &name);
        }
    }
}

/// A photo's name as its article uses it: its path from its bundle's folder. `None`
/// outside any bundle, where nothing publishes it.
fn name_in_bundle(root: &Path, photo: &Path) -> Option<String> {
    Some(crate::url_space::relative_key(
        photo,
        bundle_of(root, photo)?,
    ))
}
