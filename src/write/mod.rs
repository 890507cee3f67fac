//! Write: the finished site as a list of `Output`s, put on disk only when the whole build
//! succeeded.
//!
//! Input: every output file's site-relative path and bytes. Output: the folder updated so
//! that it holds exactly those files: changed files rewritten (through a temporary file and
//! a rename, so no reader sees half a page), unchanged ones left alone, stale ones removed.
//! A folder Gazette did not create is never emptied: it must be empty or carry our marker.

mod disk;

pub use disk::{write_site, WriteStats, MARKER};

/// One file of the site: a site-relative path with `/` separators, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The file for a page path: `a/b/` → `a/b/index.html`, `` → `index.html`.
    pub fn page(page_path: &str, html: String) -> Self {
        Output {
            path: format!("{page_path}index.html"),
            bytes: html.into_bytes(),
        }
    }
}
