//! YAML with positions: typed parsing whose errors point at the line an editor must fix.
//!
//! serde_yaml stops at the first unknown key; editors deserve all of them at once, each
//! with a "did you mean". So on an unknown-key failure we re-read the document as a plain
//! mapping and report every key that is not known, at its own line.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, Diagnostic};

/// Where a YAML document sits inside its file, so positions can be shifted to file lines.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a Path,
    /// Number of file lines before the document's first line.
    pub line_offset: usize,
}

/// Parses `text` as `T`; on failure returns every diagnostic the document deserves.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    origin: Origin<'_>,
    known_keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    check_alias_budget(text, origin).map_err(|d| vec![d])?;
    match serde_yaml::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(err) => {
            let unknown = unknown_keys(text, origin, known_keys);
            if !unknown.is_empty() {
                return Err(unknown);
            }
            Err(vec![from_error(&err, origin)])
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
            let diag = Diagnostic::error(
                origin.path,
                format!("aliases (`*name`) repeat this value until the document holds more than {ALIAS_BUDGET} values"),
            )
            .with_hint("write the values out, or repeat a list with fewer nested aliases");
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

fn from_error(err: &serde_yaml::Error, origin: Origin<'_>) -> Diagnostic {
    let message = err.to_string();
    // serde_yaml appends " at line L column C"; the position goes in front instead.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let diag = Diagnostic::error(origin.path, plain_message(&message));
    let diag = match err.location() {
        Some(loc) => diag.at(loc.line() + origin.line_offset, loc.column()),
        None => diag.at(origin.line_offset + 1, 1),
    };
    match hint_for(&message) {
        Some(hint) => diag.with_hint(hint),
        None => diag,
    }
}

/// serde's wording is for programmers; say the same in an editor's terms.
fn plain_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("`{field}` is missing");
    }
    // "draft: invalid type: string \"是\", expected a boolean" (the field part is optional)
    if let Some(at) = message.find("invalid type: ") {
        let field = message[..at].trim_end_matches(": ").trim();
        let detail = &message[at + "invalid type: ".len()..];
        let (found, expected) = detail
            .split_once(", expected ")
            .unwrap_or((detail, "something else"));
        let field = if field.is_empty() {
            String::new()
        } else {
            format!(" for `{field}`")
        };
        return format!("wrong kind of value{field}: found {found}, expected {expected}");
    }
    message.to_string()
}

fn hint_for(message: &str) -> Option<String> {
    if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
        || message.contains("could not find expected ':'")
    {
        return Some(
            "each line should be `key: value`; quote a value that contains `: ` or starts with a special character".into(),
        );
    }
    if message.contains("found character that cannot start any token")
        || message.contains("found a tab")
    {
        return Some(
            "indent with spaces, not tabs, and quote values that start with @, ` or %".into(),
        );
    }
    if message.contains("duplicate field") || message.contains("duplicate entry") {
        return Some("write each key once (`reporter` and `reporters` are the same key)".into());
    }
    if message.contains("expected a sequence") {
        return Some("write a list as `[a, b]` or as lines starting with `- `".into());
    }
    if message.contains("expected a string") || message.contains("expected a borrowed string") {
        return Some("put the value in quotes".into());
    }
    if message.contains("expected a boolean") {
        return Some("write `true` or `false`".into());
    }
    if message.contains("expected struct") || message.contains("expected a map") {
        return Some("this should be `key: value` lines".into());
    }
    None
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
            let diag = Diagnostic::error(origin.path, format!("unknown key `{key}`"))
                .at(line + origin.line_offset, col);
            match did_you_mean(key, known_keys.iter().copied()) {
                Some(close) => diag.with_hint(format!("did you mean `{close}`?")),
                None => diag.with_hint(format!("known keys: {}", known_keys.join(", "))),
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
        let errs = parse::<Doc>(text, origin, &["title", "reporter", "section"]).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(
            (errs[0].line, errs[0].message.as_str()),
            (3, "unknown key `reportr`")
        );
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `reporter`?"));
        assert_eq!(errs[1].line, 4);
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let text = "title: x\nreporter: [a\n";
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 1,
        };
        let errs = parse::<Doc>(text, origin, &["title", "reporter"]).unwrap_err();
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
        let errs = parse::<Doc>(&text, origin, &["title", "reporter"]).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(errs[0].message.contains("aliases"), "{errs:?}");
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
        let doc = parse::<Doc>(text, origin, &["title", "reporter"]).unwrap();
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
