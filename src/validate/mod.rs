//! Validate: `RawFrontMatter` → `Article`, collecting every problem of every file.
//!
//! Input: loaded files and the config. Output: articles whose fields are all present and
//! well-formed (dates parsed in the site's time zone, section declared, slug safe for a
//! URL), plus a diagnostic at the right line for each problem. Cross-article checks
//! (duplicate URLs) belong to `model`, which sees them all.

mod dates;

use std::path::{Path, PathBuf};

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;

use crate::config::yaml::{key_position, value_position};
use crate::config::{is_url_safe_key, Config};
use crate::diag::{did_you_mean, Diagnostic, Message};
use crate::load::{Loaded, RawFrontMatter};
use crate::text::slug::slugify;
pub use dates::parse_date;

/// A correction or update note shown on the article page.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub date: Zoned,
    pub text: String,
}

/// One article, checked and complete.
#[derive(Debug, Clone)]
pub struct Article {
    /// The Markdown file, relative to the site root (`content/2022/08/x.md`).
    pub source: PathBuf,
    /// Front-matter text and its line offset, kept so later checks can point at a key.
    pub front: String,
    pub front_offset: usize,
    pub title: String,
    pub kicker: String,
    pub subtitle: String,
    pub reporters: Vec<String>,
    pub correspondents: Vec<String>,
    pub credit: String,
    pub dateline: String,
    pub date: Zoned,
    pub section: String,
    pub tags: Vec<String>,
    pub slug: String,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub image_caption: String,
    pub draft: bool,
    pub updated: Option<Zoned>,
    pub corrections: Vec<Correction>,
    pub extra: serde_json::Value,
    pub body: String,
    pub body_offset: usize,
    /// Files that travel with a bundle, relative to the site root.
    pub assets: Vec<PathBuf>,
    pub is_bundle: bool,
    /// The page's site-relative path, e.g. `2022/08/02/slug/`.
    pub path: String,
}

impl Article {
    /// The folder the source file is in; relative links and images resolve from here.
    pub fn source_dir(&self) -> &Path {
        self.source.parent().unwrap_or(Path::new(""))
    }

    /// The newest of `updated` and correction dates: when the text last changed.
    pub fn modified(&self) -> &Zoned {
        self.corrections
            .iter()
            .map(|c| &c.date)
            .chain(self.updated.as_ref())
            .fold(&self.date, |a, b| if b > a { b } else { a })
    }

    /// 1-based file line and column of a front-matter key's value (or of the first line).
    pub fn position_of(&self, key: &str) -> (usize, usize) {
        value_position(&self.front, key)
            .map(|(l, c)| (l + self.front_offset, c))
            .unwrap_or((1, 1))
    }
}

/// Validates every loaded file in parallel; returns the good articles and all problems.
pub fn validate_all(loaded: Vec<Loaded>, config: &Config) -> (Vec<Article>, Vec<Diagnostic>) {
    let results: Vec<Result<Article, Vec<Diagnostic>>> = loaded
        .into_par_iter()
        .map(|l| validate(l, config))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(d) => diags.extend(d),
        }
    }
    (articles, diags)
}

/// Checks one file's front matter against the rules and the config.
pub fn validate(loaded: Loaded, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    let Loaded {
        file,
        front,
        front_offset,
        raw,
        body,
        body_offset,
    } = loaded;
    let path = file.path.clone();
    let mut diags = Vec::new();
    let at = |key: &str, message: Message| {
        let (line, col) = value_position(&front, key)
            .or_else(|| key_position(&front, key))
            .map(|(l, c)| (l + front_offset, c))
            .unwrap_or((1, 1));
        Diagnostic::error(&path, message).at(line, col)
    };
    let missing = |key: &str, example: &str| {
        Diagnostic::error(&path, msg!("front.missing", key = key))
            .at(1, 1)
            .with_hint(msg!("front.missing.hint", key = key, example = example))
    };
    let text = |t: Option<crate::load::Text>| t.map(|t| t.0.trim().to_string()).unwrap_or_default();

    let RawFrontMatter {
        title,
        kicker,
        subtitle,
        reporter,
        correspondent,
        credit,
        date,
        section,
        tags,
        dateline,
        slug,
        summary,
        image,
        image_caption,
        draft,
        updated,
        corrections,
        extra,
    } = raw;

    let title = text(title);
    if title.is_empty() {
        diags.push(missing("title", "金芒果花苑小区22栋楼用上电梯"));
    }

    let reporters = names(reporter.map(|n| n.0).unwrap_or_default());
    if reporters.is_empty() {
        let key = if key_position(&front, "reporters").is_some() {
            "reporters"
        } else {
            "reporter"
        };
        if key_position(&front, key).is_some() {
            diags.push(
                at(key, msg!("front.reporter_empty")).with_hint(msg!("front.reporter_empty.hint")),
            );
        } else {
            diags.push(missing("reporter", "杨宜锦"));
        }
    }
    let correspondents = names(correspondent.map(|n| n.0).unwrap_or_default());
    for (key, list) in [("reporter", &reporters), ("correspondent", &correspondents)] {
        diags.extend(joined_names(list).map(|(name, parts)| {
            at(
                key,
                msg!(
                    "front.names_joined",
                    key = key,
                    name = name,
                    parts = parts.join(" | ")
                ),
            )
            .with_hint(msg!(
                "front.names_joined.hint",
                key = key,
                list = parts.join(", ")
            ))
        }));
    }

    let date = match date.map(|d| d.0) {
        None => {
            diags.push(missing("date", "2022-08-02"));
            None
        }
        Some(d) => match parse_date(&d, &config.timezone) {
            Ok(z) => Some(z),
            Err(why) => {
                diags.push(at("date", why.message).with_hint(why.hint));
                None
            }
        },
    };

    let section = text(section);
    if section.is_empty() {
        diags.push(missing(
            "section",
            config
                .sections
                .first()
                .map_or("community", |s| s.key.as_str()),
        ));
    } else if config.section(&section).is_none() {
        let declared: Vec<&str> = config.sections.iter().map(|s| s.key.as_str()).collect();
        let by_name = config
            .sections
            .iter()
            .find(|s| s.name == section)
            .map(|s| s.key.as_str());
        let hint = match by_name.or_else(|| did_you_mean(&section, declared.iter().copied())) {
            Some(close) => msg!(
                "hint.did_you_mean_declared",
                close = close,
                list = declared.join(", ")
            ),
            None => msg!("hint.declared_sections_add", list = declared.join(", ")),
        };
        diags.push(at("section", msg!("section.unknown", section = &section)).with_hint(hint));
    }

    let slug = match slug.map(|s| s.0) {
        Some(s) if !is_url_safe_key(&s) => {
            let better = slugify(&s);
            diags.push(at("slug", msg!("front.slug", slug = &s)).with_hint(msg!(
                "hint.url_safe",
                example = if better.is_empty() {
                    "my-story".into()
                } else {
                    better
                }
            )));
            String::new()
        }
        Some(s) => s,
        None => default_slug(&path, file.is_bundle, &title),
    };

    let image = image
        .map(|i| i.0.trim().to_string())
        .filter(|i| !i.is_empty());
    if let Some(img) = &image {
        if let Err(why) = check_relative_file(img) {
            diags.push(
                at("image", msg!("front.image", image = img, why = why))
                    .with_hint(msg!("front.image.hint")),
            );
        }
    }

    let updated = match updated.map(|u| u.0) {
        None => None,
        Some(u) => match parse_date(&u, &config.timezone) {
            Ok(z) => Some(z),
            Err(why) => {
                diags.push(at("updated", why.message).with_hint(why.hint));
                None
            }
        },
    };

    let mut corrections_out = Vec::new();
    for c in corrections.unwrap_or_default() {
        match parse_date(&c.date.0, &config.timezone) {
            Ok(date) => corrections_out.push(Correction {
                date,
                text: c.text.0.trim().to_string(),
            }),
            Err(why) => diags.push(at("corrections", why.message).with_hint(why.hint)),
        }
    }

    let mut tag_list: Vec<String> = Vec::new();
    for t in tags.unwrap_or_default() {
        let t = t.0.trim().to_string();
        if let Some(parts) = split_joined(&t) {
            diags.push(
                at(
                    "tags",
                    msg!("front.tags_joined", tag = &t, parts = parts.join(" | ")),
                )
                .with_hint(msg!("front.tags_joined.hint", list = parts.join(", "))),
            );
            continue;
        }
        if !t.is_empty() && !tag_list.contains(&t) {
            tag_list.push(t);
        }
    }

    let extra = extra.unwrap_or(serde_json::Value::Object(Default::default()));
    if !extra.is_object() {
        diags.push(at("extra", msg!("front.extra")));
    }

    if !diags.is_empty() {
        return Err(diags);
    }
    let Some(date) = date else { return Err(diags) };
    let path_url = config.permalink.fill(&crate::config::permalink::Parts {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        slug: &slug,
        section: &section,
    });
    Ok(Article {
        source: path,
        front,
        front_offset,
        title,
        kicker: text(kicker),
        subtitle: text(subtitle),
        reporters,
        correspondents,
        credit: text(credit),
        dateline: text(dateline),
        date,
        section,
        tags: tag_list,
        slug,
        summary: summary
            .map(|s| s.0.trim().to_string())
            .filter(|s| !s.is_empty()),
        image,
        image_caption: text(image_caption),
        draft: draft.unwrap_or(false),
        updated,
        corrections: corrections_out,
        extra,
        body,
        body_offset,
        assets: file.assets,
        is_bundle: file.is_bundle,
        path: path_url,
    })
}

fn names(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in list {
        let n = n.trim().to_string();
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// File stem, or the bundle's folder name; pinyin when it is not already URL-safe.
fn default_slug(path: &Path, is_bundle: bool, title: &str) -> String {
    let stem = if is_bundle {
        path.parent().and_then(|p| p.file_name())
    } else {
        path.file_stem()
    };
    let stem = stem
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if is_url_safe_key(&stem) {
        return stem;
    }
    let from_stem = slugify(&stem);
    if !from_stem.is_empty() {
        return from_stem;
    }
    crate::text::slug::slugify_trimmed(title, 60)
}

/// A path to a file beside the article: relative, and never leaving its folder.
pub fn check_relative_file(p: &str) -> Result<(), Message> {
    if p.contains("://") || p.starts_with("data:") {
        return Ok(()); // a remote image is the author's choice
    }
    if p.starts_with('/') || p.starts_with('\\') || p.contains(':') {
        return Err(msg!("file.absolute"));
    }
    if p.split(['/', '\\']).any(|seg| seg == "..") {
        return Err(msg!("file.dotdot"));
    }
    Ok(())
}

/// Separators a Chinese keyboard types between names or tags, which YAML does not split
/// on: `张晓岚，李文博` is one string to it, and would publish one person.
const JOINERS: &[char] = &['，', '、', '；', ',', ';'];

/// The parts of `text` if it is several items joined by a Chinese comma or 、.
fn split_joined(text: &str) -> Option<Vec<String>> {
    if !text.contains(JOINERS) {
        return None;
    }
    let parts: Vec<String> = text
        .split(JOINERS)
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() > 1).then_some(parts)
}

/// Names in `list` that are really several names in one, with their parts.
fn joined_names(list: &[String]) -> impl Iterator<Item = (&String, Vec<String>)> {
    list.iter()
        .filter_map(|n| split_joined(n).map(|parts| (n, parts)))
}
