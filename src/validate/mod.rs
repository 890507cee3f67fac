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
use crate::load::{ContentFile, Loaded, RawFrontMatter};
use crate::text::slug::slugify;
pub use dates::parse_date;

/// A correction or update note shown on the article page.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub date: Zoned,
    pub text: String,
}

/// A story taken down: when, and what readers are told.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    pub date: Zoned,
    pub reason: String,
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
    /// Earlier page paths (site-relative folders) that redirect here.
    pub aliases: Vec<String>,
    /// Set when the story was taken down (`unpublished:`).
    pub unpublished: Option<Withdrawal>,
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

    /// Path of a bundle file relative to the bundle's folder, with `/` separators.
    pub fn bundle_relative(&self, asset: &Path) -> String {
        crate::url_space::relative_key(asset, self.source_dir())
    }

    /// 1-based file line and column of a front-matter key's value (or of the first line).
    pub fn position_of(&self, key: &str) -> (usize, usize) {
        value_position(&self.front, key)
            .map(|(l, c)| (l + self.front_offset, c))
            .unwrap_or((1, 1))
    }
}

/// Checks every loaded file in parallel with `check` (`validate`, and what the build
/// adds to it); returns the good articles and all problems.
pub fn validate_all(
    loaded: Vec<Loaded>,
    check: impl Fn(Loaded) -> Result<Article, Vec<Diagnostic>> + Sync + Send,
) -> (Vec<Article>, Vec<Diagnostic>) {
    let results: Vec<Result<Article, Vec<Diagnostic>>> =
        loaded.into_par_iter().map(check).collect();
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

/// The problems of a story this build leaves out anyway, as warnings that say so: news
/// must not wait for a half-written draft. `check` and `build --drafts` still see errors.
pub fn left_out(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|mut d| {
            if d.is_error() {
                d.severity = crate::diag::Severity::Warning;
                d.hint = Some(Box::new(match d.hint {
                    Some(h) => msg!("hint.then_left_out", hint = *h),
                    None => msg!("hint.left_out"),
                }));
            }
            d
        })
        .collect()
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
    let mut c = Checker {
        path: &path,
        front: &front,
        front_offset,
        config,
        diags: Vec::new(),
    };
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
        aliases,
        unpublished,
    } = raw;

    let title = text(title);
    if title.is_empty() {
        c.missing("title", "金芒果花苑小区22栋楼用上电梯");
    }
    let reporters = c.reporters(reporter.map(|n| n.0).unwrap_or_default());
    let correspondents = names(correspondent.map(|n| n.0).unwrap_or_default());
    c.joined_names("correspondent", &correspondents);
    let draft = draft.unwrap_or(false);
    if !draft {
        c.no_placeholder(&reporters);
    }
    let date = match date {
        Some(d) => c.date("date", &d.0),
        None => {
            c.missing("date", "2022-08-02");
            None
        }
    };
    let section = c.section(text(section));
    let slug = c.slug(slug.map(|s| s.0), &file, &title);
    let image = c.image(image.map(|i| i.0));
    let updated = updated.and_then(|u| c.date("updated", &u.0));
    let corrections = c.corrections(corrections.unwrap_or_default());
    let extra = c.extra(extra);
    let tags = c.tags(tags.unwrap_or_default());
    let aliases = c.aliases(aliases.unwrap_or_default());
    let unpublished = unpublished.and_then(|u| {
        let date = c.date("unpublished", &u.date.0)?;
        Some(Withdrawal {
            date,
            reason: text(u.reason),
        })
    });
    let diags = c.diags;
    let Some(date) = date.filter(|_| diags.is_empty()) else {
        return Err(diags);
    };
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
        tags,
        slug,
        summary: Some(text(summary)).filter(|s| !s.is_empty()),
        image,
        image_caption: text(image_caption),
        draft,
        updated,
        corrections,
        extra,
        body,
        body_offset,
        assets: file.assets,
        is_bundle: file.is_bundle,
        path: path_url,
        aliases,
        unpublished,
    })
}

fn text(t: Option<crate::load::Text>) -> String {
    t.map(|t| t.0.trim().to_string()).unwrap_or_default()
}

/// One file's checks: each field's rule, and where to point when it is broken.
struct Checker<'a> {
    path: &'a Path,
    front: &'a str,
    front_offset: usize,
    config: &'a Config,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// An error at a key's value (or the key, when it has none).
    fn at(&self, key: &str, message: Message) -> Diagnostic {
        let (line, col) = value_position(self.front, key)
            .or_else(|| key_position(self.front, key))
            .map(|(l, c)| (l + self.front_offset, c))
            .unwrap_or((1, 1));
        Diagnostic::error(self.path, message).at(line, col)
    }

    fn missing(&mut self, key: &str, example: &str) {
        self.diags.push(
            Diagnostic::error(self.path, msg!("front.missing", key = key))
                .at(1, 1)
                .with_hint(msg!("front.missing.hint", key = key, example = example)),
        );
    }

    fn reporters(&mut self, written: Vec<String>) -> Vec<String> {
        let reporters = names(written);
        if !reporters.is_empty() {
            self.joined_names(self.reporter_key(), &reporters);
            return reporters;
        }
        let key = self.reporter_key();
        if key_position(self.front, key).is_some() {
            let d = self
                .at(key, msg!("front.reporter_empty"))
                .with_hint(msg!("front.reporter_empty.hint"));
            self.diags.push(d);
        } else {
            self.missing("reporter", "杨宜锦");
        }
        reporters
    }

    /// The key the file names its reporters with (`reporters` is accepted too).
    fn reporter_key(&self) -> &'static str {
        if key_position(self.front, "reporters").is_some() {
            "reporters"
        } else {
            "reporter"
        }
    }

    /// `gazette new` writes a placeholder reporter ("本报记者") for the editor to replace; it
    /// must not reach readers, where it would become a person page of its own.
    fn no_placeholder(&mut self, reporters: &[String]) {
        let placeholder = self.config.strings.get("new.reporter");
        if reporters.iter().any(|r| r == placeholder) {
            let d = self.at(
                self.reporter_key(),
                msg!("front.placeholder", name = placeholder),
            );
            self.diags.push(d.with_hint(msg!("front.placeholder.hint")));
        }
    }

    fn date(&mut self, key: &str, written: &str) -> Option<Zoned> {
        match parse_date(written, &self.config.timezone) {
            Ok(z) => Some(z),
            Err(why) => {
                let d = self.at(key, why.message);
                self.diags.push(d.with_hint(why.hint));
                None
            }
        }
    }

    fn section(&mut self, section: String) -> String {
        let config = self.config;
        if section.is_empty() {
            let first = config.sections.first();
            self.missing("section", first.map_or("community", |s| s.key.as_str()));
        } else if config.section(&section).is_none() {
            let declared: Vec<&str> = config.sections.iter().map(|s| s.key.as_str()).collect();
            let by_name = (config.sections.iter())
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
            let d = self.at("section", msg!("section.unknown", section = &section));
            self.diags.push(d.with_hint(hint));
        }
        section
    }

    fn slug(&mut self, written: Option<String>, file: &ContentFile, title: &str) -> String {
        match written {
            Some(s) if !is_url_safe_key(&s) => {
                let better = Some(slugify(&s)).filter(|b| !b.is_empty());
                let d = self.at("slug", msg!("front.slug", slug = &s));
                self.diags.push(d.with_hint(msg!(
                    "hint.url_safe",
                    example = better.as_deref().unwrap_or("my-story")
                )));
                String::new()
            }
            Some(s) => s,
            None => default_slug(&file.path, file.is_bundle, title),
        }
    }

    fn image(&mut self, written: Option<String>) -> Option<String> {
        let image = written
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())?;
        if let Err(why) = check_relative_file(&image) {
            let d = self.at("image", msg!("front.image", image = &image, why = why));
            self.diags.push(d.with_hint(msg!("front.image.hint")));
        }
        Some(image)
    }

    fn corrections(&mut self, written: Vec<crate::load::RawCorrection>) -> Vec<Correction> {
        let mut out = Vec::new();
        for c in written {
            match parse_date(&c.date.0, &self.config.timezone) {
                Ok(date) => out.push(Correction {
                    date,
                    text: c.text.0.trim().to_string(),
                }),
                Err(why) => {
                    let d = self.at("corrections", why.message);
                    self.diags.push(d.with_hint(why.hint));
                }
            }
        }
        out
    }

    /// Earlier addresses as site-relative folders: `/2024/01/05/old/`, `2024/01/05/old` and
    /// the same with the site's base path all mean `2024/01/05/old/`.
    fn aliases(&mut self, written: Vec<crate::load::Text>) -> Vec<String> {
        let base = crate::url_space::base_path(&self.config.base_url);
        let mut out = Vec::new();
        for alias in written {
            let raw = alias.0.trim();
            let path = raw
                .strip_prefix(base.as_str())
                .or(raw.strip_prefix('/'))
                .unwrap_or(raw);
            let path = path.trim_end_matches('/');
            // An empty path, or a URL's `//`, has an empty segment; `:` is not allowed.
            let bad = path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
                || !path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
            if bad {
                let d = self.at("aliases", msg!("front.alias", alias = raw));
                self.diags.push(d.with_hint(msg!("front.alias.hint")));
            } else {
                out.push(format!("{path}/"));
            }
        }
        out
    }

    fn extra(&mut self, written: Option<serde_json::Value>) -> serde_json::Value {
        let extra = written.unwrap_or(serde_json::Value::Object(Default::default()));
        if !extra.is_object() {
            let d = self.at("extra", msg!("front.extra"));
            self.diags.push(d);
        }
        extra
    }

    /// Names a Chinese keyboard joined with `，` or `、` are an error showing the split.
    fn joined_names(&mut self, key: &str, list: &[String]) {
        for name in list {
            let Some(parts) = split_joined(name) else {
                continue;
            };
            let message = msg!(
                "front.names_joined",
                key = key,
                name = name,
                parts = parts.join(" | ")
            );
            let hint = msg!(
                "front.names_joined.hint",
                key = key,
                list = parts.join(", ")
            );
            let d = self.at(key, message).with_hint(hint);
            self.diags.push(d);
        }
    }

    /// Tags without repeats; a tag that is several joined by `，` or `、` is an error.
    fn tags(&mut self, written: Vec<crate::load::Text>) -> Vec<String> {
        let mut tags = names(written.into_iter().map(|t| t.0).collect());
        tags.retain(|t| {
            let Some(parts) = split_joined(t) else {
                return true;
            };
            let message = msg!("front.tags_joined", tag = t, parts = parts.join(" | "));
            let hint = msg!("front.tags_joined.hint", list = parts.join(", "));
            let d = self.at("tags", message).with_hint(hint);
            self.diags.push(d);
            false
        });
        tags
    }
}

/// Names (or tags) as written, trimmed, without blanks and repeats, in their order.
fn names(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in list {
        let n = trim_item(&n).to_string();
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

/// A name or tag without the spaces and the separator a keyboard left at either end
/// (`张晓岚，` is 张晓岚), so a separator left in it stands between two items.
fn trim_item(item: &str) -> &str {
    item.trim_matches(|c: char| c.is_whitespace() || JOINERS.contains(&c))
}

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

#[cfg(test)]
mod tests {
    use super::check_relative_file;

    fn refusal(path: &str) -> Option<&'static str> {
        check_relative_file(path).err().map(|m| m.id)
    }

    #[test]
    fn a_photo_is_beside_the_article_or_remote() {
        for fine in [
            "lift.png",
            "photos/lift.png",
            "./lift.png",
            "a..b.png",
            "https://photos.example.org/a.png",
            "data:image/png;base64,AAAA",
        ] {
            assert_eq!(refusal(fine), None, "{fine}");
        }
        for absolute in ["/srv/lift.png", "\\srv\\lift.png", "C:/photos/lift.png"] {
            assert_eq!(refusal(absolute), Some("file.absolute"), "{absolute}");
        }
        for leaving in [
            "../lift.png",
            "photos/../../lift.png",
            "photos\\..\\..\\lift.png",
        ] {
            assert_eq!(refusal(leaving), Some("file.dotdot"), "{leaving}");
        }
    }
}
