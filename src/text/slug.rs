//! ASCII slugs for URLs: Chinese becomes toneless pinyin, one syllable per word
//! (`杨宜锦` → `yang-yi-jin`), other scripts are transliterated, the rest separates words.

use std::collections::{BTreeMap, HashMap};

use pinyin::ToPinyin;

/// Common words whose characters the per-character pinyin table reads wrongly.
/// The crate gives each character its most frequent reading, which fails on place
/// names and a few everyday words; longest match wins.
const PHRASES: &[(&str, &[&str])] = &[
    ("重庆", &["chong", "qing"]),
    ("银行", &["yin", "hang"]),
    ("行业", &["hang", "ye"]),
    ("行长", &["hang", "zhang"]),
    ("成都", &["cheng", "du"]),
    ("首都", &["shou", "du"]),
    ("长沙", &["chang", "sha"]),
    ("长安", &["chang", "an"]),
    ("厦门", &["xia", "men"]),
    ("朝阳", &["chao", "yang"]),
    ("音乐", &["yin", "yue"]),
    ("会计", &["kuai", "ji"]),
    ("重要", &["zhong", "yao"]),
    ("重点", &["zhong", "dian"]),
    ("重大", &["zhong", "da"]),
    ("调研", &["diao", "yan"]),
    ("调查", &["diao", "cha"]),
    ("便民", &["bian", "min"]),
    ("供给", &["gong", "ji"]),
    ("给予", &["ji", "yu"]),
    ("还原", &["huan", "yuan"]),
    ("楼长", &["lou", "zhang"]),
    ("栋长", &["dong", "zhang"]),
    ("市长", &["shi", "zhang"]),
    ("镇长", &["zhen", "zhang"]),
    ("村长", &["cun", "zhang"]),
    ("校长", &["xiao", "zhang"]),
    ("增长", &["zeng", "zhang"]),
    ("成长", &["cheng", "zhang"]),
];

/// Surnames read differently from the same character elsewhere (曾 zēng, not céng).
const SURNAMES: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('区', "ou"),
    ('查', "zha"),
    ('翟', "zhai"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('员', "yun"),
    ('秘', "bi"),
];

/// Slug of an arbitrary title, tag or name: lowercase ASCII words joined by `-`.
pub fn slugify(text: &str) -> String {
    words(text, false).join("-")
}

/// Slug of a person's name: like `slugify`, but the first character reads as a surname.
pub fn slugify_name(name: &str) -> String {
    words(name, true).join("-")
}

/// `slugify`, cut at a word boundary so the result is at most `max` bytes long.
pub fn slugify_trimmed(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in words(text, false) {
        let extra = if out.is_empty() { 0 } else { 1 };
        if !out.is_empty() && out.len() + extra + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out
}

fn words(text: &str, as_name: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut latin = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if as_name && i == 0 {
            if let Some((_, reading)) = SURNAMES.iter().find(|(s, _)| *s == c) {
                words.push(reading.to_string());
                i += 1;
                continue;
            }
        }
        if let Some((len, readings)) = phrase_at(&chars[i..]) {
            flush(&mut latin, &mut words);
            words.extend(readings.iter().map(|r| r.to_string()));
            i += len;
            continue;
        }
        if let Some(p) = c.to_pinyin() {
            flush(&mut latin, &mut words);
            words.push(p.plain().to_string());
        } else if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            // Other scripts: transliterate (é → e, Ж → zh); may yield several letters.
            for t in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if t.is_ascii_alphanumeric() {
                    latin.push(t.to_ascii_lowercase());
                } else {
                    flush(&mut latin, &mut words);
                }
            }
        } else if c == '\'' || c == '’' {
            // Apostrophes join words: "Xinzheng's" → "xinzhengs".
        } else {
            flush(&mut latin, &mut words);
        }
        i += 1;
    }
    flush(&mut latin, &mut words);
    words
}

fn phrase_at(chars: &[char]) -> Option<(usize, &'static [&'static str])> {
    PHRASES
        .iter()
        .filter(|(phrase, _)| {
            let n = phrase.chars().count();
            chars.len() >= n && phrase.chars().zip(chars).all(|(a, b)| a == *b)
        })
        .map(|(phrase, readings)| (phrase.chars().count(), *readings))
        .max_by_key(|(len, _)| *len)
}

fn flush(latin: &mut String, words: &mut Vec<String>) {
    if !latin.is_empty() {
        words.push(std::mem::take(latin));
    }
}

/// Gives every distinct name a distinct slug. Names are registered in a fixed order
/// (sorted), so the same set of names always gets the same slugs; a later name whose
/// slug is taken gets `-2`, `-3`, … Explicit slugs (from profiles) are reserved first.
#[derive(Debug, Default)]
pub struct SlugRegistry {
    by_name: HashMap<String, String>,
    taken: BTreeMap<String, String>,
}

impl SlugRegistry {
    /// Reserves an explicit slug for `name`; returns the name that already holds it, if any.
    pub fn reserve(&mut self, name: &str, slug: &str) -> Result<(), String> {
        if let Some(owner) = self.taken.get(slug) {
            if owner != name {
                return Err(owner.clone());
            }
        }
        self.taken.insert(slug.to_string(), name.to_string());
        self.by_name.insert(name.to_string(), slug.to_string());
        Ok(())
    }

    /// The slug for `name`, derived with `derive` and made unique on first sight.
    pub fn assign(&mut self, name: &str, derive: impl Fn(&str) -> String) -> String {
        if let Some(slug) = self.by_name.get(name) {
            return slug.clone();
        }
        let mut base = derive(name);
        if base.is_empty() {
            base = "x".to_string();
        }
        let mut slug = base.clone();
        let mut n = 2;
        while self.taken.contains_key(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(slug.clone(), name.to_string());
        self.by_name.insert(name.to_string(), slug.clone());
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_and_tags_become_pinyin() {
        assert_eq!(slugify_name("杨宜锦"), "yang-yi-jin");
        assert_eq!(slugify("加装电梯"), "jia-zhuang-dian-ti");
        assert_eq!(slugify("2022年 文明城市"), "2022-nian-wen-ming-cheng-shi");
    }

    #[test]
    fn polyphonic_words_and_surnames_read_right() {
        assert_eq!(slugify("重庆银行"), "chong-qing-yin-hang");
        assert_eq!(slugify_name("曾志远"), "zeng-zhi-yuan");
        assert_eq!(slugify("楼栋长制度"), "lou-dong-zhang-zhi-du");
    }

    #[test]
    fn latin_and_accents_are_lowercased_ascii() {
        assert_eq!(
            slugify("Café Crème, Xinzheng's 5G!"),
            "cafe-creme-xinzhengs-5g"
        );
        assert_eq!(slugify("../etc/passwd"), "etc-passwd");
    }

    #[test]
    fn trimmed_slugs_stop_at_a_word() {
        let s = slugify_trimmed("新郑召开防汛工作会议", 24);
        assert_eq!(s, "xin-zheng-zhao-kai-fang");
        assert!(s.len() <= 24);
    }

    #[test]
    fn registry_never_gives_two_names_one_slug() {
        let mut reg = SlugRegistry::default();
        let a = reg.assign("张伟", slugify_name);
        let b = reg.assign("章伟", slugify_name);
        assert_eq!(a, "zhang-wei");
        assert_eq!(b, "zhang-wei-2");
        assert_eq!(reg.assign("张伟", slugify_name), "zhang-wei");
    }
}
