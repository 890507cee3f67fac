//! Outputs that are not templates: feeds (Atom, RSS 2.0, JSON Feed), sitemaps, robots.txt.
//!
//! Input: the model and rendered bodies. Output: files. XML is written by quick-xml's
//! writer and JSON by serde_json, so escaping is never done by hand.

pub mod feeds;
pub mod redirects;
pub mod search;
pub mod sitemaps;
mod urls;

use crate::markdown::RenderedBody;
use crate::model::Site;
use crate::write::Output;
pub use urls::absolutize_html;

/// An XML document: the declaration, whatever `write` writes, a final newline. Writing
/// into a `Vec` cannot fail, so the writer's `io::Result`s end here.
pub(crate) fn xml_document(
    write: impl FnOnce(&mut quick_xml::Writer<Vec<u8>>) -> std::io::Result<()>,
) -> Vec<u8> {
    use quick_xml::events::{BytesDecl, Event};
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = write(&mut w);
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// Every non-template output of the site.
pub fn all(site: &Site, bodies: &[RenderedBody]) -> Vec<Output> {
    let mut out = feeds::all(site, bodies);
    out.push(sitemaps::news_sitemap(site));
    out.extend(sitemaps::structural(site));
    out.extend(redirects::all(site));
    out
}

/// The non-template outputs that show the text (headlines, summaries, bodies) of any of
/// `articles`: the feeds carrying them, the news sitemap and the redirect pages leading to
/// them. The others show only URLs and dates, so the preview need not remake them while no
/// article's place changed.
pub fn showing_text(site: &Site, bodies: &[RenderedBody], articles: &[usize]) -> Vec<Output> {
    let mut out = feeds::carrying(site, bodies, articles);
    out.push(sitemaps::news_sitemap(site));
    out.extend(redirects::leading_to(site, articles));
    out
}
