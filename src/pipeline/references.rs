//! Links and images inside the site that lead nowhere: errors wherever the site is made
//! (`build`, `check`, the preview), at the line that wrote them. A reader should never
//! meet a 404 the build could have seen.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::markdown::{normalize_path, Reference, RenderedBody};
use crate::model::Site;
use crate::validate::Article;

/// Every broken reference in these bodies; `exists` says whether the site has a file at a
/// site-relative path.
pub fn broken<'a>(
    root: &Path,
    site: &Site,
    bodies: impl IntoIterator<Item = (&'a Article, &'a RenderedBody)>,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let base_path = &site.base_path;
    let mut diags = Vec::new();
    for (a, body) in bodies {
        for r in &body.refs {
            let originals = site.config.publish_original_photos;
            diags.extend(check_reference(root, a, r, exists, base_path, originals));
        }
    }
    diags
}

fn check_reference(
    root: &Path,
    a: &Article,
    r: &Reference,
    exists: &dyn Fn(&str) -> bool,
    base_path: &str,
    publish_originals: bool,
) -> Option<Diagnostic> {
    let dest = r.dest.split(['#', '?']).next().unwrap_or("");
    let what = if r.is_image {
        msg!("word.image")
    } else {
        msg!("word.link")
    };
    // Any address with a scheme is not a file of the site; the sanitizer judges which
    // schemes may stay.
    let external = url::Url::parse(&r.dest).is_ok();
    if external || dest.is_empty() || dest.ends_with(".md") {
        return None; // external, same-page, or an article link (checked by build)
    }
    if let Some(site_path) = dest
        .strip_prefix(base_path)
        .filter(|_| dest.starts_with('/'))
    {
        let key = if site_path.is_empty() || site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path.to_string()
        };
        if exists(&key) || exists(&format!("{key}/index.html")) {
            return None;
        }
        return Some(
            Diagnostic::error(
                &a.source,
                msg!("check.no_page", what = what, dest = &r.dest),
            )
            .at(r.line, r.col)
            .with_hint(msg!("check.no_page.hint")),
        );
    }
    if dest.starts_with('/') {
        return None; // outside the site's base path: not ours to judge
    }
    let target = normalize_path(&a.source_dir().join(dest));
    if a.assets.contains(&target) {
        // A photo is published as its sizes, not as itself: a link to the file itself
        // would lead nowhere.
        let withheld = !r.is_image && crate::images::is_photo(&target) && !publish_originals;
        if !withheld {
            return None;
        }
        return Some(
            Diagnostic::error(&a.source, msg!("check.original_photo", dest = &r.dest))
                .at(r.line, r.col)
                .with_hint(msg!("check.original_photo.hint")),
        );
    }
    let exists = root.join(&target).is_file();
    let (message, hint) = if exists {
        (
            msg!("check.not_copied", what = what, dest = &r.dest),
            msg!("check.not_copied.hint"),
        )
    } else {
        (
            msg!("check.file_missing", what = what, dest = &r.dest),
            msg!("check.file_missing.hint"),
        )
    };
    Some(
        Diagnostic::error(&a.source, message)
            .at(r.line, r.col)
            .with_hint(hint),
    )
}
