//! Outputs that are not templates: feeds (Atom, RSS 2.0, JSON Feed), sitemaps, robots.txt.
//!
//! Input: the model and rendered bodies. Output: files. XML is written by quick-xml's
//! writer and JSON by serde_json, so escaping is never done by hand.

pub mod feeds;
pub mod search;
pub mod sitemaps;
mod urls;

use crate::markdown::RenderedBody;
use crate::model::Site;
use crate::write::Output;
pub use urls::absolutize_html;

/// Every non-template output of the site.
pub fn all(site: &Site, bodies: &[RenderedBody]) -> Vec<Output> {
    let mut out = feeds::all(site, bodies);
    out.extend(sitemaps::all(site));
    out
}
