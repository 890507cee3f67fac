//! Interface strings: every word Gazette or its theme prints around the editors' own text.
//!
//! Input: the site's `language:` code and its optional `strings:` overrides. Output:
//! `Strings`, one table of string ids → text for that language (built-in tables for zh-CN,
//! zh-TW, zh-HK and en, compiled into the binary from `strings/*.yaml`), plus the
//! language's way of writing dates. Errors: an unsupported language code (with the
//! supported list and a did-you-mean) and override ids that do not exist.
//!
//! Texts hold `{name}` placeholders, filled by `fill`; a counted text has a `one` and an
//! `other` form, picked by `n` (English "1 article" / "6 articles"; Chinese uses one form).

mod language;

use std::collections::BTreeMap;

use serde::Deserialize;

pub use language::{Language, UnknownLanguage, SUPPORTED};

/// One interface text: plain, or counted with a singular form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Counted { one: String, other: String },
}

impl Text {
    /// A text as written in `site.yaml`: a string, or a map of exactly `one` and `other`
    /// strings. `None` for anything else (the caller says what to write instead).
    pub fn from_yaml(value: &serde_yaml::Value) -> Option<Text> {
        use serde_yaml::Value as Yaml;
        match value {
            Yaml::String(s) => Some(Text::Plain(s.clone())),
            Yaml::Number(n) => Some(Text::Plain(n.to_string())),
            Yaml::Mapping(m) if m.len() == 2 => {
                let form = |k: &str| m.get(k).and_then(Yaml::as_str).map(str::to_string);
                Some(Text::Counted {
                    one: form("one")?,
                    other: form("other")?,
                })
            }
            _ => None,
        }
    }

    /// The form for `n` things (`other` when there is no count).
    fn form(&self, n: Option<i64>) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Counted { one, .. } if n == Some(1) => one,
            Text::Counted { other, .. } => other,
        }
    }
}

/// The built-in table of `language`, as YAML text.
pub fn builtin_source(language: Language) -> &'static str {
    match language {
        Language::ZhCn => include_str!("strings/zh-CN.yaml"),
        Language::ZhTw => include_str!("strings/zh-TW.yaml"),
        Language::ZhHk => include_str!("strings/zh-HK.yaml"),
        Language::En => include_str!("strings/en.yaml"),
    }
}

/// A site's interface strings: its language's table with the site's overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    language: Language,
    table: BTreeMap<String, Text>,
}

impl Strings {
    /// The built-in table of `language`. The tables are part of the binary and a test parses
    /// each, so a parse failure here cannot reach a user; it would give an empty table.
    pub fn builtin(language: Language) -> Strings {
        Strings {
            language,
            table: serde_yaml::from_str(builtin_source(language)).unwrap_or_default(),
        }
    }

    /// Replaces texts by id; returns the ids that are not interface strings.
    pub fn with_overrides(
        mut self,
        overrides: BTreeMap<String, Text>,
    ) -> Result<Strings, Vec<String>> {
        let unknown: Vec<String> = overrides
            .keys()
            .filter(|id| !self.table.contains_key(*id))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        self.table.extend(overrides);
        Ok(self)
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Every string id, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.table.keys().map(String::as_str)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.table.contains_key(id)
    }

    /// The text of `id` (its `other` form); the id itself if there is no such string, which
    /// the tests rule out for every id Gazette's own code asks for.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.table.get(id).map_or(id, |t| t.form(None))
    }

    /// The text of `id` for `n` things, with `{name}` placeholders filled from `args`
    /// (and `{n}` from `n`).
    pub fn fill(&self, id: &str, n: Option<i64>, args: &[(&str, &str)]) -> String {
        let template = self.table.get(id).map_or(id, |t| t.form(n));
        let n_text = n.map(|n| n.to_string());
        fill_placeholders(template, |name| {
            if name == "n" {
                if let Some(n) = &n_text {
                    return Some(n.as_str());
                }
            }
            args.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        })
    }

    /// `{id}` with one argument, the common case.
    pub fn with(&self, id: &str, name: &str, value: &str) -> String {
        self.fill(id, None, &[(name, value)])
    }

    /// "2026年11月24日" or "November 24, 2026".
    pub fn date(&self, date: jiff::civil::Date) -> String {
        let year = date.year().to_string();
        let month = date.month().to_string();
        let day = date.day().to_string();
        let month_id = format!("month.{month}");
        let month_name = self.get(&month_id);
        self.fill(
            "date.long",
            None,
            &[
                ("year", &year),
                ("month", &month),
                ("day", &day),
                ("month_name", month_name),
            ],
        )
    }

    /// "2026年11月" or "November 2026".
    pub fn month(&self, year: i16, month: i8) -> String {
        let (y, m) = (year.to_string(), month.to_string());
        let month_id = format!("month.{month}");
        let month_name = self.get(&month_id);
        self.fill(
            "date.month",
            None,
            &[("year", &y), ("month", &m), ("month_name", month_name)],
        )
    }

    /// "星期二" or "Tuesday".
    pub fn weekday(&self, date: jiff::civil::Date) -> String {
        let id = format!("weekday.{}", date.weekday().to_monday_one_offset());
        self.get(&id).to_string()
    }

    /// "2026年11月24日 星期二" or "Tuesday, November 24, 2026".
    pub fn date_with_weekday(&self, date: jiff::civil::Date) -> String {
        let label = self.date(date);
        self.fill(
            "date.with_weekday",
            None,
            &[("date", &label), ("weekday", &self.weekday(date))],
        )
    }
}

/// Replaces each `{name}` whose value `lookup` knows; others are left as written. One pass,
/// so a value that itself contains `{…}` is never filled in again.
pub fn fill_placeholders<'a>(template: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if is_placeholder_name(name) => {
                match lookup(name) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    #[test]
    fn every_builtin_table_parses_and_has_every_id() {
        let english = Strings::builtin(Language::En);
        let ids: Vec<&str> = english.ids().collect();
        assert!(ids.len() > 100, "{}", ids.len());
        for language in Language::ALL {
            let table: BTreeMap<String, Text> = serde_yaml::from_str(builtin_source(language))
                .unwrap_or_else(|e| {
                    panic!("strings/{}.yaml: {e}", language.code());
                });
            let theirs: Vec<&str> = table.keys().map(String::as_str).collect();
            let missing: Vec<&&str> = ids.iter().filter(|id| !table.contains_key(**id)).collect();
            let extra: Vec<&&str> = theirs.iter().filter(|id| !english.contains(id)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "strings/{}.yaml lacks {missing:?} and has extra {extra:?}",
                language.code()
            );
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let d = date("2026-11-24");
        let zh = Strings::builtin(Language::ZhCn);
        let en = Strings::builtin(Language::En);
        assert_eq!(zh.date_with_weekday(d), "2026年11月24日 星期二");
        assert_eq!(en.date_with_weekday(d), "Tuesday, November 24, 2026");
        assert_eq!(en.month(2026, 2), "February 2026");
        assert_eq!(zh.month(2026, 2), "2026年2月");
        assert_eq!(
            Strings::builtin(Language::ZhTw).weekday(date("2026-11-29")),
            "星期日"
        );
    }

    #[test]
    fn english_counts_take_the_singular_for_one() {
        let en = Strings::builtin(Language::En);
        assert_eq!(en.fill("count.articles", Some(1), &[]), "1 article");
        assert_eq!(en.fill("count.articles", Some(6), &[]), "6 articles");
        assert_eq!(en.fill("count.articles", Some(0), &[]), "0 articles");
        let zh = Strings::builtin(Language::ZhCn);
        assert_eq!(zh.fill("count.articles", Some(1), &[]), "共 1 篇");
    }

    #[test]
    fn site_texts_are_strings_or_one_and_other() {
        let read = |y: &str| Text::from_yaml(&serde_yaml::from_str(y).unwrap());
        assert_eq!(read("Front page"), Some(Text::Plain("Front page".into())));
        assert_eq!(
            read("{one: a, other: b}"),
            Some(Text::Counted {
                one: "a".into(),
                other: "b".into()
            })
        );
        assert_eq!(read("{one: a}"), None);
        assert_eq!(read("{one: a, other: b, few: c}"), None);
        assert_eq!(read("[a, b]"), None);
    }

    #[test]
    fn placeholders_fill_known_names_and_keep_the_rest() {
        let s = fill_placeholders("{a} and {b} {not a name} {", |n| (n == "a").then_some("x"));
        assert_eq!(s, "x and {b} {not a name} {");
    }

    #[test]
    fn overrides_replace_texts_and_unknown_ids_are_refused() {
        let mut o = BTreeMap::new();
        o.insert("nav.home".to_string(), Text::Plain("Front page".into()));
        let s = Strings::builtin(Language::En).with_overrides(o).unwrap();
        assert_eq!(s.get("nav.home"), "Front page");
        let mut bad = BTreeMap::new();
        bad.insert("nav.hom".to_string(), Text::Plain("x".into()));
        assert_eq!(
            Strings::builtin(Language::En)
                .with_overrides(bad)
                .unwrap_err(),
            vec!["nav.hom".to_string()]
        );
    }
}
