//! Markdown → HTML for one article, through small iterator adapters between pulldown-cmark's
//! parser and its HTML writer.
//!
//! Input: an article body and what it may link to. Output: the body HTML, the summary, the
//! reading time, and a diagnostic for each broken link to another article. Adapters, in
//! order: `links` (relative `.md` links → page URLs), `cjk_breaks` (drop soft breaks between
//! Chinese characters), `blocks` (heading ids, images as figures, the dateline). The
//! finished HTML then goes through `sanitize` (the body allow-list), once, so every output
//! that carries it carries the cleaned value.

mod blocks;
mod cjk_breaks;
mod links;
pub mod sanitize;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, LineCursor};
use crate::text::{truncate_chars, ReadingCount};
pub use blocks::ImageInfo;
pub use cjk_breaks::CjkBreaks;
pub use links::{normalize as normalize_path, relative_url};
pub use sanitize::Sanitizer;

/// The marker editors put after the lead paragraphs to choose the summary themselves.
pub const MORE_MARKER: &str = "<!-- more -->";

/// Summaries cut from the text are about this long: two lines of a phone screen in Chinese.
pub const SUMMARY_CHARS: usize = 120;

/// How much opening text is kept to make a summary from. Text before `<!-- more -->` longer
/// than this (about 1,300 Chinese characters) is cut: a summary is not a second article.
const SUMMARY_SOURCE_BYTES: usize = 4096;

/// What a body may refer to: other articles by source path, and its own photos.
pub struct LinkTargets<'a> {
    /// Source path (relative to site root) → page path (site-relative).
    pub pages: &'a HashMap<PathBuf, String>,
    /// Image file name as written in the body → its pixel size, for bundle photos.
    pub images: &'a HashMap<String, ImageInfo>,
    /// Every article's page path, for links written from the site's root.
    pub page_paths: &'a HashSet<String>,
    /// Where the site's root is on its host (`/` or `/news/`).
    pub base_path: &'a str,
}

/// One article's body, rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// Shared: the same body goes into the page, its template value and the feeds.
    pub html: std::sync::Arc<str>,
    /// Plain-text summary: the author's, the text before `<!-- more -->`, or the opening.
    pub summary: String,
    pub reading_minutes: usize,
    /// Every link and image destination, with its file line, for `check`.
    pub refs: Vec<Reference>,
    /// Pixel sizes of the article's own photos, by the name the body uses.
    pub images: HashMap<String, ImageInfo>,
}

/// A link or image in the body, kept for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub dest: String,
    pub line: usize,
    pub col: usize,
    pub is_image: bool,
    pub has_alt: bool,
}

/// Per-article inputs that change how its body renders.
pub struct BodyInput<'a> {
    pub source: &'a Path,
    pub body: &'a str,
    /// File lines before the body, to turn body offsets into file lines.
    pub body_offset: usize,
    /// The article's own page path, from which relative URLs are computed.
    pub page_path: &'a str,
    pub dateline: &'a str,
    /// What joins the dateline to the first sentence (the site language's).
    pub dateline_separator: &'a str,
    pub summary: Option<&'a str>,
    pub east_asian_line_breaks: bool,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a body to HTML and cleans it; broken article links come back as errors, and
/// whatever the cleaning removes as warnings at the line the author wrote it.
pub fn render(
    input: &BodyInput<'_>,
    targets: &LinkTargets<'_>,
    sanitizer: &Sanitizer,
) -> (RenderedBody, Vec<Diagnostic>) {
    let body = input.body;
    let mut diags = Vec::new();
    let mut refs = Vec::new();
    let mut raw_html = RawHtml::default();
    // The opening text, for the summary; the rest is only counted, never copied.
    let mut plain = String::new();
    let mut more_at: Option<usize> = None;
    let mut reading = ReadingCount::default();

    let events = Parser::new_ext(body, options()).into_offset_iter();
    let events = events.inspect(|(event, range)| raw_html.note(event, range.start));
    let events = links::rewrite(events, input, targets, &mut diags, &mut refs);
    // Inside an author's inline `<script>` or `<style>`: text no reader sees.
    let mut hidden: Option<&'static str> = None;
    let events = events.inspect(|e| match e {
        Event::InlineHtml(h) if hidden.is_some_and(|tag| sanitize::closes(h, tag)) => hidden = None,
        Event::InlineHtml(_) | Event::Text(_) if hidden.is_some() => {}
        Event::Text(t) | Event::Code(t) => {
            reading.add(t);
            if more_at.is_none() {
                let room = SUMMARY_SOURCE_BYTES.saturating_sub(plain.len());
                plain.push_str(&t[..t.floor_char_boundary(room)]);
            }
        }
        Event::SoftBreak
        | Event::HardBreak
        | Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
            reading.break_word();
            if plain.len() < SUMMARY_SOURCE_BYTES && more_at.is_none() {
                plain.push('\n');
            }
        }
        Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h) && more_at.is_none() => {
            more_at = Some(plain.len())
        }
        Event::InlineHtml(h) => hidden = sanitize::opens_dropped_content(h),
        _ => {}
    });
    // The marker has done its work; readers need no comment.
    let events =
        events.filter(|e| !matches!(e, Event::Html(h) | Event::InlineHtml(h) if is_more_marker(h)));
    let events = CjkBreaks::new(events, input.east_asian_line_breaks);
    let events = blocks::Blocks::new(
        events,
        input.dateline,
        input.dateline_separator,
        targets.images,
    );

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    // Markdown alone writes only allowed markup: pulldown-cmark escapes every text and
    // attribute, and the adapters write listed elements, escaped. What it cannot rule out
    // is an address with a forbidden scheme. So a body with no raw HTML and only allowed
    // addresses skips the sanitizer's HTML parser, which is most of its cost; the sanitizer
    // still decides for everything else.
    let markdown_only = raw_html.pieces.iter().all(|(_, p)| is_more_marker(p))
        && !raw_html.heading_attributes
        && refs
            .iter()
            .all(|r| sanitize::is_allowed_url(&as_written(&r.dest)));
    let html = if markdown_only {
        html
    } else {
        sanitizer.clean(html)
    };
    if sanitizer.is_on() {
        diags.extend(removal_warnings(input, sanitizer, &raw_html.pieces, &refs));
    }

    let summary = match (input.summary, more_at) {
        (Some(s), _) => s.to_string(),
        (None, Some(at)) => join_lines(&plain[..at], input.east_asian_line_breaks),
        (None, None) => truncate_chars(
            &join_lines(&plain, input.east_asian_line_breaks),
            SUMMARY_CHARS,
        ),
    };
    let rendered = RenderedBody {
        html: html.into(),
        summary: summary.trim().to_string(),
        reading_minutes: reading.minutes(),
        refs,
        images: targets.images.clone(),
    };
    (rendered, diags)
}

/// The author's own HTML in a body, gathered as the parser meets it: each HTML block
/// whole (the parser gives it line by line), each inline tag alone, with its byte offset.
#[derive(Default)]
struct RawHtml {
    pieces: Vec<(usize, String)>,
    /// Attributes written on a heading (`## 标题 {data-x=1}`): markup from the author too.
    heading_attributes: bool,
}

impl RawHtml {
    fn note(&mut self, event: &Event<'_>, offset: usize) {
        match event {
            Event::Start(Tag::HtmlBlock) => self.pieces.push((offset, String::new())),
            // Block HTML comes only between its block's start and end, a line at a time.
            Event::Html(h) => {
                if let Some((_, piece)) = self.pieces.last_mut() {
                    piece.push_str(h);
                }
            }
            Event::InlineHtml(h) => self.pieces.push((offset, h.to_string())),
            Event::Start(Tag::Heading { attrs, .. }) if !attrs.is_empty() => {
                self.heading_attributes = true
            }
            _ => {}
        }
    }
}

fn is_more_marker(html: &str) -> bool {
    html.trim() == MORE_MARKER
}

/// An address as written into the page, where it is judged: pulldown-cmark percent-encodes
/// what a URL may not hold, so `jav\tascript:` becomes a harmless relative `jav%09ascript:`.
fn as_written(dest: &str) -> String {
    let mut href = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut href, dest);
    href
}

/// A warning for each thing the sanitizer takes out of what the author wrote, so the
/// editor knows what readers will not see.
fn removal_warnings(
    input: &BodyInput<'_>,
    sanitizer: &Sanitizer,
    raw_html: &[(usize, String)],
    refs: &[Reference],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut cursor = LineCursor::new(input.body);
    for (offset, piece) in raw_html {
        let (line, col) = cursor.at(*offset);
        for what in sanitizer.removals(piece) {
            diags.push(
                Diagnostic::warning(input.source, msg!("html.removed", what = what))
                    .at(line + input.body_offset, col)
                    .with_hint(msg!("html.removed.hint")),
            );
        }
    }
    for r in refs
        .iter()
        .filter(|r| !sanitize::is_allowed_url(&as_written(&r.dest)))
    {
        let what = if r.is_image {
            msg!("word.image")
        } else {
            msg!("word.link")
        };
        diags.push(
            Diagnostic::warning(
                input.source,
                msg!("html.address_removed", what = what, dest = &r.dest),
            )
            .at(r.line, r.col)
            .with_hint(msg!("html.removed.hint")),
        );
    }
    diags
}

/// Joins plain-text lines the same way the HTML does: no space between Chinese characters.
fn join_lines(text: &str, cjk: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next()) {
            if !(cjk && crate::text::cjk::joins_without_space(a, b)) {
                out.push(' ');
            }
        }
        out.push_str(line);
    }
    out
}

/// Whether a tag is inline (may sit between the two halves of a soft break).
pub(crate) fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_body(body: &str) -> RenderedBody {
        let (r, d) = render_with_diagnostics(body);
        assert!(d.is_empty(), "{d:?}");
        r
    }

    fn render_with_diagnostics(body: &str) -> (RenderedBody, Vec<Diagnostic>) {
        render_cleaned_by(body, &Sanitizer::default())
    }

    fn render_cleaned_by(body: &str, sanitizer: &Sanitizer) -> (RenderedBody, Vec<Diagnostic>) {
        let pages = HashMap::new();
        let images = HashMap::new();
        let input = BodyInput {
            source: Path::new("content/a.md"),
            body,
            body_offset: 4,
            page_path: "2022/08/02/a/",
            dateline: "",
            dateline_separator: " ",
            summary: None,
            east_asian_line_breaks: true,
        };
        render(
            &input,
            &LinkTargets {
                pages: &pages,
                images: &images,
                page_paths: &HashSet::new(),
                base_path: "/",
            },
            sanitizer,
        )
    }

    /// With `unsafe_html: true` the body goes out as written, so nothing is said removed.
    #[test]
    fn a_site_that_turns_cleaning_off_is_told_nothing_was_removed() {
        let body = "[打开](javascript:alert(1)) <b onclick=\"x()\">粗</b>\n";
        let (r, d) = render_cleaned_by(body, &Sanitizer::new(true, &[]));
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("onclick") && r.html.contains("javascript:"),
            "{}",
            r.html
        );
        let (_, d) = render_with_diagnostics(body);
        assert_eq!(d.len(), 2, "cleaning on: the link and the attribute: {d:?}");
    }

    #[test]
    fn hard_wrapped_chinese_joins_and_latin_keeps_spaces() {
        let r = render_body(
            "金芒果花苑小区60岁以上的居民\n比例超过70%，上下楼梯不便\n\nhello\nworld\n",
        );
        assert!(
            r.html
                .contains("<p>金芒果花苑小区60岁以上的居民比例超过70%，上下楼梯不便</p>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>hello\nworld</p>"), "{}", r.html);
    }

    /// Bodies the sanitizer is skipped for: plain Markdown, every construct the options
    /// enable, with quotes and brackets where escaping matters.
    const MARKDOWN_ONLY: &[&str] = &[
        include_str!("../../fuzz/seeds/markdown/flood-drill.md"),
        include_str!("../../fuzz/seeds/markdown/mix.md"),
        "## 标题 {#id .cls}\n\n|左|中|右|\n|:-|:-:|-:|\n|1|2|3|\n\n~~删~~[^n]\n\n[^n]: 注。\n",
        "[a](https://x.org/\"onmouseover=\"b \"t\\\"x\") ![p\"q](p.png \"t'\") <https://x.org/?a=1&b=2> <a@b.org>\n",
        "```js\" onload=\"x\nlet a = '<b>';\n```\n\n> 引文 `<i>`\n\n1. 一\n2. [ref][r]\n\n[r]: tel:123 \"电话\"\n",
    ];

    #[test]
    fn markdown_without_raw_html_writes_only_what_the_allow_list_keeps() {
        let sanitizer = Sanitizer::default();
        for body in MARKDOWN_ONLY {
            let raw = Parser::new_ext(body, options())
                .any(|e| matches!(e, Event::Html(h) | Event::InlineHtml(h) if !is_more_marker(&h)));
            assert!(!raw, "not Markdown only: {body}");
            let html = render_with_diagnostics(body).0.html;
            assert_eq!(
                sanitizer.removals(&html),
                Vec::<crate::diag::Message>::new(),
                "{body}\n→ {html}"
            );
        }
    }

    #[test]
    fn the_summary_keeps_latin_lines_and_paragraphs_apart() {
        let r = render_body("## Flood drill\nat dawn on\nFriday.\n\nSecond part.\n");
        assert_eq!(r.summary, "Flood drill at dawn on Friday. Second part.");
    }

    /// An HTML block is judged whole, so an attribute on its second line is one removal,
    /// reported at the line the block starts on.
    #[test]
    fn a_multi_line_html_block_is_one_piece_at_its_first_line() {
        let body = "开头。\n\n<div class=\"box\"\n     onclick=\"steal()\">\n<p>框里</p>\n</div>\n\n结尾。\n";
        let (r, d) = render_with_diagnostics(body);
        assert!(
            !r.html.contains("onclick") && r.html.contains("框里"),
            "{}",
            r.html
        );
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, [4 + 3], "{d:?}");
    }

    #[test]
    fn summary_lines_join_without_a_space_only_between_chinese_on_a_chinese_site() {
        assert_eq!(
            join_lines("第一行\n第二行\nnext", true),
            "第一行第二行 next"
        );
        assert_eq!(join_lines("第一行\n第二行", false), "第一行 第二行");
    }

    /// Only an image's own description counts as its alt text, not the words after it.
    #[test]
    fn an_image_has_alt_text_only_from_its_brackets() {
        let (r, _) =
            render_with_diagnostics("![](a.png)后面的文字\n\n![有说明](b.png)\n\n![ ](c.png)\n");
        let alts: Vec<(&str, bool)> = r
            .refs
            .iter()
            .map(|r| (r.dest.as_str(), r.has_alt))
            .collect();
        assert_eq!(alts, [("a.png", false), ("b.png", true), ("c.png", false)]);
    }

    /// Only a dropped element's own end tag ends its hidden text; ordinary inline tags
    /// hide nothing.
    #[test]
    fn the_summary_skips_exactly_what_readers_do_not_see() {
        let (r, _) = render_with_diagnostics("开头<b>加粗</b><style><i>隐</i>藏</style>结尾。\n");
        assert_eq!(r.summary, "开头加粗结尾。");
    }

    #[test]
    fn script_text_never_reaches_the_summary() {
        let (r, _) =
            render_with_diagnostics("开头<script>alert(1)</script><STYLE>p{}</STYLE>结尾。\n");
        assert_eq!(r.summary, "开头结尾。");
        assert!(!r.html.contains("alert"), "{}", r.html);
    }

    #[test]
    fn more_marker_sets_the_summary() {
        let r = render_body("第一段\n文字。\n\n<!-- more -->\n\n第二段。\n");
        assert_eq!(r.summary, "第一段文字。");
    }

    #[test]
    fn default_summary_is_cut_by_characters() {
        let r = render_body(&"社区服务提档升级。".repeat(40));
        assert!(r.summary.chars().count() <= SUMMARY_CHARS + 1);
        assert!(r.summary.ends_with('…'));
    }

    #[test]
    fn tables_footnotes_strikethrough_render() {
        let r = render_body("|a|b|\n|-|-|\n|1|2|\n\n~~旧~~ 新[^1]\n\n[^1]: 注释\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>旧</del>"));
        assert!(r.html.contains("footnote-definition"));
    }
}
