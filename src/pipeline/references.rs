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
    let what = if r.is_image { "image" } else { "link" };
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
                format!(
                    "the {what} `{}` points to a page the site does not have",
                    r.dest
                ),
            )
            .at(r.line, r.col)
            .with_hint(
                "check the address; links to other articles are best written as relative .md paths",
            ),
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
            Diagnostic::error(&a.source, format!("the link `{}` leads to the camera original of a photo, which is not published", r.dest))
                .at(r.line, r.col)
                .with_hint("show the photo with `![what it shows](file)` instead; or, if the site should publish originals, set `publish_original_photos: true` in site.yaml"),
        );
    }
    let exists = root.join(&target).is_file();
    let hint = if exists {
        "the file exists but is not published with the article: put the article in its own folder (NAME/index.md) with the file beside it"
    } else {
        "check the file name, and that the file is in the article's folder"
    };
    let problem = if exists {
        "is not copied with the article"
    } else {
        "does not exist"
    };
    Some(
        Diagnostic::error(&a.source, format!("the {what} `{}` {problem}", r.dest))
            .at(r.line, r.col)
            .with_hint(hint),
    )
}
