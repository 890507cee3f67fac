//! Block-level touches: ids on headings, lone images as `<figure>`s with captions and
//! known sizes, and the dateline (本报讯) run into the first paragraph.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::images::Photo;
use crate::text::slugify;

/// The article column's width for `sizes`: the whole screen on a phone, 40.5 rem (the
/// bulletin theme's story column) from there up. A theme with a wider column still gets
/// a sharp photo, only from a wider derivative than it needed.
pub const BODY_SIZES: &str = "(max-width: 42rem) 100vw, 40.5rem";

/// The article's photos by the name its body uses.
pub type ImageInfo = Arc<Photo>;

pub struct Blocks<'a, 'm, I: Iterator<Item = Event<'a>>> {
    inner: std::iter::Peekable<I>,
    dateline: &'m str,
    /// Between the dateline and the first sentence: an ideographic space in Chinese, a
    /// normal space in English (the site's `dateline.separator` string).
    dateline_separator: &'m str,
    images: &'m HashMap<String, ImageInfo>,
    dateline_done: bool,
    figures: usize,
    ids: HashSet<String>,
    out: VecDeque<Event<'a>>,
}

impl<'a, 'm, I: Iterator<Item = Event<'a>>> Blocks<'a, 'm, I> {
    pub fn new(
        inner: I,
        dateline: &'m str,
        dateline_separator: &'m str,
        images: &'m HashMap<String, ImageInfo>,
    ) -> Self {
        Blocks {
            inner: inner.peekable(),
            dateline,
            dateline_separator,
            images,
            dateline_done: dateline.is_empty(),
            figures: 0,
            ids: HashSet::new(),
            out: VecDeque::new(),
        }
    }

    /// Buffers a heading to give it an id made from its text (pinyin, unique on the page).
    fn heading(&mut self, start: Tag<'a>) {
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = start
        else {
            return;
        };
        let mut inner = Vec::new();
        let mut text = String::new();
        for e in self.inner.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            if let Event::Text(t) | Event::Code(t) = &e {
                text.push_str(t);
            }
            inner.push(e);
        }
        let id = id.map(|i| i.to_string()).unwrap_or_else(|| {
            let base = slugify(&text);
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let mut id = base.clone();
            let mut n = 2;
            while self.ids.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        });
        self.ids.insert(id.clone());
        self.out.push_back(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }));
        self.out.extend(inner);
        self.out.push_back(Event::End(TagEnd::Heading(level)));
    }

    /// A paragraph holding only an image becomes a figure; returns false if it is not one.
    fn try_figure(&mut self) -> bool {
        let Some(Event::Start(Tag::Image {
            dest_url, title, ..
        })) = self.inner.peek().cloned()
        else {
            return false;
        };
        self.inner.next();
        let alt = self.alt_text();
        let mut trailing = Vec::new();
        // Anything but the paragraph's end after the image means text around it: not a figure.
        for e in self.inner.by_ref() {
            if matches!(e, Event::End(TagEnd::Paragraph)) {
                break;
            }
            trailing.push(e);
        }
        let only_whitespace = trailing.iter().all(|e| {
            matches!(e, Event::Text(t) if t.trim().is_empty()) || matches!(e, Event::SoftBreak)
        });
        self.figures += 1;
        let mut html = String::new();
        if only_whitespace {
            html.push_str("<figure>");
        } else {
            html.push_str("<p>");
        }
        html.push_str(&self.img_tag(&dest_url, &alt));
        if only_whitespace {
            if !title.is_empty() {
                html.push_str("<figcaption>");
                let _ = escape_html(&mut html, &title);
                html.push_str("</figcaption>");
            }
            html.push_str("</figure>\n");
            self.out.push_back(Event::Html(CowStr::from(html)));
        } else {
            self.out.push_back(Event::Html(CowStr::from(html)));
            self.out.extend(trailing);
            self.out.push_back(Event::Html(CowStr::from("</p>\n")));
        }
        true
    }

    /// The text of an image's description, up to the image's end (its plain text only).
    fn alt_text(&mut self) -> String {
        let mut alt = String::new();
        for e in self.inner.by_ref() {
            match e {
                Event::End(TagEnd::Image) => break,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
        }
        alt
    }

    /// A bundle photo becomes a `<picture>`: WebP at every width for browsers to choose
    /// from, the JPEG for those without WebP, and the size so the page does not jump.
    /// Any other image (a URL, a GIF) stays a plain `<img>`.
    fn img_tag(&self, src: &str, alt: &str) -> String {
        let photo = self.images.get(src);
        let mut html = String::new();
        if let Some(p) = photo {
            html.push_str("<picture><source type=\"image/webp\" srcset=\"");
            for (i, v) in p.webp.iter().enumerate() {
                if i > 0 {
                    html.push_str(", ");
                }
                let _ = escape_href(&mut html, &v.file);
                html.push_str(&format!(" {}w", v.width));
            }
            html.push_str("\" sizes=\"");
            html.push_str(BODY_SIZES);
            html.push_str("\">");
        }
        html.push_str("<img src=\"");
        let _ = escape_href(&mut html, photo.map_or(src, |p| p.card.file.as_str()));
        html.push_str("\" alt=\"");
        let _ = escape_html(&mut html, alt);
        html.push('"');
        if let Some(p) = photo {
            html.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                p.card.width, p.card.height
            ));
        }
        // The first photo is usually on screen at once; the rest can wait for scrolling.
        if self.figures > 1 {
            html.push_str(" loading=\"lazy\"");
        }
        html.push_str(" decoding=\"async\">");
        if photo.is_some() {
            html.push_str("</picture>");
        }
        html
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Blocks<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            match self.inner.next()? {
                Event::Start(tag @ Tag::Heading { .. }) => self.heading(tag),
                Event::Start(Tag::Paragraph) => {
                    if self.try_figure() {
                        continue;
                    }
                    self.out.push_back(Event::Start(Tag::Paragraph));
                    if !self.dateline_done {
                        self.dateline_done = true;
                        let mut html = String::from("<span class=\"dateline\">");
                        let _ = escape_html(&mut html, self.dateline);
                        html.push_str("</span>");
                        let _ = escape_html(&mut html, self.dateline_separator);
                        self.out.push_back(Event::InlineHtml(CowStr::from(html)));
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    // An image inside running text: keep it inline, but with size and lazy loading.
                    self.figures += 1;
                    let alt = self.alt_text();
                    self.out.push_back(Event::InlineHtml(CowStr::from(
                        self.img_tag(&dest_url, &alt),
                    )));
                }
                other => return Some(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser};

    fn html_of(md: &str, dateline: &str) -> String {
        html_with_separator(md, dateline, "\u{3000}")
    }

    fn html_with_separator(md: &str, dateline: &str, separator: &str) -> String {
        let mut images = HashMap::new();
        images.insert(
            "a.jpg".to_string(),
            Arc::new(Photo::sample("a.jpg", 800, 533)),
        );
        let mut out = String::new();
        html::push_html(
            &mut out,
            Blocks::new(Parser::new(md), dateline, separator, &images),
        );
        out
    }

    #[test]
    fn lone_image_becomes_a_sized_figure_with_caption() {
        let out = html_of("![新电梯](a.jpg \"居民乘坐新电梯\")\n", "");
        assert_eq!(
            out,
            "<figure><picture><source type=\"image/webp\" srcset=\"a-480.webp 480w, a-800.webp 800w\" sizes=\"(max-width: 42rem) 100vw, 40.5rem\"><img src=\"a-card.jpg\" alt=\"新电梯\" width=\"800\" height=\"533\" decoding=\"async\"></picture><figcaption>居民乘坐新电梯</figcaption></figure>\n"
        );
    }

    #[test]
    fn later_images_load_lazily() {
        let out = html_of("![a](a.jpg)\n\n![b](b.jpg)\n", "");
        assert!(
            out.contains("<img src=\"b.jpg\" alt=\"b\" loading=\"lazy\" decoding=\"async\">"),
            "{out}"
        );
    }

    #[test]
    fn headings_get_pinyin_ids_unique_on_the_page() {
        let out = html_of("## 四字诀\n\n## 四字诀\n\n## 四字诀\n", "");
        assert!(out.contains("<h2 id=\"si-zi-jue\">"));
        assert!(out.contains("<h2 id=\"si-zi-jue-2\">"));
        assert!(out.contains("<h2 id=\"si-zi-jue-3\">"), "{out}");
    }

    #[test]
    fn images_in_running_text_stay_inline_and_later_ones_load_lazily() {
        let out = html_of("开头![图*一*](a.jpg)中间![图`二`](b.png)结尾\n", "");
        assert!(out.starts_with("<p>开头<picture>"), "{out}");
        assert!(out.contains("alt=\"图一\""), "{out}");
        assert!(
            out.contains(
                "中间<img src=\"b.png\" alt=\"图二\" loading=\"lazy\" decoding=\"async\">结尾</p>"
            ),
            "{out}"
        );
    }

    /// A full-width space typed after a photo is not text around it.
    #[test]
    fn an_image_with_only_a_full_width_space_after_it_is_a_figure() {
        let out = html_of("![新电梯](a.jpg)\u{3000}\n", "");
        assert!(out.starts_with("<figure>"), "{out}");
        let out = html_of("![新电梯](a.jpg)旁边的字\n", "");
        assert!(out.starts_with("<p>"), "{out}");
    }

    #[test]
    fn dateline_runs_into_the_first_paragraph_only() {
        let out = html_of("8月2日，会议召开。\n\n第二段。\n", "本报讯");
        assert!(
            out.starts_with("<p><span class=\"dateline\">本报讯</span>\u{3000}8月2日"),
            "{out}"
        );
        assert_eq!(out.matches("dateline").count(), 1);
    }

    #[test]
    fn escaping_holds_in_alt_and_caption() {
        let out = html_of("![\"x & y](a.jpg \"<script>\")\n", "");
        assert!(out.contains("alt=\"&quot;x &amp; y\""), "{out}");
        assert!(out.contains("<figcaption>&lt;script&gt;</figcaption>"));
    }

    #[test]
    fn an_english_dateline_is_joined_with_a_normal_space() {
        let out = html_with_separator("Crews started work.\n", "RIVERSIDE, Nov. 21 —", " ");
        assert!(
            out.starts_with("<p><span class=\"dateline\">RIVERSIDE, Nov. 21 —</span> Crews"),
            "{out}"
        );
    }
}
