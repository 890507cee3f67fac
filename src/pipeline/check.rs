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
                    Diagnostic::warning(&article.source, msg!("check.no_alt", image = &r.dest))
                        .at(r.line, r.col)
                        .with_hint(msg!("check.no_alt.hint")),
                );
            }
        }
        if article.tags.is_empty() {
            let (line, col) = article.position_of("title");
            diags.push(
                Diagnostic::warning(&article.source, msg!("check.no_tags"))
                    .at(line, col)
                    .with_hint(msg!("check.no_tags.hint")),
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
            Diagnostic::warning(&a.source, msg!("check.no_caption"))
                .at(line, col)
                .with_hint(msg!("check.no_caption.hint")),
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
                    msg!(
                        "check.large_photo",
                        name = &name,
                        mb = format!("{:.1}", bytes as f64 / 1e6),
                        megapixels = format!("{:.1}", pixels as f64 / 1e6)
                    ),
                )
                .with_hint(msg!("check.large_photo.hint")),
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
                Diagnostic::warning(
                    &a.source,
                    msg!("check.same_headline", other = first.source.display()),
                )
                .at(line, col)
                .with_hint(msg!("check.same_headline.hint")),
            );
        }
    }
    diags
}
