//! Drops a soft line break between two East Asian wide characters.
//!
//! A break can sit between inline tags (`坚持**问题**\n导向`), so the adapter holds the
//! break and any inline tags that follow it until it sees the next character of text,
//! then decides: join (drop the break) or keep it (a space in HTML).

use std::collections::VecDeque;

use pulldown_cmark::Event;

use crate::text::cjk::joins_without_space;

pub struct CjkBreaks<'a, I> {
    inner: I,
    enabled: bool,
    /// The last character of text passed through, if the last event was text-like.
    last_char: Option<char>,
    /// A held soft break, the character before it, and the inline tags seen since.
    held: Option<(Option<char>, Vec<Event<'a>>)>,
    out: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> CjkBreaks<'a, I> {
    pub fn new(inner: I, enabled: bool) -> Self {
        CjkBreaks {
            inner,
            enabled,
            last_char: None,
            held: None,
            out: VecDeque::new(),
        }
    }

    fn release(&mut self, next_char: Option<char>) {
        if let Some((before, tags)) = self.held.take() {
            let join =
                matches!((before, next_char), (Some(a), Some(b)) if joins_without_space(a, b));
            if !join {
                self.out.push_back(Event::SoftBreak);
            }
            self.out.extend(tags);
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for CjkBreaks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.enabled {
            return self.inner.next();
        }
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            let Some(event) = self.inner.next() else {
                self.release(None);
                return self.out.pop_front();
            };
            match event {
                Event::SoftBreak => {
                    self.release(None);
                    self.held = Some((self.last_char, Vec::new()));
                    self.last_char = None;
                }
                event @ (Event::Start(_) | Event::End(_))
                    if self.held.is_some() && is_inline_event(&event) =>
                {
                    if let Some((_, tags)) = self.held.as_mut() {
                        tags.push(event);
                    }
                }
                Event::Text(ref s) | Event::Code(ref s) => {
                    if self.held.is_some() {
                        self.release(s.chars().next());
                    }
                    self.last_char = s.chars().next_back().or(self.last_char);
                    // Nothing queued (the usual case): pass the event straight through.
                    if self.out.is_empty() {
                        return Some(event);
                    }
                    self.out.push_back(event);
                }
                other => {
                    if self.held.is_some() {
                        self.release(None);
                    }
                    self.last_char = match &other {
                        Event::Start(t) if crate::markdown::is_inline(t) => self.last_char,
                        Event::End(_) => self.last_char,
                        _ => None,
                    };
                    if self.out.is_empty() {
                        return Some(other);
                    }
                    self.out.push_back(other);
                }
            }
        }
    }
}

/// Only inline starts and ends may sit between a held break and the text after it.
fn is_inline_event(event: &Event<'_>) -> bool {
    use pulldown_cmark::TagEnd;
    match event {
        Event::Start(t) => crate::markdown::is_inline(t),
        Event::End(end) => matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Parser};

    fn html_of(md: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, CjkBreaks::new(Parser::new(md), true));
        out
    }

    #[test]
    fn break_between_ideographs_vanishes() {
        assert_eq!(html_of("坚\n持"), "<p>坚持</p>\n");
    }

    #[test]
    fn break_before_emphasis_is_judged_by_the_emphasised_text() {
        assert_eq!(
            html_of("坚持\n**问题**导向"),
            "<p>坚持<strong>问题</strong>导向</p>\n"
        );
        assert_eq!(
            html_of("**坚持**\n问题"),
            "<p><strong>坚持</strong>问题</p>\n"
        );
    }

    /// An image is not text the line goes on with: its alt text does not join the lines.
    #[test]
    fn a_break_before_an_image_stays() {
        assert_eq!(
            html_of("第一行\n![图片](a.png)"),
            "<p>第一行\n<img src=\"a.png\" alt=\"图片\" /></p>\n"
        );
    }

    /// A break just inside a link's text or just before its end is judged by the
    /// characters on either side, not by the tag between them.
    #[test]
    fn a_break_at_either_end_of_a_link_is_judged_by_the_text() {
        assert_eq!(
            html_of("坚持[\n导向](x)"),
            "<p>坚持<a href=\"x\">导向</a></p>\n"
        );
        assert_eq!(
            html_of("[坚持\n](x)导向"),
            "<p><a href=\"x\">坚持</a>导向</p>\n"
        );
    }

    #[test]
    fn latin_and_mixed_breaks_stay() {
        assert_eq!(html_of("new\nline"), "<p>new\nline</p>\n");
        assert_eq!(html_of("2023\n年"), "<p>2023\n年</p>\n");
        assert_eq!(html_of("한국\n어"), "<p>한국\n어</p>\n");
    }

    #[test]
    fn disabled_filter_passes_everything() {
        let mut out = String::new();
        html::push_html(&mut out, CjkBreaks::new(Parser::new("坚\n持"), false));
        assert_eq!(out, "<p>坚\n持</p>\n");
    }
}
