//! `gazette check`: everything `build` validates, plus what a careful copy editor looks for
//! — links and images that lead nowhere, photos without alt text, stories without tags,
//! two stories with one headline on one day. Writes nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{build_in_memory, finish, BuildOptions};
use crate::diag::Diagnostic;
use crate::markdown::{normalize_path, Reference};
use crate::validate::Article;

/// All findings, errors and warnings, sorted; drafts and embargoed stories are checked too.
pub fn check(opts: &BuildOptions) -> Vec<Diagnostic> {
    let opts = BuildOptions {
        drafts: true,
        future: true,
        skip_search: true,
        ..opts.clone()
    };
    let (built, outputs) = match build_in_memory(&opts) {
        Ok(b) => b,
        Err(diags) => return diags,
    };
    let mut diags = built.warnings;
    let outputs: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let base_path = site_base_path(&built.site.config.base_url);
    for (article, body) in built.site.articles.iter().zip(&built.bodies) {
        for r in &body.refs {
            if let Some(d) = check_reference(&opts.root, article, r, &outputs, &base_path) {
                diags.push(d);
            }
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
    finish(diags)
}

/// The path part of the base URL (`/` or `/news/`), for links written from the site root.
fn site_base_path(base_url: &str) -> String {
    base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into())
}

fn check_reference(
    root: &Path,
    a: &Article,
    r: &Reference,
    outputs: &HashSet<&str>,
    base_path: &str,
) -> Option<Diagnostic> {
    let dest = r.dest.split(['#', '?']).next().unwrap_or("");
    let what = if r.is_image {
        msg!("word.image")
    } else {
        msg!("word.link")
    };
    let external = r.dest.contains("://")
        || r.dest.starts_with("mailto:")
        || r.dest.starts_with("tel:")
        || r.dest.starts_with("data:");
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
        if outputs.contains(key.as_str()) || outputs.contains(format!("{key}/index.html").as_str())
        {
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
        return None;
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
