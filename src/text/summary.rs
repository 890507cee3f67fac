//! Summaries and reading time, counted the way Chinese readers count: by characters.

use super::cjk::is_wide;

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
    let mut wide = 0usize;
    let mut latin_words = 0usize;
    let mut in_word = false;
    for c in text.chars() {
        if is_wide(c) {
            if c.is_alphanumeric() {
                wide += 1;
            }
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                latin_words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let minutes = wide as f64 / 400.0 + latin_words as f64 / 200.0;
    (minutes.ceil() as usize).max(1)
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
    }
}
