//! What Pagefind indexes for one article: a small HTML document made from the article
//! itself (headline, kicker, subtitle, body, corrections, the reporters' names) with its
//! filters and result fields, not the published page. So the index and its excerpts hold the story's text
//! and nothing of the page around it (byline, navigation, related stories), a theme
//! cannot break search, and a part of the index changes only when its stories do.

use std::sync::Arc;

use pulldown_cmark_escape::escape_html;
use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::validate::Article;

/// One article as the index sees it. The body is shared with the build, so taking a
/// snapshot of the whole site for the preview's indexer costs no copying of text.
#[derive(Clone)]
pub struct Record {
    /// From the site root, as search results link to it: `/2022/08/02/slug/`.
    pub url: String,
    /// The document up to the body: language, filters, sort key, result fields, headline.
    head: String,
    body: Arc<str>,
    /// Corrections and the closing tags.
    tail: String,
}

impl Record {
    pub fn new(config: &Config, article: &Article, body: &Arc<str>) -> Record {
        let section = config
            .section(&article.section)
            .map_or(&article.section, |s| &s.name);
        let date = config.strings.date(article.date.date());
        let mut head = String::with_capacity(512);
        element(&mut head, "<html lang=\"", &config.language, "\">");
        head.push_str("<body><article data-pagefind-body>");
        // Filters and result fields: read by Pagefind, kept out of the text and excerpts.
        head.push_str("<p data-pagefind-ignore>");
        let (section_filter, reporter_filter) = (
            "<span data-pagefind-filter=\"section\">",
            "<span data-pagefind-filter=\"reporter\">",
        );
        element(&mut head, section_filter, section, "</span>");
        for name in &article.reporters {
            element(&mut head, reporter_filter, name, "</span>");
        }
        element(
            &mut head,
            "<span data-pagefind-meta=\"date\">",
            &date,
            "</span>",
        );
        element(
            &mut head,
            "<span data-pagefind-meta=\"section\">",
            section,
            "</span>",
        );
        head.push_str("</p>");
        let text = [
            ("<p>", &article.kicker, "</p>"),
            ("<h1>", &article.title, "</h1>"),
            ("<p>", &article.subtitle, "</p>"),
        ];
        for (open, text, close) in text.into_iter().filter(|(_, t, _)| !t.is_empty()) {
            element(&mut head, open, text, close);
        }
        let mut tail = String::new();
        for c in &article.corrections {
            element(&mut tail, "<p>", &c.text, "</p>");
        }
        // The names, so a search for a reporter finds their stories; last, so an excerpt
        // shows them only when they are what matched.
        let names: Vec<&str> = (article.reporters.iter())
            .chain(&article.correspondents)
            .map(String::as_str)
            .collect();
        if !names.is_empty() {
            element(&mut tail, "<p>", &names.join(" "), "</p>");
        }
        tail.push_str("</article></body></html>");
        Record {
            url: format!("/{}", article.path),
            head,
            body: Arc::clone(body),
            tail,
        }
    }

    /// The HTML given to Pagefind, cut to what it indexes well (see `index_copy`).
    pub fn document(&self) -> String {
        let mut html = String::with_capacity(self.head.len() + self.body.len() + self.tail.len());
        html.push_str(&self.head);
        html.push_str(&self.body);
        html.push_str(&self.tail);
        super::index_copy(&html)
    }

    /// Feeds everything that makes the document into a part's fingerprint.
    pub fn hash_into(&self, hasher: &mut Xxh3) {
        for piece in [&self.url, &self.head, &*self.body, &self.tail] {
            hasher.update(&(piece.len() as u64).to_le_bytes());
            hasher.update(piece.as_bytes());
        }
    }
}

/// `open`, then `text` escaped for HTML (text or a quoted attribute value), then `close`.
fn element(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    let _ = escape_html(&mut *out, text);
    out.push_str(close);
}
