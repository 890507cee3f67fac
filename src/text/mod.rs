//! Text rules for Chinese-first news: character classes, slugs, summaries, reading time.
//!
//! Pure functions over strings; no I/O, no errors. Every other stage asks here when it
//! needs to know whether a character is East Asian or how a name becomes a URL.

pub mod cjk;
pub mod pinyin;
pub mod slug;
pub mod summary;

pub use slug::{slugify, SlugRegistry};
pub use summary::{reading_minutes, truncate_chars, ReadingCount};
