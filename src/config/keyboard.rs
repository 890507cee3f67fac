//! Mistakes a Chinese keyboard makes in YAML, found by looking at the lines themselves.
//!
//! Input: a YAML document that failed to parse. Output: one diagnostic per line typed
//! with a full-width colon after a key (`title： 测试`), no space after the colon
//! (`title:测试`), or full-width spaces (U+3000) in the indentation. YAML reads each of
//! these as something else entirely (a key-less string, or a key named `　- date`), so
//! its own error points at the wrong line with the wrong words; these point at the mark.

use crate::diag::Diagnostic;

use super::yaml::Origin;

const FULL_WIDTH_SPACE: char = '\u{3000}';

/// Every Chinese-keyboard mistake in `text`, at its own line and column.
pub fn mistakes(text: &str, origin: Origin<'_>, known_keys: &[&str]) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (col, message, hint) = mistake_in(line, known_keys)?;
            Some(
                Diagnostic::error(origin.path, message)
                    .at(i + 1 + origin.line_offset, col)
                    .marking(1)
                    .with_hint(hint),
            )
        })
        .collect()
}

type Found = (usize, crate::diag::Message, crate::diag::Message);

fn mistake_in(line: &str, known_keys: &[&str]) -> Option<Found> {
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == FULL_WIDTH_SPACE)
        .collect();
    if line.starts_with([' ', '\t']) && line.trim_start_matches(' ').starts_with('\t') {
        let fixed = line.replace('\t', "  ");
        return Some((
            1,
            msg!("yaml.tab_indent"),
            msg!("yaml.tab_indent.hint", fixed = fixed.trim_end()),
        ));
    }
    if let Some(at) = indent.chars().position(|c| c == FULL_WIDTH_SPACE) {
        let fixed = line.replace(FULL_WIDTH_SPACE, "  ");
        return Some((
            at + 1,
            msg!("yaml.fullwidth_indent"),
            msg!("yaml.fullwidth_indent.hint", fixed = fixed.trim_end()),
        ));
    }
    let body = &line[indent.len()..];
    let body_col = indent.chars().count();
    let key_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let (key, rest) = body.split_at(key_len);
    if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    let after = &rest[spaces..];
    if let Some(value) = after.strip_prefix('：') {
        let col = body_col + key.chars().count() + spaces + 1;
        let fixed = format!("{}{key}: {}", indent, value.trim());
        return Some((
            col,
            msg!("yaml.fullwidth_colon", key = key),
            msg!("yaml.fullwidth_colon.hint", fixed = fixed),
        ));
    }
    let value = rest.strip_prefix(':')?;
    let glued = value.chars().next().is_some_and(|c| !c.is_whitespace());
    if glued && indent.is_empty() && known_keys.contains(&key) {
        let col = key.chars().count() + 2;
        return Some((
            col,
            msg!("yaml.no_space", key = key),
            msg!("yaml.no_space.hint", fixed = format!("{key}: {value}")),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn cols(text: &str) -> Vec<(usize, usize, &'static str)> {
        let origin = Origin {
            path: Path::new("a.md"),
            line_offset: 1,
        };
        mistakes(text, origin, &["title", "tags"])
            .into_iter()
            .map(|d| (d.line, d.col, d.message.id))
            .collect()
    }

    #[test]
    fn each_mistake_is_found_at_its_mark() {
        assert_eq!(
            cols("title： 测试\ntitle:测试\ntags:\n　　- 冬季\n"),
            [
                (2, 6, "yaml.fullwidth_colon"),
                (3, 7, "yaml.no_space"),
                (5, 1, "yaml.fullwidth_indent")
            ]
        );
    }

    #[test]
    fn ordinary_lines_and_urls_in_values_pass() {
        assert!(cols("title: 他说：好\ntags: [a, b]\n  - x\n").is_empty());
    }
}
