//! The languages Gazette has interface tables for, and reading a site's `language:` code.

/// A language with a built-in interface table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Simplified Chinese (mainland China, Singapore).
    ZhCn,
    /// Traditional Chinese as written in Taiwan.
    ZhTw,
    /// Traditional Chinese as written in Hong Kong and Macau.
    ZhHk,
    En,
}

/// The codes to write in `site.yaml`, as listed in error messages.
pub const SUPPORTED: &[&str] = &["zh-CN", "zh-TW", "zh-HK", "en"];

/// A `language:` value Gazette has no table for, with a guess at what was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    pub code: String,
    pub suggestion: Option<&'static str>,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::ZhCn, Language::ZhTw, Language::ZhHk, Language::En];

    /// The table's own code, e.g. `zh-TW`.
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::ZhTw => "zh-TW",
            Language::ZhHk => "zh-HK",
            Language::En => "en",
        }
    }

    /// Reads a BCP 47 code: returns the table to use and the code to publish (for
    /// `<html lang>`, feeds and `og:locale`), with its case normalized. A region is kept
    /// (`en-GB`, `zh-SG`), so the page says what the site is; any English region uses the
    /// English table. Chinese needs its script or region: `zh` alone does not say whether
    /// readers expect Simplified or Traditional characters.
    pub fn parse(code: &str) -> Result<(Language, String), UnknownLanguage> {
        let normalized = normalize(code);
        let lower = normalized.to_ascii_lowercase();
        let language = match lower.as_str() {
            "zh-cn" | "zh-sg" | "zh-hans" | "zh-hans-cn" | "zh-hans-sg" => Some(Language::ZhCn),
            "zh-tw" | "zh-hant" | "zh-hant-tw" => Some(Language::ZhTw),
            "zh-hk" | "zh-mo" | "zh-hant-hk" | "zh-hant-mo" => Some(Language::ZhHk),
            "en" => Some(Language::En),
            _ => match lower.strip_prefix("en-") {
                Some(region)
                    if region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    Some(Language::En)
                }
                _ => None,
            },
        };
        match language {
            Some(l) => Ok((l, normalized)),
            None => Err(UnknownLanguage {
                code: code.to_string(),
                suggestion: suggest(code),
            }),
        }
    }
}

/// `zh_tw` → `zh-TW`, `ZH-HANT` → `zh-Hant`: BCP 47's conventional case.
fn normalize(code: &str) -> String {
    code.trim()
        .split(['-', '_'])
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => {
                let mut s = part[..1].to_ascii_uppercase();
                s.push_str(&part[1..].to_ascii_lowercase());
                s
            }
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// What someone who wrote `code` most likely meant: names of languages and places (in
/// English or Chinese) first, then a near spelling of a supported code.
fn suggest(code: &str) -> Option<&'static str> {
    let word: String = code
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect();
    let by_name = match word.as_str() {
        "zh" | "cn" | "chs" | "chinese" | "simplifiedchinese" | "simplified" | "mandarin"
        | "zhongwen" | "中文" | "汉语" | "简体" | "简体中文" | "中国" | "zhcn" => {
            Some("zh-CN")
        }
        "tw" | "cht" | "traditionalchinese" | "traditional" | "taiwan" | "繁体" | "繁體"
        | "繁體中文" | "繁体中文" | "台湾" | "臺灣" | "台灣" | "zhtw" => {
            Some("zh-TW")
        }
        "hk" | "hongkong" | "cantonese" | "香港" | "粤语" | "粵語" | "zhhk" => Some("zh-HK"),
        "english" | "eng" | "英文" | "英语" | "英語" => Some("en"),
        _ => None,
    };
    by_name.or_else(|| {
        // The same typo measure as every other did-you-mean, on lower-case codes.
        let lowered: Vec<String> = SUPPORTED.iter().map(|c| c.to_lowercase()).collect();
        let hit = crate::diag::did_you_mean(
            &code.trim().to_lowercase(),
            lowered.iter().map(String::as_str),
        )?;
        SUPPORTED
            .iter()
            .copied()
            .find(|c| c.eq_ignore_ascii_case(hit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_any_case_and_keep_their_region() {
        assert_eq!(
            Language::parse("zh_tw").unwrap(),
            (Language::ZhTw, "zh-TW".to_string())
        );
        assert_eq!(
            Language::parse("en-gb").unwrap(),
            (Language::En, "en-GB".to_string())
        );
        assert_eq!(
            Language::parse("zh-Hant-HK").unwrap(),
            (Language::ZhHk, "zh-Hant-HK".to_string())
        );
        assert_eq!(Language::parse("zh-CN").unwrap().0, Language::ZhCn);
    }

    #[test]
    fn unknown_codes_get_a_guess() {
        let guess = |c: &str| Language::parse(c).unwrap_err().suggestion;
        assert_eq!(guess("chinese"), Some("zh-CN"));
        assert_eq!(guess("Traditional Chinese"), Some("zh-TW"));
        assert_eq!(guess("English"), Some("en"));
        assert_eq!(guess("zh"), Some("zh-CN"));
        assert_eq!(guess("zh-CM"), Some("zh-CN"));
        assert_eq!(guess("fr"), None);
    }
}
