//! The pages a build may take from the live site as they are.
//!
//! Rendering every page is most of a warm build (14,633 pages at 10,000 articles), and an
//! edit changes a few of them. The preview already renders only those (`incremental`); this
//! is the same rule kept between runs of `gazette build`. After each build a record beside
//! the output keeps
//! - one key for what shapes every page at once: this binary, the options, `site.yaml`, the
//!   theme, and where each article sits (its URL, date, section, tags, people, lead and page
//!   order, the same `structure` the preview compares);
//! - one print per article of what its template value is made from (its front matter, its
//!   rendered body and photos, whether it is scheduled);
//! - for every page of the plan, the articles it showed, as the renderer recorded them.
//!
//! The next build with the same key renders a page only when an article it showed has a
//! new print, and links every other page from the live site (unless that file changed
//! after the record was written: see `DiskSink::keep`). Pages that show no articles
//! by this record (home, indexes, search, 404, takedown notices) are always rendered:
//! they are few, and some read things no print covers (the search page, the withdrawn story).
//! Without a record, or with another key, every page is rendered.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::incremental::structure;
use super::BuildOptions;
use crate::markdown::RenderedBody;
use crate::model::{Selection, Site};
use crate::render::{Job, Shown, Theme};

/// What the pages of one build were made from and what each showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRecord {
    key: u64,
    /// Per article, in the site's order.
    prints: Vec<u64>,
    /// Per job of the plan, in plan order: the articles the page showed.
    shown: Vec<Vec<usize>>,
}

/// The key and prints of the build under way, made before its pages render.
pub struct Prints {
    key: u64,
    articles: Vec<u64>,
}

impl PageRecord {
    /// The record at `path`; `None` when it is missing or unreadable (every page renders).
    pub fn read(path: &Path) -> Option<PageRecord> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Which of `jobs` can be taken from the site this record describes (`true`), and
    /// which must be rendered.
    pub fn reusable(old: Option<&PageRecord>, new: &Prints, jobs: &[Job]) -> Vec<bool> {
        let Some(old) = old.filter(|old| {
            old.key == new.key
                && old.prints.len() == new.articles.len()
                && old.shown.len() == jobs.len()
        }) else {
            return vec![false; jobs.len()];
        };
        jobs.iter()
            .zip(&old.shown)
            .map(|(job, shown)| {
                shows_articles(job) && shown.iter().all(|&i| old.prints[i] == new.articles[i])
            })
            .collect()
    }

    /// The record of the build just made: what the rendered pages showed, and for the
    /// others what they showed when they were last rendered.
    pub fn after(
        old: Option<PageRecord>,
        new: Prints,
        jobs: &[Job],
        rendered: Vec<Shown>,
    ) -> PageRecord {
        let mut rendered: HashMap<Job, Vec<usize>> = rendered.into_iter().collect();
        let mut old_shown = old.map(|o| o.shown).unwrap_or_default().into_iter();
        let shown = jobs
            .iter()
            .map(|job| {
                let kept = old_shown.next();
                rendered.remove(job).or(kept).unwrap_or_default()
            })
            .collect();
        PageRecord {
            key: new.key,
            prints: new.articles,
            shown,
        }
    }
}

impl Prints {
    /// Key and prints for `site` with `bodies`, as `opts` and `theme` build it.
    pub fn of(
        opts: &BuildOptions,
        theme: &Theme,
        site: &Site,
        bodies: &[RenderedBody],
        selection: &Selection,
    ) -> Prints {
        Prints {
            key: site_key(opts, theme, site),
            articles: site
                .articles
                .iter()
                .zip(bodies)
                .map(|(a, body)| {
                    let mut h = Xxh3::new();
                    (&a.source, &a.front, &a.path).hash(&mut h);
                    (&*body.html, &body.summary, body.reading_minutes).hash(&mut h);
                    let mut photos: Vec<_> = body.images.iter().collect();
                    photos.sort_unstable_by(|x, y| x.0.cmp(y.0));
                    photos.hash(&mut h);
                    Site::is_scheduled(a, &selection.now).hash(&mut h);
                    h.finish()
                })
                .collect(),
        }
    }
}

/// Pages whose record of shown articles is all they depend on besides the site key.
fn shows_articles(job: &Job) -> bool {
    matches!(
        job,
        Job::Article(_)
            | Job::Section { .. }
            | Job::Person { .. }
            | Job::Tag { .. }
            | Job::Edition(_)
            | Job::ArchiveMonth(_)
    )
}

/// Hashes what every page depends on at once.
fn site_key(opts: &BuildOptions, theme: &Theme, site: &Site) -> u64 {
    let mut h = Xxh3::new();
    super::fingerprint::binary_identity().hash(&mut h);
    (site.config.source_hash, &site.config.base_url).hash(&mut h);
    (opts.drafts, opts.future, opts.asset_hashes).hash(&mut h);
    for t in &theme.templates {
        (&t.name, &t.text).hash(&mut h);
    }
    for (path, file) in &theme.statics {
        (path, &file.bytes[..]).hash(&mut h);
    }
    for a in site.articles.iter().chain(&site.withdrawn) {
        (&a.source, structure(a)).hash(&mut h);
    }
    site.articles.len().hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(prints: &[u64], shown: &[&[usize]]) -> PageRecord {
        PageRecord {
            key: 7,
            prints: prints.to_vec(),
            shown: shown.iter().map(|s| s.to_vec()).collect(),
        }
    }

    fn prints(key: u64, articles: &[u64]) -> Prints {
        Prints {
            key,
            articles: articles.to_vec(),
        }
    }

    const JOBS: [Job; 4] = [Job::Home, Job::Article(0), Job::Article(1), Job::Edition(0)];

    #[test]
    fn only_pages_showing_a_changed_article_render_again() {
        let old = record(&[1, 2], &[&[0, 1], &[0], &[1], &[0, 1]]);
        let reusable = PageRecord::reusable(Some(&old), &prints(7, &[1, 3]), &JOBS);
        // Home always renders; article 1 changed, so its page and the edition do too.
        assert_eq!(reusable, [false, true, false, false]);
    }

    #[test]
    fn another_key_or_plan_renders_everything() {
        let old = record(&[1, 2], &[&[0, 1], &[0], &[1], &[0, 1]]);
        let none = vec![false; JOBS.len()];
        assert_eq!(
            PageRecord::reusable(Some(&old), &prints(8, &[1, 2]), &JOBS),
            none
        );
        assert_eq!(
            PageRecord::reusable(Some(&old), &prints(7, &[1, 2]), &JOBS[..3]),
            none[..3]
        );
        assert_eq!(PageRecord::reusable(None, &prints(7, &[1, 2]), &JOBS), none);
    }

    #[test]
    fn the_new_record_keeps_what_unrendered_pages_showed() {
        let old = record(&[1, 2], &[&[0, 1], &[0], &[1], &[0, 1]]);
        let rendered = vec![(Job::Home, vec![1]), (Job::Article(1), vec![1, 0])];
        let new = PageRecord::after(Some(old), prints(9, &[1, 3]), &JOBS, rendered);
        assert_eq!(new, {
            let mut r = record(&[1, 3], &[&[1], &[0], &[1, 0], &[0, 1]]);
            r.key = 9;
            r
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pages.json");
        std::fs::write(&path, new.to_bytes()).expect("write");
        assert_eq!(PageRecord::read(&path), Some(new));
    }
}
