//! Pinyin readings of Han text, word by word.
//!
//! Input: a run of Han characters, Simplified or Traditional. Output: its words, each the
//! toneless syllables a Chinese reader says (`长江` → `chang jiang`, `重慶` → `chong qing`).
//! Text is cut into words by jieba (by word frequency), then each word is read from the
//! phrase data of `pinyin-converter` (mozillazg's maintained phrase-pinyin-data, the data
//! pypinyin uses), so a polyphone reads as it does in its word. Jieba cuts and the phrase
//! data reads because each is good at one half: the phrase data alone, matched longest
//! first, swallows characters into rare classical entries (边查边改 as 边/查边/改, read
//! zha). Traditional characters are first mapped to their Simplified forms: both
//! dictionaries are Simplified and the two scripts read the same.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::{Converter, Pinyin};

/// One word of a Han run and its syllables, e.g. `["chong", "qing"]` for 重庆.
pub type Reading = Vec<String>;

/// Newsroom words the phrase data lacks, whose characters read differently alone
/// (长 alone is chang; in a title of office it is zhang). Matched before the data.
const NEWSROOM_WORDS: &[(&str, &[&str])] = &[
    ("楼栋长", &["lou", "dong", "zhang"]),
    ("楼长", &["lou", "zhang"]),
    ("栋长", &["dong", "zhang"]),
    ("河长", &["he", "zhang"]),
    ("河长制", &["he", "zhang", "zhi"]),
    ("街长", &["jie", "zhang"]),
    ("网格长", &["wang", "ge", "zhang"]),
    ("还款", &["huan", "kuan"]),
    ("还贷", &["huan", "dai"]),
];

/// Surnames read differently from the same character elsewhere (曾 zēng, not céng).
/// The crate has such a list too, but reaching it costs a second copy of its whole
/// phrase table in memory and seconds of start-up; these are the ones that differ.
const SURNAMES: &[(&str, &[&str])] = &[
    ("尉迟", &["yu", "chi"]),
    ("万俟", &["mo", "qi"]),
    ("单于", &["chan", "yu"]),
    ("曾", &["zeng"]),
    ("单", &["shan"]),
    ("解", &["xie"]),
    ("仇", &["qiu"]),
    ("朴", &["piao"]),
    ("区", &["ou"]),
    ("查", &["zha"]),
    ("翟", &["zhai"]),
    ("乐", &["yue"]),
    ("覃", &["qin"]),
    ("盖", &["ge"]),
    ("缪", &["miao"]),
    ("员", &["yun"]),
    ("贠", &["yun"]),
    ("秘", &["bi"]),
    ("重", &["chong"]),
    ("种", &["chong"]),
    ("繁", &["po"]),
    ("瞿", &["qu"]),
    ("折", &["she"]),
    ("那", &["na"]),
    ("尉", &["yu"]),
    ("冼", &["xian"]),
    ("华", &["hua"]),
    ("纪", &["ji"]),
    ("燕", &["yan"]),
    ("佴", &["nai"]),
    ("粘", &["nian"]),
    ("宿", &["su"]),
    ("殷", &["yin"]),
    ("阚", &["kan"]),
    ("牟", &["mou"]),
    ("薄", &["bo"]),
    ("柏", &["bai"]),
    ("长孙", &["zhang", "sun"]),
];

static JIEBA: OnceLock<Jieba> = OnceLock::new();

fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(Jieba::new)
}

/// Starts loading both dictionaries (about a second of work) so it overlaps reading the
/// site's files; the first `read_words` call waits for whatever is not ready yet.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| Converter::new("一").convert());
        std::thread::spawn(jieba);
    });
}

/// Reads `han` (Han characters only) as words. A name reads its first characters as a
/// surname when they are one (曾 zeng, 单 shan, 尉迟 yu-chi).
pub fn read_words(han: &str, as_name: bool) -> Vec<Reading> {
    let simplified = fast2s::convert(han);
    let mut words = Vec::new();
    let mut rest = simplified.as_str();
    if as_name {
        let surname = SURNAMES
            .iter()
            .filter(|(surname, _)| rest.starts_with(surname) && rest.len() > surname.len())
            .max_by_key(|(surname, _)| surname.len());
        if let Some((surname, reading)) = surname {
            words.push(reading.iter().map(|s| s.to_string()).collect());
            rest = &rest[surname.len()..];
        }
    }
    while !rest.is_empty() {
        let (before, found) = split_at_newsroom_word(rest);
        for token in jieba().cut(before, false) {
            words.extend(read_with_data(token.word));
        }
        match found {
            Some((word, reading)) => {
                words.push(reading.iter().map(|s| s.to_string()).collect());
                rest = &rest[before.len() + word.len()..];
            }
            None => break,
        }
    }
    words
}

/// The text before the first newsroom word in `text`, and that word (longest at its place).
fn split_at_newsroom_word(text: &str) -> (&str, Option<(&str, &[&str])>) {
    for (i, _) in text.char_indices() {
        let longest = NEWSROOM_WORDS
            .iter()
            .filter(|(word, _)| text[i..].starts_with(word))
            .max_by_key(|(word, _)| word.len());
        if let Some((word, reading)) = longest {
            return (&text[..i], Some((word, reading)));
        }
    }
    (text, None)
}

fn read_with_data(han: &str) -> Vec<Reading> {
    let result = Converter::new(han)
        .without_tone()
        .raw_words()
        .no_punctuation()
        .convert();
    result
        .words()
        .iter()
        .zip(result.iter())
        .map(|(word, reading)| match single_char(&word.text) {
            // The crate's general table reads lone surname characters as surnames
            // (区 ou, 乐 yue); outside names a lone character takes its common reading.
            Some(c) => syllables(&Pinyin::chars(&c.to_string()).without_tone().to_string()),
            None => syllables(&reading),
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Splits a toneless reading into ASCII syllables (`lü` is written `lv`, as in URLs).
fn syllables(reading: &str) -> Reading {
    reading
        .split_whitespace()
        .map(|s| {
            s.chars()
                .map(|c| if c == 'ü' { 'v' } else { c })
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(han: &str) -> Vec<Vec<&'static str>> {
        read_words(han, false)
            .into_iter()
            .map(|w| w.into_iter().map(|s| &*s.leak()).collect())
            .collect()
    }

    #[test]
    fn words_keep_their_syllables_together() {
        assert_eq!(
            flat("长江大桥重新开放"),
            [
                vec!["chang", "jiang"],
                vec!["da", "qiao"],
                vec!["chong", "xin"],
                vec!["kai", "fang"]
            ]
        );
    }

    #[test]
    fn traditional_reads_like_simplified() {
        assert_eq!(read_words("重慶銀行", false), read_words("重庆银行", false));
    }
}
