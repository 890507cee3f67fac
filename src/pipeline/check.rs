//! `gazette check`: everything `build` validates (links and images that lead nowhere
//! included), on drafts and embargoed stories too, plus what a careful copy editor looks
//! for — photos without alt text, stories without tags, two stories with one headline on
//! one day, photos far too big. Writes nothing.

use std::collections::HashMap;
use std::path::Path;

use super::{build_in_memory, finish, BuildOptions};
use crate::diag::Diagnostic;
use crate::markdown::RenderedBody;
use crate::validate::Article;

/// All findings, errors and warnings, sorted; drafts and embargoed stories are checked too.
pub fn check(opts: &BuildOptions) -> Vec<Diagnostic> {
    let opts = BuildOptions {
        drafts: true,
        future: true,
        skip_search: true,
        report_all: true,
        ..opts.clone()
    };
    let (built, _) = match build_in_memory(&opts) {
        Ok(b) => b,
        Err(diags) => return diags,
    };
    let mut diags = built.warnings;
    for (article, body) in built.site.articles.iter().zip(&built.bodies) {
        for r in &body.refs {
            if r.is_image && !r.has_alt {
                diags.push(
                    Diagnostic::warning(&article.source, format!("the image `{}` has no description (alt text)", r.dest))
                        .at(r.line, r.col)
                        .with_hint("write what the photo shows between the brackets: ![居民乘坐新装的电梯](photo.jpg)"),
                );
            }
        }
        if article.tags.is_empty() {
            let (line, col) = article.position_of("title");
            diags.push(
                Diagnostic::warning(&article.source, "the article has no tags")
                    .at(line, col)
                    .with_hint("add a line such as `tags: [加装电梯, 老旧小区]` so readers find related stories"),
            );
        }
    }
    diags.extend(duplicate_titles(&built.site.articles));
    for (article, body) in built.site.articles.iter().zip(&built.bodies) {
        diags.extend(photo_warnings(&opts.root, article, body));
    }
    finish(diags)
}

/// Past these a photo is more than any page needs: it slows every build that has to make
/// its derivatives, and it is usually an unreduced scan or a panorama stitched in camera.
const LARGE_PHOTO_BYTES: u64 = 20_000_000;
const LARGE_PHOTO_PIXELS: u64 = 50_000_000;

/// Very large photos, and a cover with no caption (readers and screen readers need one).
fn photo_warnings(root: &Path, a: &Article, body: &RenderedBody) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if a.image.is_some() && a.image_caption.is_empty() {
        let (line, col) = a.position_of("image");
        out.push(
            Diagnostic::warning(&a.source, "the cover photo has no caption")
                .at(line, col)
                .with_hint("add `image_caption:` saying who and what is shown, where and when"),
        );
    }
    for asset in a.assets.iter().filter(|p| crate::images::is_photo(p)) {
        let name = a.bundle_relative(asset);
        let bytes = std::fs::metadata(root.join(asset)).map_or(0, |m| m.len());
        let pixels = body
            .images
            .get(&name)
            .map_or(0, |p| u64::from(p.width) * u64::from(p.height));
        if bytes > LARGE_PHOTO_BYTES || pixels > LARGE_PHOTO_PIXELS {
            out.push(
                Diagnostic::warning(
                    &a.source,
                    format!(
                        "the photo `{name}` is {:.1} MB and {:.1} megapixels, far more than a page needs",
                        bytes as f64 / 1e6,
                        pixels as f64 / 1e6
                    ),
                )
                .with_hint("export it at most 6000 pixels on the long side (about 20 MB or less) to keep builds quick"),
            );
        }
    }
    out
}

fn duplicate_titles(articles: &[std::sync::Arc<Article>]) -> Vec<Diagnostic> {
    let mut seen: HashMap<(jiff::civil::Date, &str), &Article> = HashMap::new();
    let mut diags = Vec::new();
    let mut sorted: Vec<&Article> = articles.iter().map(|a| a.as_ref()).collect();
    sorted.sort_by(|a, b| a.source.cmp(&b.source));
    for a in sorted {
        if let Some(first) = seen.insert((a.date.date(), a.title.as_str()), a) {
            let (line, col) = a.position_of("title");
            diags.push(
                Diagnostic::warning(&a.source, format!("the same headline as {} on the same day", first.source.display()))
                    .at(line, col)
                    .with_hint("if this is a second version of one story, remove one; otherwise make the headlines differ"),
            );
        }
    }
    diags
}
