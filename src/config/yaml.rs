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
    fn value_position_points_after_the_colon() {
        assert_eq!(
            value_position("a: 1\nsection: 社区\n", "section"),
            Some((2, 10))
        );
    }
}
