//! Diagnostics: every problem a run finds, with where it is and how to fix it.
//!
//! Input: problems raised by any stage. Output: one report on stderr, sorted by path and
//! line so the order never depends on how rayon scheduled the work. A `Diagnostic` is
//! plain data; stages collect them in a `Vec` and return them all, never just the first.
//! Messages are ids (`message`, `text`) printed in the editor's language; the offending
//! source line is shown under the first line with a caret (`snippet`).

mod message;
mod snippet;
mod text;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use message::{count, language, set_language, Arg, Lang, Message};
pub use text::{ids as message_ids, template as message_template};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding: `path:line:col: message`, plus an optional hint saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, counted in characters (not bytes), as editors count them.
    pub col: usize,
    pub message: Message,
    /// Boxed: most diagnostics travel in `Result`s, which stay small this way.
    pub hint: Option<Box<Message>>,
    /// How many characters from `col` the caret marks; 0 marks the word at `col`.
    pub width: usize,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: Message) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message,
            hint: None,
            width: 0,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: Message) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    /// Marks exactly `chars` characters from the column (one stray mark, say).
    pub fn marking(mut self, chars: usize) -> Self {
        self.width = chars;
        self
    }

    pub fn with_hint(mut self, hint: Message) -> Self {
        self.hint = Some(Box::new(hint));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The first line, `path:line:col: error: message`, in `lang`: the form editors and
    /// tests parse, whatever the language (`error`/`warning` stay English for them).
    pub fn headline(&self, lang: Lang) -> String {
        let mut out = self.path.display().to_string();
        if self.line > 0 {
            out.push_str(&format!(":{}:{}", self.line, self.col.max(1)));
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(": {label}: {}", self.message.render(lang)));
        out
    }

    /// The hint line, indented under the headline.
    pub fn hint_line(&self, lang: Lang) -> Option<String> {
        let label = Message::new("label.hint").render(lang);
        self.hint
            .as_ref()
            .map(|h| format!("  {label}: {}", h.render(lang)))
    }

    /// Headline, the source line with a caret (when given the file's `source` text), and
    /// the hint.
    pub fn render(&self, source: Option<&str>, lang: Lang) -> String {
        let mut out = self.headline(lang);
        if let Some(snip) = source.and_then(|text| snippet::render(text, self)) {
            out.push('\n');
            out.push_str(&snip);
        }
        if let Some(hint) = self.hint_line(lang) {
            out.push('\n');
            out.push_str(&hint);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(None, language()))
    }
}

/// Sorts diagnostics into the order an editor reads them: by file, then by position.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, a.message.id).cmp(&(
            &b.path,
            b.line,
            b.col,
            b.severity,
            b.message.id,
        ))
    });
}

/// Prints every diagnostic to stderr (source lines read from `root`), then a count line
/// when there are errors, followed by what they mean for the user (`consequence`).
pub fn report(root: &Path, diags: &[Diagnostic], consequence: Message) {
    use std::io::Write;
    let lang = language();
    // Each file is read once, however many of its lines are shown.
    let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
    let mut err = std::io::stderr().lock();
    for d in diags {
        let source = (sources.entry(&d.path))
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.path)).ok());
        let _ = writeln!(err, "{}", d.render(source.as_deref(), lang));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        let line = msg!(
            "summary.errors",
            count = count("count.errors.one", "count.errors.other", errors),
            consequence = consequence
        );
        let _ = writeln!(err, "{}", line.render(lang));
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column), columns in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Line and column of many offsets into one text, in linear time when the offsets come in
/// increasing order (as a parser's events do): each call scans on from the previous one,
/// where `line_col` would rescan from the start every time.
pub struct LineCursor<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    col: usize,
}

impl<'t> LineCursor<'t> {
    pub fn new(text: &'t str) -> Self {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            col: 1,
        }
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        if offset < self.offset {
            *self = LineCursor::new(self.text);
        }
        let skipped = &self.text[self.offset..offset];
        match skipped.rfind('\n') {
            Some(last) => {
                self.line += skipped.matches('\n').count();
                self.col = skipped[last + 1..].chars().count() + 1;
            }
            None => self.col += skipped.chars().count(),
        }
        self.offset = offset;
        (self.line, self.col)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cursor_agrees_with_line_col_forwards_and_back() {
        let text = "第一行\n标题：x\n\nabc";
        let mut cursor = LineCursor::new(text);
        for offset in [0, 3, 9, 10, 16, 17, 18, 20, 4, 0, text.len()] {
            assert_eq!(cursor.at(offset), line_col(text, offset), "at {offset}");
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "第一行\n标题：x";
        assert_eq!(line_col(text, 0), (1, 1));
        let colon = text.find('：').unwrap();
        assert_eq!(line_col(text, colon), (2, 3));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["reporter", "correspondent", "title"];
        assert_eq!(did_you_mean("reportr", keys), Some("reporter"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
