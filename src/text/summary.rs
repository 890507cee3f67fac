//! Summaries and reading time, counted the way Chinese readers count: by characters.

/// Cuts `text` to at most `max` characters (never inside a character), preferring to end
/// at a sentence or clause mark in the last third, and marks a cut with `…`.
pub fn truncate_chars(text: &str, max: usize) -> String {
    let text = text.trim();
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().take(max).collect();
    let floor = max * 2 / 3;
    let cut = (floor..chars.len())
        .rev()
        .find(|&i| {
            matches!(
                chars[i],
                '。' | '！' | '？' | '；' | '，' | '.' | '!' | '?' | ';'
            )
        })
        .map(|i| i + 1)
        .unwrap_or(chars.len());
    let mut out: String = chars[..cut].iter().collect();
    let out_trimmed = out.trim_end_matches(['，', ',', '；', ';', ' ']).len();
    out.truncate(out_trimmed);
    out.push('…');
    out
}

/// Minutes to read: 400 Chinese characters or 200 Latin words a minute, at least one.
/// (400 chars/min is the usual figure for adult Chinese silent reading.)
pub fn reading_minutes(text: &str) -> usize {
    let mut stats = ReadingCount::default();
    stats.add(text);
    stats.minutes()
}

/// Characters and words counted as text streams by, so a body need not be kept whole.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadingCount {
    wide: usize,
    latin_words: usize,
    in_word: bool,
}

impl ReadingCount {
    pub fn add(&mut self, text: &str) {
        // Byte-level on purpose: this runs over every character of every article. In UTF-8
        // the ideographs (U+3400–U+9FFF) start with lead bytes E3–E9; CJK punctuation
        // (U+3000–U+303F) is the E3 80/81 part of that range and is not counted.
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b < 0x80 {
                let word = b.is_ascii_alphanumeric();
                if word && !self.in_word {
                    self.latin_words += 1;
                }
                self.in_word = word;
            } else if (0xE3..=0xE9).contains(&b) {
                let punctuation = b == 0xE3 && matches!(bytes.get(i + 1), Some(0x80 | 0x81));
                if !punctuation {
                    self.wide += 1;
                }
                self.in_word = false;
            } else if (0xC3..=0xDF).contains(&b) {
                // A two-byte letter (é, ж, α): part of a word like an ASCII letter.
                if !self.in_word {
                    self.latin_words += 1;
                    self.in_word = true;
                }
            } else if b >= 0xC0 {
                // Other lead bytes: symbols and punctuation (“ ” — …), full-width forms.
                self.in_word = false;
            }
        }
    }

    /// A boundary between blocks: a word cannot continue across it.
    pub fn break_word(&mut self) {
        self.in_word = false;
    }

    pub fn minutes(&self) -> usize {
        let minutes = self.wide as f64 / 400.0 + self.latin_words as f64 / 200.0;
        (minutes.ceil() as usize).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(truncate_chars("  短文。 ", 10), "短文。");
    }

    #[test]
    fn long_chinese_text_is_cut_by_characters_at_a_clause() {
        let text = "金芒果花苑小区六十岁以上的居民比例超过七成，上下楼梯不便直接影响居民生活。社区率先加装电梯";
        let s = truncate_chars(text, 30);
        assert!(s.chars().count() <= 31, "{s}");
        assert!(s.ends_with('…'));
        assert_eq!(s, "金芒果花苑小区六十岁以上的居民比例超过七成…");
    }

    #[test]
    fn reading_time_counts_characters_and_words() {
        assert_eq!(reading_minutes(&"字".repeat(800)), 2);
        assert_eq!(reading_minutes(&"word ".repeat(400)), 2);
        assert_eq!(reading_minutes(""), 1);
        // Punctuation counts as neither characters nor words.
        assert_eq!(reading_minutes(&"“，”。".repeat(1000)), 1);
        assert_eq!(reading_minutes(&"café ".repeat(400)), 2);
    }
}
