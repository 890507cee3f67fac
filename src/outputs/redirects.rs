//! Redirect pages: an old address answers with a small page that sends browsers and
//! crawlers on (meta refresh, canonical link) and shows a plain link for anyone else, so
//! it works on any static host, without JavaScript. Hosts that read `_redirects` can get
//! real 301s too (`redirects_file: true`).

use pulldown_cmark_escape::{escape_href, escape_html};

use crate::markdown::relative_url;
use crate::model::Site;
use crate::url_space::{page_file, REDIRECTS_FILE};
use crate::write::Output;

pub fn all(site: &Site) -> Vec<Output> {
    let mut out = pages(site, |_| true);
    if site.config.redirects_file {
        let base = &site.base_path;
        let rules: String = (site.redirects.iter())
            .map(|r| format!("{base}{} {base}{} 301\n", r.from, site.articles[r.to].path))
            .collect();
        out.push(Output::new(REDIRECTS_FILE, rules));
    }
    out
}

/// The redirect pages leading to any of `articles`: they show its headline.
pub fn leading_to(site: &Site, articles: &[usize]) -> Vec<Output> {
    pages(site, |to| articles.contains(&to))
}

/// The redirect pages leading to the articles `to` keeps.
fn pages(site: &Site, to: impl Fn(usize) -> bool) -> Vec<Output> {
    (site.redirects.iter())
        .filter(|r| to(r.to))
        .map(|r| Output::new(page_file(&r.from), page(site, &r.from, r.to)))
        .collect()
}

fn page(site: &Site, from: &str, to: usize) -> String {
    let a = &site.articles[to];
    let mut target = String::new();
    let _ = escape_href(&mut target, &relative_url(from, &a.path));
    let mut canonical = String::new();
    let _ = escape_href(
        &mut canonical,
        &format!("{}{}", site.config.base_url, a.path),
    );
    let mut title = String::new();
    let _ = escape_html(&mut title, &a.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = site.config.language,
    )
}
