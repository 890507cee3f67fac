//! Which characters are East Asian "wide" for the purpose of joining hard-wrapped lines.
//!
//! Text pasted from a newspaper column is wrapped every 14–18 characters. A line break
//! between two Chinese characters is not a space in Chinese, so it must vanish; between
//! Latin words it is one. Hangul is left out on purpose: Korean separates words by spaces.

/// Ideographs, kana, bopomofo, CJK and full-width punctuation (East Asian Width W or F).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x303E          // CJK radicals, Kangxi, ideographic description, CJK symbols & punctuation
        | 0x3041..=0x33FF        // Hiragana, Katakana, Bopomofo, compatibility
        | 0x3400..=0x4DBF        // CJK Extension A
        | 0x4E00..=0x9FFF        // CJK Unified Ideographs
        | 0xA000..=0xA4CF        // Yi
        | 0xF900..=0xFAFF        // CJK Compatibility Ideographs
        | 0xFE10..=0xFE19        // vertical forms
        | 0xFE30..=0xFE6F        // CJK compatibility forms, small form variants
        | 0xFF01..=0xFF60        // full-width ASCII variants and punctuation
        | 0xFFE0..=0xFFE6        // full-width signs
        | 0x20000..=0x3FFFD      // CJK Extensions B and beyond
    )
}

/// Han ideographs (and 〇), the characters that have a pinyin reading.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007                   // 〇, the ideographic zero in dates
        | 0x3400..=0x4DBF        // CJK Extension A
        | 0x4E00..=0x9FFF        // CJK Unified Ideographs
        | 0xF900..=0xFAFF        // CJK Compatibility Ideographs
        | 0x20000..=0x3FFFD      // CJK Extensions B and beyond
    )
}

/// Punctuation of ambiguous width that Chinese typesetting treats as full width:
/// curly quotes, the em dash and the ellipsis. They join only next to a wide character.
pub fn is_ambiguous_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2014}' | '\u{2026}' | '\u{00B7}'
    )
}

/// Whether a soft line break between `before` and `after` should disappear.
pub fn joins_without_space(before: char, after: char) -> bool {
    (is_wide(before) && (is_wide(after) || is_ambiguous_cjk_punct(after)))
        || (is_ambiguous_cjk_punct(before) && is_wide(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_fullwidth_punctuation_join() {
        assert!(joins_without_space('坚', '持'));
        assert!(joins_without_space('，', '小'));
        assert!(joins_without_space('区', '“'));
        assert!(joins_without_space('”', '小'));
        assert!(joins_without_space('の', 'カ'));
    }

    #[test]
    fn latin_hangul_and_mixed_keep_the_space() {
        assert!(!joins_without_space('d', 'w'));
        assert!(!joins_without_space('한', '국'));
        assert!(!joins_without_space('3', '年'));
        assert!(!joins_without_space('年', 'A'));
        assert!(!joins_without_space('”', '“'));
    }
}
