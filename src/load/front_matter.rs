//! Splitting a file into YAML front matter and Markdown body, and the raw front-matter type.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::diag::Diagnostic;

/// Every front-matter field as written, all optional: `validate` decides what is missing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<Text>,
    pub kicker: Option<Text>,
    pub subtitle: Option<Text>,
    #[serde(alias = "reporters")]
    pub reporter: Option<Names>,
    #[serde(alias = "correspondents")]
    pub correspondent: Option<Names>,
    pub credit: Option<Text>,
    pub date: Option<Text>,
    pub section: Option<Text>,
    pub tags: Option<Vec<Text>>,
    pub dateline: Option<Text>,
    pub slug: Option<Text>,
    pub summary: Option<Text>,
    pub image: Option<Text>,
    pub image_caption: Option<Text>,
    pub draft: Option<bool>,
    pub updated: Option<Text>,
    pub corrections: Option<Vec<RawCorrection>>,
    pub extra: Option<serde_json::Value>,
    /// Earlier addresses of the story, each answered by a redirect to its page.
    pub aliases: Option<Vec<Text>>,
    /// A takedown: the story's address answers with a notice instead.
    pub unpublished: Option<RawUnpublished>,
}

pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "kicker",
    "subtitle",
    "reporter",
    "reporters",
    "correspondent",
    "correspondents",
    "credit",
    "date",
    "section",
    "tags",
    "dateline",
    "slug",
    "summary",
    "image",
    "image_caption",
    "draft",
    "updated",
    "corrections",
    "extra",
    "aliases",
    "unpublished",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnpublished {
    pub date: Text,
    pub reason: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub date: Text,
    pub text: Text,
}

/// A scalar read as text: editors write `title: 2022` or `tags: [2022]` and mean text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One name or a list of names (`reporter: 杨宜锦` or `reporter: [杨宜锦, 马瑞萍]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(pub Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(Text(name)) = seq.next_element::<Text>()? {
                    names.push(name);
                }
                Ok(Names(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// A file cut into its parts; offsets count file lines before each part.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    Empty,
    NoFrontMatter,
    Unterminated,
}

impl SplitError {
    pub fn into_diagnostic(self, path: &Path) -> Diagnostic {
        let (message, hint) = match self {
            SplitError::Empty => (msg!("split.empty"), msg!("split.empty.hint")),
            SplitError::NoFrontMatter => (msg!("split.no_front"), msg!("split.no_front.hint")),
            SplitError::Unterminated => {
                (msg!("split.unterminated"), msg!("split.unterminated.hint"))
            }
        };
        Diagnostic::error(path, message).at(1, 1).with_hint(hint)
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `---\nYAML\n---\nbody` (text already LF-only and BOM-free).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::NoFrontMatter);
    }
    let front_start = (first_end + 1).min(text.len());
    let mut pos = front_start;
    let mut line = 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        line += 1;
        if is_fence(&text[pos..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                front: &text[front_start..pos],
                front_offset: 1,
                body: &text[body_start..],
                body_offset: line,
            });
        }
        pos = end + 1;
    }
    Err(SplitError::Unterminated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_line_offsets() {
        let s = split("---\ntitle: x\ndate: y\n---\n\nbody\n").unwrap();
        assert_eq!(s.front, "title: x\ndate: y\n");
        assert_eq!(s.front_offset, 1);
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(s.body_offset, 4);
    }

    #[test]
    fn missing_and_unterminated_front_matter_are_errors() {
        assert_eq!(split(""), Err(SplitError::Empty));
        assert_eq!(split("# title\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unterminated));
        assert!(split("---\n---").is_ok());
    }

    #[test]
    fn names_take_one_or_many() {
        let n: Names = serde_yaml::from_str("杨宜锦").unwrap();
        assert_eq!(n.0, vec!["杨宜锦"]);
        let n: Names = serde_yaml::from_str("[杨宜锦, 马瑞萍]").unwrap();
        assert_eq!(n.0.len(), 2);
    }
}
