//! `site.yaml` → `Config`.
//!
//! Input: the text of `site.yaml`. Output: a validated `Config` with defaults filled in,
//! or every problem found, each at its line. Only `title`, `base_url` and `sections` are
//! required.

mod keyboard;
pub mod permalink;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diag::{did_you_mean, Diagnostic, Message};
use crate::i18n::{Language, Strings, Text, SUPPORTED};
pub use permalink::Permalink;
use yaml::{top_level_value, value_position, Origin};

pub const FILE_NAME: &str = "site.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    sections: Vec<RawSection>,
    description: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    paginate: Option<usize>,
    permalink: Option<String>,
    people: Option<BTreeMap<String, Profile>>,
    search: Option<bool>,
    feed_limit: Option<usize>,
    logo: Option<String>,
    markdown: Option<MarkdownConfig>,
    strings: Option<BTreeMap<String, serde_yaml::Value>>,
    publish_original_photos: Option<bool>,
    redirects_file: Option<bool>,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "sections",
    "description",
    "language",
    "timezone",
    "theme",
    "paginate",
    "permalink",
    "people",
    "search",
    "feed_limit",
    "logo",
    "markdown",
    "strings",
    "publish_original_photos",
    "redirects_file",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    key: String,
    name: String,
    description: Option<String>,
}

/// A section as declared in `site.yaml`, in the order declared.
#[derive(Debug, Clone)]
pub struct SectionDecl {
    pub key: String,
    pub name: String,
    pub description: String,
}

/// An optional profile for a reporter or correspondent, keyed by the name in front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub slug: Option<String>,
    pub role: Option<String>,
    pub bio: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default = "yes")]
    pub east_asian_line_breaks: bool,
    /// Publish raw HTML in bodies as written, scripts included: only for a site whose
    /// every author is trusted.
    #[serde(default)]
    pub unsafe_html: bool,
    /// Host names whose pages bodies may embed with `<iframe>` (e.g. `player.bilibili.com`).
    #[serde(default)]
    pub embed_hosts: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The published BCP 47 code (`<html lang>`, feeds), e.g. `zh-TW` or `en-GB`.
    pub language: String,
    /// The interface strings for `language`, with the site's `strings:` overrides.
    pub strings: Arc<Strings>,
    pub timezone: TimeZone,
    pub theme: String,
    pub paginate: usize,
    pub permalink: Permalink,
    pub sections: Vec<SectionDecl>,
    pub people: BTreeMap<String, Profile>,
    pub search: bool,
    pub feed_limit: usize,
    pub logo: Option<String>,
    pub east_asian_line_breaks: bool,
    /// `markdown.unsafe_html`: body HTML published without cleaning.
    pub unsafe_html: bool,
    /// `markdown.embed_hosts`: hosts an `<iframe>` in a body may show.
    pub embed_hosts: Vec<String>,
    /// Publish camera originals beside their derivatives (off: they may carry GPS and serials).
    pub publish_original_photos: bool,
    /// Also write `_redirects` (Netlify, Cloudflare Pages) for the redirect pages.
    pub redirects_file: bool,
    /// Where `theme:` is written (line, column), for the error when it does not exist.
    pub theme_position: (usize, usize),
    /// A hash of the site.yaml text this was read from: what a build's kept pages are
    /// keyed by (`pipeline::page_record`), so the key is of the text actually used.
    pub source_hash: u64,
}

impl Config {
    pub fn section(&self, key: &str) -> Option<&SectionDecl> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// Reads and validates `root/site.yaml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let display = Path::new(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    display,
                    msg!("config.cannot_read", error = &e),
                )
                .with_hint(msg!("config.cannot_read.hint", root = root.display()))]);
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return Err(vec![Diagnostic::error(display, msg!("config.not_utf8"))
                    .with_hint(msg!("hint.save_as_utf8"))]);
            }
        };
        Config::parse(&text, display)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let origin = Origin {
            path,
            line_offset: 0,
        };
        let raw: RawConfig = yaml::parse(
            text,
            origin,
            yaml::Keys {
                known: KNOWN_KEYS,
                required: &["title", "base_url", "sections"],
            },
        )?;
        let mut diags = Vec::new();
        let at = |key: &str, msg: crate::diag::Message| {
            let (line, col) = value_position(text, key).unwrap_or((1, 1));
            Diagnostic::error(path, msg).at(line, col)
        };

        let base_url = if raw.base_url.ends_with('/') {
            raw.base_url.clone()
        } else {
            format!("{}/", raw.base_url)
        };
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            diags.push(
                at("base_url", msg!("config.base_url", url = &raw.base_url))
                    .with_hint(msg!("config.base_url.hint")),
            );
        }

        let tz_name = raw.timezone.unwrap_or_else(|| "UTC".to_string());
        let timezone = match TimeZone::get(&tz_name) {
            Ok(tz) => tz,
            Err(_) => {
                diags.push(
                    at("timezone", msg!("config.timezone", zone = &tz_name))
                        .with_hint(msg!("config.timezone.hint")),
                );
                TimeZone::UTC
            }
        };

        let permalink =
            match Permalink::parse(raw.permalink.as_deref().unwrap_or(permalink::DEFAULT)) {
                Ok(p) => p,
                Err(msg) => {
                    diags.push(at("permalink", msg).with_hint(msg!(
                        "config.permalink.hint",
                        example = permalink::DEFAULT,
                        list = permalink::PLACEHOLDERS.join(", ")
                    )));
                    Permalink::default()
                }
            };

        let paginate = raw.paginate.unwrap_or(20);
        if paginate == 0 {
            diags.push(at("paginate", msg!("config.paginate")));
        }

        if raw.sections.is_empty() {
            diags.push(
                at("sections", msg!("config.no_sections"))
                    .with_hint(msg!("config.no_sections.hint")),
            );
        }
        let mut sections: Vec<SectionDecl> = Vec::new();
        for s in raw.sections {
            if !is_url_safe_key(&s.key) {
                diags.push(
                    at("sections", msg!("config.section_key", key = &s.key))
                        .with_hint(msg!("hint.url_safe", example = "community")),
                );
            } else if sections.iter().any(|d| d.key == s.key) {
                diags.push(at("sections", msg!("config.section_twice", key = &s.key)));
            }
            sections.push(SectionDecl {
                key: s.key,
                name: s.name,
                description: s.description.unwrap_or_default(),
            });
        }

        let people = raw.people.unwrap_or_default();
        let mut slug_owners: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, profile) in &people {
            if let Some(slug) = &profile.slug {
                if let Some(other) = slug_owners.insert(slug, name) {
                    diags.push(
                        at(
                            "people",
                            msg!("config.slug_twice", a = other, b = name, slug = slug),
                        )
                        .with_hint(msg!("config.slug_twice.hint")),
                    );
                }
                if !is_url_safe_key(slug) {
                    diags.push(
                        at(
                            "people",
                            msg!("config.person_slug", slug = slug, name = name),
                        )
                        .with_hint(msg!("hint.url_safe", example = "yang-yijin")),
                    );
                }
            }
        }

        let (language, strings) = read_language(
            raw.language.as_deref(),
            raw.strings.unwrap_or_default(),
            (text, path),
            &mut diags,
            &at,
        );

        let theme = raw.theme.unwrap_or_else(|| "bulletin".to_string());
        if !is_url_safe_key(&theme) {
            diags.push(at("theme", msg!("config.theme_name", theme = &theme)));
        }

        let markdown = raw.markdown.unwrap_or(MarkdownConfig {
            east_asian_line_breaks: true,
            unsafe_html: false,
            embed_hosts: Vec::new(),
        });
        for host in &markdown.embed_hosts {
            if host.is_empty() || host.contains(['/', ':', ' ']) {
                diags.push(
                    at("markdown", msg!("config.embed_host", host = host))
                        .with_hint(msg!("config.embed_host.hint")),
                );
            }
        }

        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Config {
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            base_url,
            language,
            strings: Arc::new(strings),
            timezone,
            theme,
            paginate,
            permalink,
            sections,
            people,
            search: raw.search.unwrap_or(true),
            feed_limit: raw.feed_limit.unwrap_or(50),
            logo: raw.logo,
            theme_position: value_position(text, "theme").unwrap_or((0, 0)),
            source_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            east_asian_line_breaks: markdown.east_asian_line_breaks,
            unsafe_html: markdown.unsafe_html,
            embed_hosts: markdown.embed_hosts,
            publish_original_photos: raw.publish_original_photos.unwrap_or(false),
            redirects_file: raw.redirects_file.unwrap_or(false),
        })
    }
}

/// `language:` (default zh-CN) and `strings:` → the published code and the interface strings.
fn read_language(
    code: Option<&str>,
    written: BTreeMap<String, serde_yaml::Value>,
    (text, path): (&str, &Path),
    diags: &mut Vec<Diagnostic>,
    at: &dyn Fn(&str, Message) -> Diagnostic,
) -> (String, Strings) {
    let (language, code) = match Language::parse(code.unwrap_or(DEFAULT_LANGUAGE)) {
        Ok(found) => found,
        Err(unknown) => {
            let list = SUPPORTED.join(", ");
            let hint = match unknown.suggestion {
                Some(s) => msg!("config.language.did_you_mean", code = s, list = list),
                None => msg!("config.language.supported", list = list),
            };
            let d = at("language", msg!("config.language", code = &unknown.code));
            diags.push(d.with_hint(hint));
            (Language::ZhCn, "zh-CN".to_string())
        }
    };
    let position = |id: &str| {
        nested_key_position(text, "strings", id)
            .or_else(|| value_position(text, "strings"))
            .unwrap_or((1, 1))
    };
    let mut overrides = BTreeMap::new();
    for (id, value) in written {
        match Text::from_yaml(&value) {
            Some(t) => {
                overrides.insert(id, t);
            }
            None => {
                let (line, col) = position(&id);
                diags.push(
                    Diagnostic::error(path, msg!("config.string_not_text", id = &id))
                        .at(line, col)
                        .with_hint(msg!("config.string_not_text.hint")),
                );
            }
        }
    }
    let builtin = Strings::builtin(language);
    let strings = match builtin.clone().with_overrides(overrides) {
        Ok(s) => s,
        Err(unknown) => {
            for id in unknown {
                let (line, col) = position(&id);
                let hint = match did_you_mean(&id, builtin.ids()) {
                    Some(close) => msg!("config.string_unknown.did_you_mean", close = close),
                    None => msg!("config.string_unknown.hint"),
                };
                diags.push(
                    Diagnostic::error(path, msg!("config.string_unknown", id = &id))
                        .at(line, col)
                        .with_hint(hint),
                );
            }
            builtin
        }
    };
    (code, strings)
}

/// Line and column of `key:` indented under the top-level `parent:` block.
fn nested_key_position(text: &str, parent: &str, key: &str) -> Option<(usize, usize)> {
    let (start, _) = yaml::key_position(text, parent)?;
    text.lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| l.is_empty() || l.starts_with(' ') || l.starts_with('#'))
        .find_map(|(i, l)| {
            let trimmed = l.trim_start();
            let rest = trimmed.strip_prefix(key).or_else(|| {
                trimmed
                    .strip_prefix('"')
                    .and_then(|t| t.strip_prefix(key)?.strip_prefix('"'))
            })?;
            rest.trim_start()
                .starts_with(':')
                .then_some((i + 1, l.len() - trimmed.len() + 1))
        })
}

/// The language of a site whose site.yaml does not say.
pub const DEFAULT_LANGUAGE: &str = "zh-CN";

/// The `language:` of the site at `root`, read from its line alone, so that a site.yaml
/// with errors still picks the language they are reported in (and commands that never
/// parse it, such as `deploy`, speak it too); `None` when there is no site.yaml.
pub fn written_language(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(FILE_NAME)).ok()?;
    let code = top_level_value(&text, "language").unwrap_or(DEFAULT_LANGUAGE);
    Some(code.to_string())
}

/// Keys and slugs that go into URLs and folder names: ASCII, lowercase, no dots.
pub fn is_url_safe_key(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: 新郑时讯\nbase_url: https://news.example.org\nsections:\n  - {key: community, name: 社区治理}\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL, Path::new("site.yaml")).unwrap();
        assert_eq!(c.base_url, "https://news.example.org/");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.timezone, TimeZone::UTC);
        assert!(c.east_asian_line_breaks && c.search);
    }

    #[test]
    fn bad_fields_are_all_reported() {
        let text = format!("{MINIMAL}timezone: Mars/Base\npaginate: 0\n");
        let errs = Config::parse(&text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].line, 5);
        assert_eq!(errs[0].message, msg!("config.timezone", zone = "Mars/Base"));
    }

    #[test]
    fn unknown_key_gets_a_suggestion() {
        let text = format!("{MINIMAL}paginat: 10\n");
        let errs = Config::parse(&text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(
            errs[0].hint.as_deref(),
            Some(&msg!("hint.did_you_mean", close = "paginate"))
        );
    }
}
