//! The allow-list for body HTML: what a rendered article body may contain on a public page.
//!
//! Input: the HTML pulldown-cmark and the adapters wrote for one body (with the author's raw
//! HTML in it). Output: the same HTML with everything off the list removed — scripts,
//! styles, `<base>`, forms, event handlers, links to `javascript:` and `data:` — and, for
//! `check`, a plain description of each thing an author wrote that readers will not see.
//!
//! One `Sanitizer` per build, applied once where each body is rendered, so pages, feeds and
//! the search index all carry the one cleaned value. A site whose authors are all trusted
//! turns it off with `markdown: {unsafe_html: true}` in site.yaml.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diag::Message;

/// Elements an article body may use: ordinary article markup, responsive photos, `ruby` for
/// Chinese annotations. `iframe` is added only when site.yaml names embed hosts.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with what is inside them (the rest keep their text).
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style", "template", "noscript", "textarea"];

/// For an author's inline tag (`<script>`, `<style id=x>`), the name of the element whose
/// content cleaning drops with it: text inside never reaches a reader, so it must not reach
/// a summary either.
pub fn opens_dropped_content(inline_html: &str) -> Option<&'static str> {
    let rest = inline_html.strip_prefix('<')?;
    DROPPED_WITH_CONTENT.iter().copied().find(|tag| {
        rest.get(..tag.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(tag))
            && rest[tag.len()..].starts_with(['>', '/', ' ', '\t', '\n'])
    })
}

/// Whether an author's inline tag closes element `tag` (`</script>`).
pub fn closes(inline_html: &str, tag: &str) -> bool {
    inline_html
        .strip_prefix("</")
        .and_then(|rest| rest.get(..tag.len()))
        .is_some_and(|name| name.eq_ignore_ascii_case(tag))
}

/// Attributes any allowed element may carry. `id` and `class` carry heading anchors,
/// footnote links and the theme's hooks (`dateline`, `language-…`); neither can run code.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "lang", "dir", "title"];

/// Attributes allowed on particular elements.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    (
        "img",
        &[
            "src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding",
        ],
    ),
    (
        "source",
        &["srcset", "sizes", "type", "media", "width", "height"],
    ),
    ("th", &["colspan", "rowspan", "scope", "style"]),
    ("td", &["colspan", "rowspan", "style"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("details", &["open"]),
];

/// Attributes of an allowed `iframe`. The host of `src` is checked against site.yaml.
const IFRAME_ATTRIBUTES: &[&str] = &[
    "src",
    "width",
    "height",
    "allow",
    "allowfullscreen",
    "loading",
    "referrerpolicy",
];

/// Embedded players need their own scripts, in their own origin; nothing more (no top
/// navigation, no forms, no pop-ups that keep our window).
const IFRAME_SANDBOX: &str = "allow-scripts allow-same-origin allow-presentation";

/// Table cells keep pulldown-cmark's column alignment and nothing else from `style`.
const STYLE_PROPERTIES: &[&str] = &["text-align"];

/// Link and image addresses may use these schemes, or be relative.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The cleaning rules of one site.
#[derive(Clone)]
pub struct Sanitizer {
    /// `None` when site.yaml opts out: bodies are published as written.
    builder: Option<Arc<ammonia::Builder<'static>>>,
    embed_hosts: Arc<[String]>,
}

impl std::fmt::Debug for Sanitizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sanitizer")
            .field("on", &self.builder.is_some())
            .field("embed_hosts", &self.embed_hosts)
            .finish()
    }
}

impl Default for Sanitizer {
    fn default() -> Self {
        Sanitizer::new(false, &[])
    }
}

impl Sanitizer {
    /// The rules for a site: `unsafe_html` turns cleaning off; `embed_hosts` are the host
    /// names whose pages may be embedded with `<iframe>`.
    pub fn new(unsafe_html: bool, embed_hosts: &[String]) -> Self {
        let embed_hosts: Arc<[String]> = embed_hosts.iter().map(|h| h.to_lowercase()).collect();
        let builder = (!unsafe_html).then(|| Arc::new(builder(embed_hosts.clone())));
        Sanitizer {
            builder,
            embed_hosts,
        }
    }

    /// The rules site.yaml asks for.
    pub fn for_config(config: &crate::config::Config) -> Self {
        Sanitizer::new(config.unsafe_html, &config.embed_hosts)
    }

    /// Whether bodies are cleaned at all.
    pub fn is_on(&self) -> bool {
        self.builder.is_some()
    }

    /// The body HTML with everything off the allow-list removed.
    pub fn clean(&self, html: String) -> String {
        match &self.builder {
            Some(b) => b.clean(&html).to_string(),
            None => html,
        }
    }

    /// What cleaning removes from a piece of an author's raw HTML, each in a few words, in
    /// the order written: "the `<script>` element", "the `onerror` attribute of `<img>`".
    pub fn removals(&self, fragment: &str) -> Vec<Message> {
        if self.builder.is_none() {
            return Vec::new();
        }
        let mut found = Vec::new();
        {
            let on_element = |el: &mut lol_html::html_content::Element<'_, '_>| {
                self.describe_removals(el, &mut found);
                Ok(())
            };
            let settings = lol_html::RewriteStrSettings::new()
                .append_element_content_handler(lol_html::element!("*", on_element));
            // A fragment the rewriter cannot parse is cleaned all the same; it just goes
            // without a description.
            let _ = lol_html::rewrite_str(fragment, settings);
        }
        found
    }

    fn describe_removals(
        &self,
        el: &lol_html::html_content::Element<'_, '_>,
        out: &mut Vec<Message>,
    ) {
        let tag = el.tag_name();
        if !self.allows_tag(&tag) {
            out.push(msg!("html.element", tag = &*tag));
            return;
        }
        for attr in el.attributes() {
            let name = attr.name();
            let value = attr.value();
            if !allows_attribute(&tag, &name) {
                out.push(msg!("html.attribute", name = &*name, tag = &*tag));
            } else if !self.allows_value(&tag, &name, &value) {
                out.push(msg!(
                    "html.value",
                    name = &*name,
                    value = &*value,
                    tag = &*tag
                ));
            }
        }
    }

    fn allows_tag(&self, tag: &str) -> bool {
        TAGS.contains(&tag) || (tag == "iframe" && !self.embed_hosts.is_empty())
    }

    fn allows_value(&self, tag: &str, attr: &str, value: &str) -> bool {
        allowed_value(&self.embed_hosts, tag, attr, value)
    }
}

fn allows_attribute(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || (tag == "iframe" && IFRAME_ATTRIBUTES.contains(&attr))
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
}

/// Whether an allowed attribute's value may stay: addresses must use an allowed scheme (or
/// be relative), and an iframe must come from an embed host.
fn allowed_value(embed_hosts: &[String], tag: &str, attr: &str, value: &str) -> bool {
    match (tag, attr) {
        ("iframe", "src") => is_embed(embed_hosts, value),
        (_, "href" | "src") => is_allowed_url(value),
        (_, "srcset") => value
            .split(',')
            .filter_map(|candidate| candidate.split_whitespace().next())
            .all(is_allowed_url),
        _ => true,
    }
}

/// An address a reader may follow or load: relative, or http, https, mailto or tel. Judged
/// as a browser parses it, so `java\tscript:` and ` javascript:` are caught too.
pub fn is_allowed_url(value: &str) -> bool {
    match url::Url::parse(value) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

fn is_embed(embed_hosts: &[String], value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| {
        url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| embed_hosts.iter().any(|e| e == h))
    })
}

fn builder(embed_hosts: Arc<[String]>) -> ammonia::Builder<'static> {
    let mut tags: HashSet<&'static str> = TAGS.iter().copied().collect();
    let mut tag_attributes: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect();
    let mut b = ammonia::Builder::empty();
    if !embed_hosts.is_empty() {
        tags.insert("iframe");
        tag_attributes.insert("iframe", IFRAME_ATTRIBUTES.iter().copied().collect());
        b.set_tag_attribute_value("iframe", "sandbox", IFRAME_SANDBOX);
    }
    b.tags(tags)
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
        // Links keep the markup pulldown-cmark wrote; nothing opens a new window, so
        // there is no opener to protect.
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(move |tag, attr, value| {
            allowed_value(&embed_hosts, tag, attr, value).then_some(Cow::Borrowed(value))
        });
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;

    fn clean(html: &str) -> String {
        Sanitizer::default().clean(html.to_string())
    }

    #[test]
    fn scripts_handlers_and_base_are_removed() {
        let out = clean(
            "<p>a<script>alert(1)</script><img src=\"x.jpg\" onerror=\"alert(2)\"><base href=\"https://evil.example/\"><style>p{}</style></p>",
        );
        assert_eq!(out, "<p>a<img src=\"x.jpg\"></p>");
    }

    #[test]
    fn only_safe_schemes_survive_in_links_and_srcset() {
        let out = clean("<a href=\"javascript:alert(1)\">a</a><a href=\"data:text/html,x\">b</a><a href=\"https://x.org/\">c</a><a href=\"../b/\">d</a><img srcset=\"a.jpg 1x, javascript:x 2x\">");
        assert_eq!(
            out,
            "<a>a</a><a>b</a><a href=\"https://x.org/\">c</a><a href=\"../b/\">d</a><img>"
        );
    }

    #[test]
    fn article_markup_and_responsive_photos_are_kept() {
        let html = "<figure><picture><source srcset=\"a-800.webp 800w\" sizes=\"100vw\" type=\"image/webp\"><img src=\"a.jpg\" alt=\"x\" width=\"800\" height=\"533\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>说明</figcaption></figure><h2 id=\"si-zi-jue\">标题</h2><ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table><details><summary>更多</summary>内容</details>";
        assert_eq!(
            clean(html),
            html.replace("text-align: center", "text-align:center")
        );
    }

    #[test]
    fn iframes_only_from_embed_hosts_and_sandboxed() {
        let s = Sanitizer::new(false, &["player.example.org".to_string()]);
        let out = s.clean(
            "<iframe src=\"https://player.example.org/v/1\"></iframe><iframe src=\"https://evil.example/\"></iframe>".into(),
        );
        assert!(
            out.contains("<iframe src=\"https://player.example.org/v/1\" sandbox=\""),
            "{out}"
        );
        assert!(!out.contains("evil"), "{out}");
        assert_eq!(
            clean("<iframe src=\"https://player.example.org/v/1\"></iframe>"),
            ""
        );
        // What is said removed matches: an embed host allows iframes, nothing else.
        let said = |s: &Sanitizer, html: &str| -> Vec<String> {
            s.removals(html)
                .iter()
                .map(|m| m.render(Lang::En))
                .collect()
        };
        let html = "<iframe src=\"https://player.example.org/v/1\"></iframe><script>x</script>";
        assert_eq!(said(&s, html), ["the `<script>` element"]);
        // The iframe's own attributes are for iframes only, and an iframe has no others.
        let attributes = "<iframe src=\"https://player.example.org/v/1\" width=\"560\" onload=\"x()\"></iframe><p width=\"9\">";
        assert_eq!(
            said(&s, attributes),
            [
                "the `onload` attribute of `<iframe>`",
                "the `width` attribute of `<p>`"
            ]
        );
        assert_eq!(
            said(&Sanitizer::default(), html),
            ["the `<iframe>` element", "the `<script>` element"]
        );
    }

    #[test]
    fn opting_out_publishes_as_written() {
        let html = "<script>alert(1)</script>";
        assert_eq!(Sanitizer::new(true, &[]).clean(html.into()), html);
        assert!(Sanitizer::new(true, &[]).removals(html).is_empty());
    }

    #[test]
    fn removals_are_described() {
        let found = Sanitizer::default().removals(
            "<img src=\"x\" onerror=\"alert(1)\"><script>x</script><a href=\"javascript:y\">z</a>",
        );
        let found: Vec<String> = found.iter().map(|m| m.render(Lang::En)).collect();
        assert_eq!(
            found,
            [
                "the `onerror` attribute of `<img>`",
                "the `<script>` element",
                "`href=\"javascript:y\"` on `<a>`"
            ]
        );
    }
}
