//! ASCII slugs for URLs: Chinese becomes toneless pinyin, one syllable per word
//! (`杨宜锦` → `yang-yi-jin`), other scripts are transliterated, the rest separates words.

use std::collections::{BTreeMap, HashMap};

use super::cjk::is_han;
use super::pinyin::{read_words, Reading};

/// Slug of an arbitrary title, tag or name: lowercase ASCII words joined by `-`.
pub fn slugify(text: &str) -> String {
    words(text, false).concat().join("-")
}

/// Slug of a person's name: like `slugify`, but the first characters read as a surname.
pub fn slugify_name(name: &str) -> String {
    words(name, true).concat().join("-")
}

/// `slugify`, cut between words so the result is at most `max` bytes long: a Chinese word
/// keeps all its syllables or none (never `…-re` for 热闹).
pub fn slugify_trimmed(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in words(text, false) {
        let joined = word.join("-");
        let extra = if out.is_empty() { 0 } else { 1 };
        if !out.is_empty() && out.len() + extra + joined.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&joined);
    }
    out
}

/// The words of `text`: each Chinese word with its syllables, each Latin word alone.
fn words(text: &str, as_name: bool) -> Vec<Reading> {
    let mut words = Vec::new();
    let mut latin = String::new();
    let mut han = String::new();
    for c in text.chars() {
        if is_han(c) {
            flush_latin(&mut latin, &mut words);
            han.push(c);
            continue;
        }
        // Only a name's first Han run is read as a surname.
        flush_han(&mut han, as_name && words.is_empty(), &mut words);
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            // Other scripts: transliterate (é → e, Ж → zh); may yield several letters.
            for t in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if t.is_ascii_alphanumeric() {
                    latin.push(t.to_ascii_lowercase());
                } else {
                    flush_latin(&mut latin, &mut words);
                }
            }
        } else if c == '\'' || c == '’' {
            // Apostrophes join words: "Xinzheng's" → "xinzhengs".
        } else {
            flush_latin(&mut latin, &mut words);
        }
    }
    flush_han(&mut han, as_name && words.is_empty(), &mut words);
    flush_latin(&mut latin, &mut words);
    words
}

fn flush_han(han: &mut String, as_name: bool, words: &mut Vec<Reading>) {
    if !han.is_empty() {
        words.extend(read_words(&std::mem::take(han), as_name));
    }
}

fn flush_latin(latin: &mut String, words: &mut Vec<Reading>) {
    if !latin.is_empty() {
        words.push(vec![std::mem::take(latin)]);
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
        // Regression: this was cut inside 防汛 as `…-fang`.
        let s = slugify_trimmed("新郑召开防汛工作会议", 24);
        assert_eq!(s, "xin-zheng-zhao-kai");
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
