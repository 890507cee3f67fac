//! Load: walk `content/`, read every article and parse its front matter, in parallel.
//!
//! Input: the site root. Output: one `Loaded` per article file (front matter as typed but
//! unchecked `RawFrontMatter`, body as text) plus every problem met on the way: unreadable
//! files, non-UTF-8 text, missing or broken front matter. Checking values is `validate`'s job.

mod front_matter;
mod walk;

use std::path::Path;

use rayon::prelude::*;

use crate::config::yaml::{self, Origin};
use crate::diag::Diagnostic;
pub use front_matter::{split, Names, RawCorrection, RawFrontMatter, Split, Text, KNOWN_KEYS};
pub use walk::{bundle_of, is_ignored_name, walk_content, walk_under, ContentFile};

pub const CONTENT_DIR: &str = "content";

/// Articles larger than this are refused: no newspaper story is 10 MiB of text, and a
/// file that big is almost always a mistake (a pasted PDF, a log) that would stall a build.
pub const MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// One article file, read and split, its front matter parsed but not yet validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: ContentFile,
    /// The front matter's YAML text, for positions of values.
    pub front: String,
    /// File lines before the front matter's first YAML line (the opening `---`).
    pub front_offset: usize,
    pub raw: RawFrontMatter,
    pub body: String,
    /// File lines before the body's first line.
    pub body_offset: usize,
}

/// Walks `root/content` and loads every article; all problems are returned together.
pub fn load_all(root: &Path) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let (files, mut diags) = walk_content(root);
    let results: Vec<Result<Loaded, Vec<Diagnostic>>> =
        files.into_par_iter().map(|f| load_file(root, f)).collect();
    let mut loaded = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(l) => loaded.push(l),
            Err(d) => diags.extend(d),
        }
    }
    (loaded, diags)
}

/// Reads and parses one article file.
pub fn load_file(root: &Path, file: ContentFile) -> Result<Loaded, Vec<Diagnostic>> {
    let abs = root.join(&file.path);
    let shown = file.path.clone();
    let too_big = |len: u64| {
        Diagnostic::error(
            &shown,
            msg!(
                "load.too_big",
                size = len >> 20,
                limit = MAX_ARTICLE_BYTES >> 20
            ),
        )
        .with_hint(msg!("load.too_big.hint"))
    };
    match std::fs::metadata(&abs) {
        Ok(meta) if meta.len() > MAX_ARTICLE_BYTES => return Err(vec![too_big(meta.len())]),
        Ok(_) => {}
        Err(e) => return Err(vec![read_error(&shown, &e)]),
    }
    let bytes = std::fs::read(&abs).map_err(|e| vec![read_error(&shown, &e)])?;
    let text = decode(&bytes, &shown)?;
    parse_text(file, &text)
}

/// Splits and parses an article already in memory (also used by `serve` and the fuzzers).
pub fn parse_text(file: ContentFile, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let Split {
        front,
        front_offset,
        body,
        body_offset,
    } = split(text).map_err(|d| vec![d.into_diagnostic(&file.path)])?;
    let origin = Origin {
        path: &file.path,
        line_offset: front_offset,
    };
    let raw = if front.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        yaml::parse::<RawFrontMatter>(
            front,
            origin,
            yaml::Keys {
                known: KNOWN_KEYS,
                required: &[],
            },
        )?
    };
    Ok(Loaded {
        front: front.to_string(),
        front_offset,
        raw,
        body: body.to_string(),
        body_offset,
        file,
    })
}

fn read_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let hint = match e.kind() {
        std::io::ErrorKind::PermissionDenied => msg!("load.cannot_read.permissions"),
        _ => msg!("load.cannot_read.hint"),
    };
    Diagnostic::error(path, msg!("load.cannot_read", error = e)).with_hint(hint)
}

/// UTF-8 text with any BOM removed and CRLF/CR line ends made LF.
fn decode(bytes: &[u8], path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalize_newlines(text)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let (line, col) = crate::diag::line_col(good, good.len());
            let looks_chinese = bytes.iter().filter(|b| **b >= 0x81).count() > 2;
            let message = if looks_chinese {
                msg!("load.not_utf8.gbk")
            } else {
                msg!("load.not_utf8.legacy")
            };
            Err(vec![Diagnostic::error(path, message)
                .at(line, col)
                .with_hint(msg!("hint.save_as_utf8"))])
        }
    }
}

fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_are_named_as_such() {
        // "标题" in GBK.
        let bytes = b"---\ntitle: \xb1\xea\xcc\xe2\n---\n";
        let err = decode(bytes, Path::new("a.md")).unwrap_err();
        assert_eq!(err[0].message.id, "load.not_utf8.gbk", "{:?}", err[0]);
        assert_eq!((err[0].line, err[0].col), (2, 8));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode(
            b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n",
            Path::new("a.md"),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: x\n---\nbody\n");
    }
}
