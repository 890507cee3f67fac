//! Bundle files: checking cover photos exist, turning photos into derivatives (through
//! `images`), placing photo errors at the lines that use them, and publishing the rest.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::images::{self, Cache, PhotoError};
use crate::markdown::{ImageInfo, Reference};
use crate::model::Site;
use crate::url_space;
use crate::validate::Article;
use crate::write::Output;

/// Every cover `image:` must be a file of the article's bundle.
pub fn check_cover_images(articles: &[Article]) -> Vec<Diagnostic> {
    articles
        .iter()
        .filter_map(|a| {
            let image = a.image.as_ref()?;
            let (line, col) = a.position_of("image");
            if !a.is_bundle {
                return Some(
                    Diagnostic::error(&a.source, msg!("cover.needs_bundle", image = image))
                        .at(line, col)
                        .with_hint(msg!("cover.needs_bundle.hint")),
                );
            }
            let found = a.assets.iter().any(|p| a.bundle_relative(p) == *image);
            (!found).then(|| {
                Diagnostic::error(&a.source, msg!("cover.missing", image = image))
                    .at(line, col)
                    .with_hint(msg!("cover.missing.hint", dir = a.source_dir().display()))
            })
        })
        .collect()
}

/// An article's photos, made or taken from the cache: the good ones by the name the article
/// uses, and the ones that cannot be published with the reason.
pub fn article_photos(
    root: &Path,
    a: &Article,
) -> (HashMap<String, ImageInfo>, Vec<(String, PhotoError)>) {
    let mut good = HashMap::new();
    let mut bad = Vec::new();
    if !a.is_bundle {
        return (good, bad);
    }
    for (name, result) in images::photos_of(root, a, &Cache::beside(root)) {
        match result {
            Ok(photo) => {
                good.insert(name, photo);
            }
            Err(e) => bad.push((name, e)),
        }
    }
    (good, bad)
}

/// An error for each bad photo at each line that uses it (the cover's `image:` line, each
/// body image); a bad photo no line uses is not published, with a warning.
pub fn photo_errors(
    a: &Article,
    bad: &[(String, PhotoError)],
    refs: &[Reference],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, e) in bad {
        let mut used = false;
        if a.image.as_deref() == Some(name.as_str()) {
            let (line, col) = a.position_of("image");
            out.push(e.diagnostic(&a.source, name, line, col));
            used = true;
        }
        for r in refs.iter().filter(|r| r.is_image && r.dest == *name) {
            out.push(e.diagnostic(&a.source, name, r.line, r.col));
            used = true;
        }
        if !used {
            out.push(
                Diagnostic::warning(&a.source, msg!("photo.unused", problem = e.message(name)))
                    .with_hint(e.hint()),
            );
        }
    }
    out
}

/// Bundle files, published beside their article's page: photos as their derivatives (the
/// originals too only when site.yaml sets `publish_original_photos`), other files as they are.
pub fn bundle_files(root: &Path, site: &Site) -> Result<Vec<Output>, Diagnostic> {
    let articles = site.articles.iter().map(|a| &**a);
    bundle_files_of(root, articles, site.config.publish_original_photos)
}

/// The bundle files of some articles only (the preview's edits).
pub fn bundle_files_of<'a>(
    root: &Path,
    articles: impl IntoIterator<Item = &'a Article>,
    publish_original_photos: bool,
) -> Result<Vec<Output>, Diagnostic> {
    let cache = Cache::beside(root);
    let mut out = Vec::new();
    for a in articles.into_iter().filter(|a| a.is_bundle) {
        for (_, photo) in images::photos_of(root, a, &cache) {
            // Bad photos were reported while the body rendered; none is published.
            if let Ok(photo) = photo {
                out.extend(images::outputs(a, &photo, &cache)?);
            }
        }
        for asset in &a.assets {
            if images::is_photo(asset) && !publish_original_photos {
                continue;
            }
            let bytes = std::fs::read(root.join(asset))
                .map_err(|e| Diagnostic::error(asset, msg!("io.cannot_read", error = &e)))?;
            out.push(Output::new(url_space::bundle_file(a, asset), bytes));
        }
    }
    Ok(out)
}
