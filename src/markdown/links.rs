//! Link rewriting: `[上期报道](../08/other.md)` → the URL of that article's page,
//! relative to the page being rendered. A link to a missing article is an error.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Tag};

use super::{BodyInput, LinkTargets, Reference};
use crate::diag::{Diagnostic, LineCursor};

/// Rewrites links in a stream of (event, source range) and drops the ranges.
pub fn rewrite<'a, 'b>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)> + 'b,
    input: &'b BodyInput<'b>,
    targets: &'b LinkTargets<'b>,
    diags: &'b mut Vec<Diagnostic>,
    refs: &'b mut Vec<Reference>,
) -> impl Iterator<Item = Event<'a>> + 'b
where
    'a: 'b,
{
    let mut image_depth = 0usize;
    let mut alt_seen = false;
    let mut cursor = LineCursor::new(input.body);
    events.map(move |(event, range)| {
        let mut position = || {
            let (line, col) = cursor.at(range.start);
            (line + input.body_offset, col)
        };
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (line, col) = position();
                refs.push(Reference {
                    dest: dest_url.to_string(),
                    line,
                    col,
                    is_image: false,
                    has_alt: true,
                });
                let dest_url = match resolve_md_link(&dest_url, input.source, targets.pages) {
                    Resolved::NotMd => match article_by_site_path(&dest_url, targets) {
                        Some((page, rest)) => {
                            CowStr::from(relative_url(input.page_path, page) + &rest)
                        }
                        None => dest_url,
                    },
                    Resolved::Page(path) => CowStr::from(relative_url(input.page_path, &path)),
                    Resolved::Missing(wanted) => {
                        diags.push(
                            Diagnostic::error(
                                input.source,
                                msg!("link.missing_article", link = &*dest_url),
                            )
                            .at(line, col)
                            .with_hint(msg!(
                                "link.missing_article.hint",
                                wanted = wanted.display()
                            )),
                        );
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let (line, col) = position();
                refs.push(Reference {
                    dest: dest_url.to_string(),
                    line,
                    col,
                    is_image: true,
                    has_alt: false,
                });
                image_depth += 1;
                alt_seen = false;
                event
            }
            Event::Text(ref t) if image_depth > 0 => {
                if !t.trim().is_empty() && !alt_seen {
                    alt_seen = true;
                    if let Some(r) = refs.last_mut() {
                        r.has_alt = true;
                    }
                }
                event
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                event
            }
            other => other,
        }
    })
}

/// A link written from the site's root to an article's page, as pasted from the browser's
/// address bar (`/2026/11/26/slug/`, with or without the base path): the page, and the
/// `#fragment` or `?query` after it. Written relative, it works under any base path.
fn article_by_site_path<'t>(dest: &str, targets: &'t LinkTargets<'_>) -> Option<(&'t str, String)> {
    if !dest.starts_with('/') || dest.starts_with("//") {
        return None;
    }
    let end = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(end);
    let path = path
        .strip_prefix(targets.base_path)
        .or(path.strip_prefix('/'))?;
    let folder = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let page = targets.page_paths.get(&folder)?;
    Some((page.as_str(), rest.to_string()))
}

enum Resolved {
    NotMd,
    Page(String),
    Missing(PathBuf),
}

fn resolve_md_link(dest: &str, source: &Path, pages: &HashMap<PathBuf, String>) -> Resolved {
    if dest.contains("://")
        || dest.starts_with('#')
        || dest.starts_with("mailto:")
        || dest.starts_with('/')
    {
        return Resolved::NotMd;
    }
    let (file, fragment) = match dest.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (dest, None),
    };
    if !file.ends_with(".md") {
        return Resolved::NotMd;
    }
    let decoded = percent_decode(file);
    let joined = normalize(&source.parent().unwrap_or(Path::new("")).join(decoded));
    match pages.get(&joined) {
        Some(path) => Resolved::Page(match fragment {
            Some(f) => format!("{path}#{f}"),
            None => path.clone(),
        }),
        None => Resolved::Missing(joined),
    }
}

/// `a/b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `%E6%96%B0.md` → `新.md`; a malformed or non-UTF-8 escape leaves the text as written.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// The relative URL from page `from` (a site-relative folder path like `a/b/`) to `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    let depth = from.split('/').filter(|s| !s.is_empty()).count();
    let mut out = "../".repeat(depth);
    out.push_str(to);
    if out.is_empty() {
        out.push_str("./");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_climb_to_the_root() {
        assert_eq!(
            relative_url("2022/08/02/a/", "2022/08/03/b/"),
            "../../../../2022/08/03/b/"
        );
        assert_eq!(relative_url("", "sections/x/"), "sections/x/");
        assert_eq!(relative_url("", ""), "./");
    }

    #[test]
    fn md_links_resolve_against_the_source_folder() {
        let mut pages = HashMap::new();
        pages.insert(
            PathBuf::from("content/2022/08/b.md"),
            "2022/08/02/b/".to_string(),
        );
        let src = Path::new("content/2022/07/a.md");
        assert!(
            matches!(resolve_md_link("../08/b.md#x", src, &pages), Resolved::Page(p) if p == "2022/08/02/b/#x")
        );
        assert!(matches!(
            resolve_md_link("../08/c.md", src, &pages),
            Resolved::Missing(_)
        ));
        assert!(matches!(
            resolve_md_link("https://x.org/a.md", src, &pages),
            Resolved::NotMd
        ));
        for not_a_file in [
            "photo.jpg",
            "/files/guide.md",
            "#notes.md",
            "mailto:desk@news.md",
        ] {
            assert!(
                matches!(resolve_md_link(not_a_file, src, &pages), Resolved::NotMd),
                "{not_a_file}"
            );
        }
    }

    #[test]
    fn a_pasted_address_finds_the_article_under_the_base_path() {
        let page_paths: std::collections::HashSet<String> = ["2026/11/26/slug/".to_string()].into();
        let (pages, images) = (HashMap::new(), HashMap::new());
        let targets = LinkTargets {
            pages: &pages,
            images: &images,
            page_paths: &page_paths,
            base_path: "/news/",
        };
        let found = |dest: &str| {
            article_by_site_path(dest, &targets).map(|(p, rest)| (p.to_string(), rest))
        };
        let page = "2026/11/26/slug/".to_string();
        assert_eq!(
            found("/news/2026/11/26/slug/"),
            Some((page.clone(), String::new()))
        );
        assert_eq!(
            found("/2026/11/26/slug/#map"),
            Some((page.clone(), "#map".into()))
        );
        assert_eq!(
            found("/news/2026/11/26/slug?from=app"),
            Some((page, "?from=app".into()))
        );
        for not_a_page in [
            "//cdn.example.org/2026/11/26/slug/",
            "2026/11/26/slug/",
            "/news/other/",
        ] {
            assert_eq!(found(not_a_page), None, "{not_a_page}");
        }
    }

    #[test]
    fn percent_decoding_handles_chinese_and_stray_percents() {
        assert_eq!(percent_decode("%E6%96%B0.md"), "新.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
