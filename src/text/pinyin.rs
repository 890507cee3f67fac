//! Pinyin readings of Han text, word by word.
//!
//! Input: a run of Han characters, Simplified or Traditional. Output: its words, each the
//! toneless syllables a Chinese reader says (`长江` → `chang jiang`, `重慶` → `chong qing`).
//! Text is cut into words by jieba (by word frequency), then each word is read from
//! mozillazg's maintained data (the data pypinyin uses): a character's common reading,
//! unless the word, or a word inside it, is one of the 13,000 that read otherwise (长江,
//! 银行, 重新). Jieba cuts and the phrase data reads because each is good at one half: the
//! phrase data alone, matched longest first, swallows characters into rare classical
//! entries (边查边改 as 边/查边/改, read zha). Traditional characters are first mapped to
//! their Simplified forms: both dictionaries are Simplified and the two scripts read the
//! same.
//!
//! The data is two sorted tables compiled into the program (`pinyin/*.tsv`, made by
//! `tools/pinyin_table.py`): 55,000 lines, read into maps on first use (about 10 MB more
//! at peak), where the whole phrase data of the pinyin crates cost seconds and 170 MB.

use std::collections::HashMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;

/// One word of a Han run and its syllables, e.g. `["chong", "qing"]` for 重庆.
pub type Reading = Vec<String>;

/// `字\treading` for every character: its common reading.
static CHARS: Table = Table::new(include_str!("pinyin/chars.tsv"));
/// `词语\tci yu` for the words that do not read as their characters do.
static WORDS: Table = Table::new(include_str!("pinyin/words.tsv"));
/// The longest word in `WORDS`, in characters.
const LONGEST_WORD: usize = 12;

/// Newsroom words the phrase data lacks or reads otherwise than a newsroom does (a 河长 is
/// a zhang, 还款 is huan). Matched before the data.
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
/// Only the surnames whose reading differs from the character's common one are listed.
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

/// Starts loading jieba's dictionary (a fraction of a second) so it overlaps reading the
/// site's files; the first `read_words` call waits for it if it is not ready yet.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
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
            words.extend(read_word(token.word));
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

/// A word's syllables: the longest entry of `WORDS` at each place, else the character's
/// common reading. `None` when no character has a reading.
fn read_word(word: &str) -> Option<Reading> {
    let places: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let end_of = |k: usize| places.get(k).copied().unwrap_or(word.len());
    let mut reading = Vec::new();
    let mut k = 0;
    while k < places.len() {
        let longest = (2..=LONGEST_WORD.min(places.len() - k))
            .rev()
            .find_map(|n| Some((n, WORDS.get(&word[places[k]..end_of(k + n)])?)));
        let (n, syllables) = match longest {
            Some(found) => found,
            None => (1, CHARS.get(&word[places[k]..end_of(k + 1)]).unwrap_or("")),
        };
        reading.extend(syllables.split_whitespace().map(str::to_string));
        k += n;
    }
    Some(reading).filter(|r| !r.is_empty())
}

/// A table of `key\treading` lines, read into a map the first time it is used: every
/// character of every heading, name and tag is looked up, and a binary search over the
/// text per lookup was a twelfth of a warm build's CPU at 10,000 articles.
struct Table {
    text: &'static str,
    map: OnceLock<HashMap<&'static str, &'static str>>,
}

impl Table {
    const fn new(text: &'static str) -> Table {
        Table {
            text,
            map: OnceLock::new(),
        }
    }

    fn get(&self, key: &str) -> Option<&'static str> {
        let map = self.map.get_or_init(|| {
            (self.text.lines())
                .filter_map(|line| line.split_once('\t'))
                .collect()
        });
        map.get(key).copied()
    }
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
                vec!["chang", "jiang", "da", "qiao"],
                vec!["chong", "xin"],
                vec!["kai", "fang"]
            ]
        );
    }

    #[test]
    fn every_entry_of_the_tables_is_found() {
        for table in [&CHARS, &WORDS] {
            let keys: Vec<&str> = (table.text.lines())
                .map(|l| l.split('\t').next().unwrap())
                .collect();
            // Sorted, so no key twice: a map would keep one of two readings unseen.
            assert!(keys.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
            for key in keys.iter().step_by(97) {
                assert!(table.get(key).is_some(), "{key}");
            }
        }
        let longest = (WORDS.text.lines()).map(|l| l.split('\t').next().unwrap().chars().count());
        assert_eq!(longest.max(), Some(LONGEST_WORD));
        assert_eq!(WORDS.get("长江"), Some("chang jiang"));
        assert_eq!(WORDS.get("长"), None);
    }

    #[test]
    fn traditional_reads_like_simplified() {
        assert_eq!(read_words("重慶銀行", false), read_words("重庆银行", false));
    }
}
