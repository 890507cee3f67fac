//! YAML with positions: typed parsing whose errors point at the line an editor must fix.
//!
//! serde_yaml stops at the first unknown key; editors deserve all of them at once, each
//! with a "did you mean". So on an unknown-key failure we re-read the document as a plain
//! mapping and report every key that is not known, at its own line. Before either, lines
//! typed with a Chinese keyboard's marks are reported where the mark is (`keyboard`).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, Diagnostic, Message};

/// Where a YAML document sits inside its file, so positions can be shifted to file lines.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a Path,
    /// Number of file lines before the document's first line.
    pub line_offset: usize,
}

/// The keys a document may have, and those it must have.
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    pub known: &'a [&'a str],
    pub required: &'a [&'a str],
}

/// Parses `text` as `T`; on failure returns every diagnostic the document deserves.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    origin: Origin<'_>,
    keys: Keys<'_>,
) -> Result<T, Vec<Diagnostic>> {
    check_alias_budget(text, origin).map_err(|d| vec![d])?;
    let known_keys = keys.known;
    match serde_yaml::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(err) => {
            let typed = super::keyboard::mistakes(text, origin, known_keys);
            if !typed.is_empty() {
                return Err(typed);
            }
            let unknown = unknown_keys(text, origin, known_keys);
            if !unknown.is_empty() {
                return Err(unknown);
            }
            Err(vec![explain(text, &err, origin, keys.required)])
        }
    }
}

/// How many values a document may hold once its aliases (`*name`) are expanded. Real
/// front matter and site.yaml hold hundreds; a few lines of nested aliases can otherwise
/// expand to billions and take every byte of memory (the "billion laughs").
pub const ALIAS_BUDGET: usize = 100_000;

/// Walks the document as aliases expand it, counting values, and stops at the budget: the
/// walk keeps nothing, so a hostile document costs at most the budget's time, never memory.
fn check_alias_budget(text: &str, origin: Origin<'_>) -> Result<(), Diagnostic> {
    // Without a `*` there is no alias, and expansion is the document itself.
    if !text.contains('*') {
        return Ok(());
    }
    let counter = ValueCounter {
        left: std::cell::Cell::new(ALIAS_BUDGET),
    };
    let deserializer = serde_yaml::Deserializer::from_str(text);
    match serde::de::DeserializeSeed::deserialize(&counter, deserializer) {
        // Any other problem is the typed parse's to report, in its own words.
        Err(err) if counter.left.get() == 0 => {
            let diag =
                Diagnostic::error(origin.path, msg!("yaml.alias_budget", limit = ALIAS_BUDGET))
                    .with_hint(msg!("yaml.alias_budget.hint"));
            Err(match err.location() {
                Some(loc) => diag.at(loc.line() + origin.line_offset, loc.column()),
                None => diag.at(origin.line_offset + 1, 1),
            })
        }
        _ => Ok(()),
    }
}

/// A serde visitor that only counts the values it is shown, failing past its budget.
struct ValueCounter {
    left: std::cell::Cell<usize>,
}

impl ValueCounter {
    fn take<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.left.get() {
            0 => Err(E::custom("alias expansion budget exceeded")),
            n => {
                self.left.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &ValueCounter {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &ValueCounter {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.take()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.take()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.take()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.take()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.take()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.take()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.take()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.take()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.take()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// Says what is wrong from the document's shape, not from serde's English wording (which
/// a dependency upgrade may change): a document that is not YAML at all, one that is not
/// `key: value` lines, two spellings of one key, or a value of the wrong kind for its key.
fn explain(
    text: &str,
    err: &serde_yaml::Error,
    origin: Origin<'_>,
    required: &[&str],
) -> Diagnostic {
    let (line, col) = err
        .location()
        .map_or((1, 1), |loc| (loc.line(), loc.column()));
    let at = |message: Message, line: usize, col: usize| {
        Diagnostic::error(origin.path, message).at(line + origin.line_offset, col)
    };
    if let Some((key, line)) = repeated_key(text) {
        return at(msg!("yaml.duplicate_key", key = key), line, 1)
            .with_hint(msg!("yaml.duplicate_key.hint"));
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Err(_) => at(msg!("yaml.syntax"), line, col).with_hint(msg!("yaml.syntax.hint")),
        Ok(serde_yaml::Value::Mapping(map)) => {
            let has = |k: &str| map.contains_key(k);
            for (one, many) in [
                ("reporter", "reporters"),
                ("correspondent", "correspondents"),
            ] {
                if has(one) && has(many) {
                    let (l, c) = key_position(text, many).unwrap_or((line, 1));
                    return at(msg!("yaml.both_spellings", one = one, many = many), l, c)
                        .with_hint(msg!("yaml.both_spellings.hint", one = one));
                }
            }
            if let Some(key) = required.iter().find(|k| !has(k)) {
                return at(msg!("front.missing", key = *key), 1, 1)
                    .with_hint(msg!("yaml.missing.hint", key = *key));
            }
            let key = key_at_or_above(text, line).unwrap_or_default();
            at(msg!("yaml.wrong_kind", key = key), line, col)
                .with_hint(Message::new(kind_hint(key)))
        }
        Ok(_) => at(msg!("yaml.not_mapping"), 1, 1).with_hint(msg!("yaml.not_mapping.hint")),
    }
}

/// The first top-level key written twice, and the line of its second use.
fn repeated_key(text: &str) -> Option<(&str, usize)> {
    let mut seen = std::collections::HashSet::new();
    text.lines().enumerate().find_map(|(i, l)| {
        let key = top_level_key(l)?;
        (!seen.insert(key)).then_some((key, i + 1))
    })
}

/// The key of a top-level `key: value` line.
fn top_level_key(line: &str) -> Option<&str> {
    let key = &line[..line.find(':')?];
    let is_key = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    is_key.then_some(key)
}

/// The top-level key whose value holds `line` (1-based, within the document).
fn key_at_or_above(text: &str, line: usize) -> Option<&str> {
    text.lines().take(line).filter_map(top_level_key).last()
}

/// What kind of value `key` takes, as a hint id.
fn kind_hint(key: &str) -> &'static str {
    match key {
        "draft" | "search" => "hint.kind.bool",
        "paginate" | "feed_limit" => "hint.kind.number",
        "tags" | "corrections" | "sections" | "reporters" | "correspondents" => "hint.kind.list",
        "extra" | "people" | "markdown" => "hint.kind.map",
        _ => "hint.kind.text",
    }
}

fn unknown_keys(text: &str, origin: Origin<'_>, known_keys: &[&str]) -> Vec<Diagnostic> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(text)
    else {
        return Vec::new();
    };
    map.keys()
        .filter_map(|k| k.as_str())
        .filter(|k| !known_keys.contains(k))
        .map(|key| {
            let (line, col) = key_position(text, key).unwrap_or((1, 1));
            let diag = Diagnostic::error(origin.path, msg!("yaml.unknown_key", key = key))
                .at(line + origin.line_offset, col);
            match did_you_mean(key, known_keys.iter().copied()) {
                Some(close) => diag.with_hint(msg!("hint.did_you_mean", close = close)),
                None => diag.with_hint(msg!("hint.known_keys", list = known_keys.join(", "))),
            }
        })
        .collect()
}

/// Line (1-based, within the document) and column of a top-level `key:`.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key).or_else(|| {
            line.strip_prefix('"')
                .and_then(|l| l.strip_prefix(key))
                .and_then(|l| l.strip_prefix('"'))
        })?;
        rest.trim_start().starts_with(':').then_some((i + 1, 1))
    })
}

/// The plain value of a top-level `key: value` line, read without parsing the document
/// (so it is there even when the rest of the file has errors).
pub fn top_level_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        Some(value.trim_matches(|c| c == '"' || c == '\''))
    })
}

/// Line and column of the value of a top-level `key:`, for errors about that value.
pub fn value_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let (line, _) = key_position(text, key)?;
    let src = text.lines().nth(line - 1)?;
    let colon = src.find(':')?;
    let after = &src[colon + 1..];
    let skipped = after.len() - after.trim_start().len();
    Some((line, src[..colon + 1 + skipped].chars().count() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        reporter: Option<String>,
    }

    #[test]
    fn all_unknown_keys_are_reported_with_hints() {
        let text = "title: x\nreportr: y\nsecton: z\n";
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 1,
        };
        let errs = parse::<Doc>(
            text,
            origin,
            Keys {
                known: &["title", "reporter", "section"],
                required: &[],
            },
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(
            (errs[0].line, &errs[0].message),
            (3, &msg!("yaml.unknown_key", key = "reportr"))
        );
        assert_eq!(
            errs[0].hint.as_deref(),
            Some(&msg!("hint.did_you_mean", close = "reporter"))
        );
        assert_eq!(errs[1].line, 4);
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "title: x\nreporter: [a\n";
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 1,
        };
        let errs = parse::<Doc>(
            text,
            origin,
            Keys {
                known: &["title", "reporter"],
                required: &[],
            },
        )
        .unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].line >= 2, "{:?}", errs[0]);
    }

    #[test]
    fn nested_aliases_stop_at_the_budget_quickly_with_a_line() {
        // 64 million values once expanded, in a few kilobytes.
        let lol = vec!["lol"; 8000].join(", ");
        let refs = vec!["*a"; 8000].join(", ");
        let text = format!("title: x\na: &a [{lol}]\nb: [{refs}]\n");
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 1,
        };
        let started = std::time::Instant::now();
        let keys = Keys {
            known: &["title", "reporter"],
            required: &[],
        };
        let errs = parse::<Doc>(&text, origin, keys).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(errs[0].message.id, "yaml.alias_budget", "{errs:?}");
        // The line of the anchored value that the aliases copy over and over.
        assert_eq!(errs[0].line, 3, "{errs:?}");
    }

    #[test]
    fn a_few_aliases_and_stars_in_text_are_fine() {
        let text = "title: &t \"*重要*\"\nreporter: *t\n";
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 0,
        };
        let keys = Keys {
            known: &["title", "reporter"],
            required: &[],
        };
        let doc = parse::<Doc>(text, origin, keys).unwrap();
        assert_eq!(doc.reporter.as_deref(), Some("*重要*"));
    }

    #[test]
    fn value_position_points_after_the_colon() {
        assert_eq!(
            value_position("a: 1\nsection: 社区\n", "section"),
            Some((2, 10))
        );
    }
}
