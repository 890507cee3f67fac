//! Model: the whole site as plain, immutable data made by one function.
//!
//! Input: validated articles and the config. Output: a `Site` with articles newest first
//! and every grouping pages are made of (sections, people, tags, daily editions, months),
//! each a list of article indices, or the cross-article errors (two articles, one URL).
//! `Site` is a value: `serve` rebuilds it after a change and compares, nothing mutates it.

mod groups;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::ZonedDateTime as Zoned;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::validate::Article;
pub use groups::{Edition, Month, Person, Role, Section, Tag};

/// Which articles a build publishes.
#[derive(Debug, Clone)]
pub struct Selection {
    pub drafts: bool,
    /// Include articles dated after `now` (embargoed).
    pub future: bool,
    pub now: Zoned,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Published articles, newest first (ties: by source path, so order never varies).
    pub articles: Vec<Arc<Article>>,
    /// Stories taken down (`unpublished:`), by source path: their addresses answer with a
    /// notice, and nothing else of the site shows them.
    pub withdrawn: Vec<Arc<Article>>,
    pub sections: Vec<Section>,
    pub people: Vec<Person>,
    pub tags: Vec<Tag>,
    pub editions: Vec<Edition>,
    pub months: Vec<Month>,
    pub person_by_name: HashMap<String, usize>,
    pub tag_by_name: HashMap<String, usize>,
    pub edition_by_date: HashMap<Date, usize>,
    /// Source path → page path of every published article, for link rewriting.
    pub page_of_source: HashMap<PathBuf, String>,
    /// Every article's page path.
    pub page_paths: HashSet<String>,
    /// Where the site's root is on its host (`/` or `/news/`).
    pub base_path: String,
    /// Drafts left out of this build.
    pub drafts_skipped: usize,
    /// Embargoed articles left out, and the earliest time one becomes due.
    pub embargoed: Vec<Zoned>,
    /// Addresses that answer with a redirect to an article (its `aliases`, and where it
    /// was published before); set once the URL space is known.
    pub redirects: Vec<Redirect>,
}

/// An old address (a site-relative folder) and the article it now leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: usize,
}

impl Site {
    pub fn section_of(&self, article: &Article) -> usize {
        self.sections
            .iter()
            .position(|s| s.key == article.section)
            .unwrap_or(0)
    }

    /// Whether an article is dated after the selection's "now" (shown only with --future / serve).
    pub fn is_scheduled(article: &Article, now: &Zoned) -> bool {
        article.date.timestamp() > now.timestamp()
    }
}

/// Builds the site model; fails only on problems that involve several articles.
pub fn build(
    mut articles: Vec<Arc<Article>>,
    config: Config,
    selection: &Selection,
) -> Result<Site, Vec<Diagnostic>> {
    let before = articles.len();
    let drafts_skipped = if selection.drafts {
        0
    } else {
        articles.retain(|a| !a.draft);
        before - articles.len()
    };
    let mut embargoed = Vec::new();
    if !selection.future {
        articles.retain(|a| {
            let held = Site::is_scheduled(a, &selection.now);
            if held {
                embargoed.push(a.date.clone());
            }
            !held
        });
    }
    embargoed.sort();

    articles.sort_by(|a, b| {
        b.date
            .timestamp()
            .cmp(&a.date.timestamp())
            .then_with(|| a.source.cmp(&b.source))
    });
    check_unique_urls(&articles)?;
    let (mut withdrawn, articles): (Vec<_>, Vec<_>) =
        articles.into_iter().partition(|a| a.unpublished.is_some());
    withdrawn.sort_by(|a, b| a.source.cmp(&b.source));

    // Links to a withdrawn story still resolve: its address answers with the notice.
    let page_of_source: HashMap<PathBuf, String> = articles
        .iter()
        .chain(&withdrawn)
        .map(|a| (a.source.clone(), a.path.clone()))
        .collect();
    let groups = groups::group(&articles, &config);
    let base_path = crate::url_space::base_path(&config.base_url);
    Ok(Site {
        config,
        articles,
        withdrawn,
        sections: groups.sections,
        people: groups.people,
        tags: groups.tags,
        editions: groups.editions,
        months: groups.months,
        person_by_name: groups.person_by_name,
        tag_by_name: groups.tag_by_name,
        edition_by_date: groups.edition_by_date,
        page_paths: page_of_source.values().cloned().collect(),
        page_of_source,
        base_path,
        drafts_skipped,
        embargoed,
        redirects: Vec::new(),
    })
}

/// Two articles that would write the same page are an error naming both files.
pub fn check_unique_urls(articles: &[Arc<Article>]) -> Result<(), Vec<Diagnostic>> {
    let mut seen: HashMap<&str, &Arc<Article>> = HashMap::with_capacity(articles.len());
    let mut diags = Vec::new();
    for a in articles {
        if let Some(first) = seen.insert(a.path.as_str(), a) {
            let (earlier, later) = if first.source < a.source {
                (first, a)
            } else {
                (a, first)
            };
            let (line, col) = later.position_of("slug");
            diags.push(
                Diagnostic::error(
                    &later.source,
                    msg!(
                        "model.same_url",
                        path = &later.path,
                        other = earlier.source.display()
                    ),
                )
                .at(line, col)
                .with_hint(msg!("model.same_url.hint")),
            );
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}
