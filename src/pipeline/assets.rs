//! Bundle files: checking cover photos exist, measuring photos, and copying them.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::markdown::ImageInfo;
use crate::model::Site;
use crate::validate::Article;
use crate::write::Output;

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "svg"];

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Path of an asset relative to its bundle folder, with `/` separators.
fn bundle_relative(a: &Article, asset: &Path) -> String {
    asset
        .strip_prefix(a.source_dir())
        .unwrap_or(asset)
        .to_string_lossy()
        .replace('\\', "/")
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
                    Diagnostic::error(&a.source, msg!("cover.needs_bundle", image = image))
                        .at(line, col)
                        .with_hint(msg!("cover.needs_bundle.hint")),
                );
            }
            let found = a.assets.iter().any(|p| bundle_relative(a, p) == *image);
            (!found).then(|| {
                Diagnostic::error(&a.source, msg!("cover.missing", image = image))
                    .at(line, col)
                    .with_hint(msg!("cover.missing.hint", dir = a.source_dir().display()))
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
                bundle_relative(a, p),
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
    let mut out = Vec::new();
    for a in site.articles.iter().filter(|a| a.is_bundle) {
        for asset in &a.assets {
            let bytes = std::fs::read(root.join(asset))
                .map_err(|e| Diagnostic::error(asset, msg!("io.cannot_read", error = &e)))?;
            out.push(Output::new(
                format!("{}{}", a.path, bundle_relative(a, asset)),
                bytes,
            ));
        }
    }
    Ok(out)
}
