//! The offending source line under a diagnostic, with a caret, drawn by annotate-snippets.
//!
//! Input: a diagnostic with a line and column, and the text of its file. Output: the
//! gutter, the line and the caret under the character at the column (and the rest of its
//! word), widths counted as a terminal shows Chinese (two cells each).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// The snippet for `d` in `text` (its file), or `None` when it has no such line.
pub fn render(text: &str, d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let line = text.lines().nth(d.line - 1)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let span = caret_span(line, d.col, d.width);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let group = Group::with_level(level).element(
        Snippet::source(line)
            .line_start(d.line)
            .annotation(AnnotationKind::Primary.span(span)),
    );
    let out = Renderer::plain().render(&[group]);
    Some(out.trim_end().to_string())
}

/// Byte range from the character at `col` (1-based): `width` characters, or when that is
/// 0 to the end of its run of non-space characters (the key or value the message is about).
fn caret_span(line: &str, col: usize, width: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(col.max(1) - 1)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    if width > 0 {
        let len = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        return start..start + len;
    }
    let len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(rest.len(), |(i, _)| i);
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::caret_span;

    #[test]
    fn caret_covers_the_word_at_the_column() {
        assert_eq!(caret_span("reporter：张晓岚", 9, 0), 8..20);
        assert_eq!(caret_span("reporter：张晓岚", 9, 1), 8..11);
        assert_eq!(caret_span("title: 测试", 1, 0), 0..6);
        assert_eq!(caret_span("a  b", 2, 0), 1..2);
    }
}
