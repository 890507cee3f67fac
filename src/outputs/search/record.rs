//! What Pagefind indexes for one article: a small HTML document made from the article
//! itself (headline, kicker, subtitle, body, corrections, the reporters' names) with its
//! filters and result fields, not the published page. So the index and its excerpts hold the story's text
//! and nothing of the page around it (byline, navigation, related stories), a theme
//! cannot break search, and a part of the index changes only when its stories do.

use std::fmt::Write;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use crate::markdown::RenderedBody;
use crate::model::Site;
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
    pub fn new(site: &Site, article: &Article, body: &RenderedBody) -> Record {
        let strings = &site.config.strings;
        let section = &site.sections[site.section_of(article)].name;
        let mut head = String::with_capacity(512);
        let _ = write!(
            head,
            "<html lang=\"{}\"><body><article data-pagefind-body>",
            escape(&site.config.language),
        );
        // Filters and result fields: read by Pagefind, kept out of the text and excerpts.
        head.push_str("<p data-pagefind-ignore>");
        let _ = write!(
            head,
            "<span data-pagefind-filter=\"section\">{}</span>",
            escape(section)
        );
        for name in &article.reporters {
            let _ = write!(
                head,
                "<span data-pagefind-filter=\"reporter\">{}</span>",
                escape(name)
            );
        }
        let _ = write!(
            head,
            "<span data-pagefind-meta=\"date\">{}</span><span data-pagefind-meta=\"section\">{}</span></p>",
            escape(&strings.date(article.date.date())),
            escape(section)
        );
        for (tag, text) in [("p", &article.kicker), ("h1", &article.title)]
            .into_iter()
            .chain([("p", &article.subtitle)])
        {
            if !text.is_empty() {
                let _ = write!(head, "<{tag}>{}</{tag}>", escape(text));
            }
        }
        let mut tail = String::new();
        for c in &article.corrections {
            let _ = write!(tail, "<p>{}</p>", escape(&c.text));
        }
        // The names, so a search for a reporter finds their stories; last, so an excerpt
        // shows them only when they are what matched.
        let names: Vec<&str> = (article.reporters.iter())
            .chain(&article.correspondents)
            .map(String::as_str)
            .collect();
        if !names.is_empty() {
            let _ = write!(tail, "<p>{}</p>", escape(&names.join(" ")));
        }
        tail.push_str("</article></body></html>");
        Record {
            url: format!("/{}", article.path),
            head,
            body: Arc::clone(&body.html),
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

/// Text as HTML: the characters that could end an element or attribute are escaped.
fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
