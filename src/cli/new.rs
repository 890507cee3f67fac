//! `gazette new`: an article file with its front matter filled in, ready to write.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{did_you_mean, Diagnostic};
use crate::i18n::Strings;
use crate::text::slug::slugify_trimmed;

/// Slugs from titles stop at a word near this length: long enough to read, short enough to type.
const SLUG_MAX: usize = 48;

pub struct NewArticle<'a> {
    pub root: &'a Path,
    pub title: &'a str,
    pub section: &'a str,
    pub reporters: &'a [String],
    pub correspondents: &'a [String],
    pub bundle: bool,
}

/// Writes the new article and returns its path (relative to the site root).
pub fn new_article(req: &NewArticle<'_>) -> Result<PathBuf, Vec<Diagnostic>> {
    let config = Config::load(req.root)?;
    if config.section(req.section).is_none() {
        let declared: Vec<&str> = config.sections.iter().map(|s| s.key.as_str()).collect();
        let by_name = config
            .sections
            .iter()
            .find(|s| s.name == req.section)
            .map(|s| s.key.as_str());
        let hint = match by_name.or_else(|| did_you_mean(req.section, declared.iter().copied())) {
            Some(close) => msg!(
                "hint.did_you_mean_declared",
                close = close,
                list = declared.join(", ")
            ),
            None => msg!("hint.declared_sections", list = declared.join(", ")),
        };
        return Err(vec![Diagnostic::error(
            "--section",
            msg!("section.unknown", section = req.section),
        )
        .with_hint(hint)]);
    }
    let title = req.title.trim();
    if title.is_empty() {
        return Err(vec![Diagnostic::error("TITLE", msg!("new.empty_title"))
            .with_hint(msg!("new.empty_title.hint"))]);
    }
    let mut slug = slugify_trimmed(title, SLUG_MAX);
    if slug.is_empty() {
        slug = "article".into();
    }
    let today = jiff::ZonedDateTime::now()
        .with_time_zone(config.timezone.clone())
        .date();
    let folder = PathBuf::from("content")
        .join(format!("{:04}", today.year()))
        .join(format!("{:02}", today.month()));
    let rel = if req.bundle {
        folder.join(&slug).join("index.md")
    } else {
        folder.join(format!("{slug}.md"))
    };
    let path = req.root.join(&rel);
    if path.exists() || (req.bundle && path.parent().is_some_and(Path::exists)) {
        return Err(vec![
            Diagnostic::error(&rel, msg!("new.exists")).with_hint(msg!("new.exists.hint"))
        ]);
    }
    let text = front_matter(title, &today.to_string(), req, &config.strings);
    let io = |e: std::io::Error| vec![Diagnostic::error(&rel, msg!("io.cannot_write", error = &e))];
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // create_new: even a file appearing between the check and now is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
    Ok(rel)
}

fn yaml_list(names: &[String]) -> String {
    match names {
        [one] => yaml_text(one),
        many => format!(
            "[{}]",
            many.iter()
                .map(|n| yaml_text(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A YAML scalar, quoted when plain style could misread it.
fn yaml_text(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// The front matter; without `--reporter`, the reporter line holds the site language's
/// placeholder ("本报记者", "Staff reporter") for the editor to replace.
fn front_matter(title: &str, date: &str, req: &NewArticle<'_>, strings: &Strings) -> String {
    let reporters = if req.reporters.is_empty() {
        vec![strings.get("new.reporter").to_string()]
    } else {
        req.reporters.to_vec()
    };
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_text(title)));
    out.push_str(&format!("reporter: {}\n", yaml_list(&reporters)));
    if !req.correspondents.is_empty() {
        out.push_str(&format!(
            "correspondent: {}\n",
            yaml_list(req.correspondents)
        ));
    }
    out.push_str(&format!(
        "date: {date}\nsection: {}\ntags: []\n",
        req.section
    ));
    out.push_str(&format!(
        "draft: true   # {}\n---\n\n",
        strings.get("new.draft_comment")
    ));
    out
}
