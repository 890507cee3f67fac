//! Bundle files: checking cover photos exist, measuring photos, and copying them.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::markdown::ImageInfo;
use crate::model::Site;
use crate::url_space;
use crate::validate::Article;
use crate::write::Output;

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "svg"];

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Every cover `image:` must be a file of the article's bundle.
pub fn check_cover_images(articles: &[Article]) -> Vec<Diagnostic> {
    articles
        .iter()
        .filter_map(|a| {
            let image = a.image.as_ref()?;
            let (line, col) = a.position_of("image");
            if !a.is_bundle {
                return Some(
                    Diagnostic::error(&a.source, format!("the cover photo `{image}` needs the article in its own folder"))
                        .at(line, col)
                        .with_hint("make a folder for the article, move the file in as `index.md`, and put the photo beside it"),
                );
            }
            let found = a.assets.iter().any(|p| a.bundle_relative(p) == *image);
            (!found).then(|| {
                Diagnostic::error(&a.source, format!("the cover photo `{image}` is not in the article's folder"))
                    .at(line, col)
                    .with_hint(format!("copy the photo into {}/ or correct the file name", a.source_dir().display()))
            })
        })
        .collect()
}

/// Pixel sizes of a bundle's photos, keyed by their path relative to the bundle.
pub fn measure_images(root: &Path, a: &Article) -> HashMap<String, ImageInfo> {
    a.assets
        .iter()
        .filter(|p| is_image(p))
        .filter_map(|p| {
            let size = imagesize::size(root.join(p)).ok()?;
            Some((
                a.bundle_relative(p),
                ImageInfo {
                    width: size.width,
                    height: size.height,
                },
            ))
        })
        .collect()
}

/// Bundle files, to be copied beside their article's page.
pub fn bundle_files(root: &Path, site: &Site) -> Result<Vec<Output>, Diagnostic> {
    bundle_files_of(root, site.articles.iter().map(|a| &**a))
}

/// The bundle files of some articles only (the preview's edits).
pub fn bundle_files_of<'a>(
    root: &Path,
    articles: impl IntoIterator<Item = &'a Article>,
) -> Result<Vec<Output>, Diagnostic> {
    let mut out = Vec::new();
    for a in articles.into_iter().filter(|a| a.is_bundle) {
        for asset in &a.assets {
            let bytes = std::fs::read(root.join(asset)).map_err(|e| {
                Diagnostic::error(asset, format!("cannot read this bundle file: {e}"))
            })?;
            out.push(Output::new(url_space::bundle_file(a, asset), bytes));
        }
    }
    Ok(out)
}
