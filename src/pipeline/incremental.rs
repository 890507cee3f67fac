//! The incremental rebuild behind `serve`: after a change, redo only what it touches.
//!
//! A `Preview` keeps the last good build in memory: articles, rendered bodies, template
//! values, and for every article the pages that showed it when they were last rendered (as
//! the renderer recorded it, not as this module would guess it). Two paths, and when in
//! doubt the second:
//! - an edit that leaves every article where it was (same URL, date, section, tags, people,
//!   lead and page order) re-renders only the pages that showed the edited articles, plus
//!   feeds, sitemaps and their photos;
//! - anything else re-reads only the changed files and then makes the whole site again from
//!   the articles in memory, exactly as a fresh build would.
//!
//! Templates, static files and `site.yaml` changes start from scratch. A change with errors
//! leaves the preview as it was, so the last good site keeps being served, and is applied
//! again with the next change, so a later fix elsewhere cannot hide a file still broken.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{assets, finish, load_config, load_theme, references, selection, BuildOptions};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::{bundle_of, load_file, walk_under, ContentFile};
use crate::markdown::RenderedBody;
use crate::model::{self, Selection, Site};
use crate::render::pages::Job;
use crate::render::{plan, Renderer, Shown, SiteValues, Theme};
use crate::url_space::UrlSpace;
use crate::validate::Article;

/// What a file-system change amounts to, decided by `serve`'s watcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These files under `content/` changed, appeared or went (site-relative paths).
    Content(Vec<PathBuf>),
    /// Templates, static files, themes or site.yaml: rebuild everything.
    Everything,
}

impl Change {
    /// One change that covers both.
    fn merge(self, later: &Change) -> Change {
        match (self, later) {
            (Change::Content(mut paths), Change::Content(more)) => {
                for p in more {
                    if !paths.contains(p) {
                        paths.push(p.clone());
                    }
                }
                Change::Content(paths)
            }
            _ => Change::Everything,
        }
    }
}

/// What an update changed in the served site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Output paths whose bytes changed or appeared.
    pub changed: Vec<String>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
    /// HTML pages rendered for this update.
    pub rendered: usize,
}

impl Update {
    /// True when only stylesheets changed: the browser can swap them without a reload.
    pub fn css_only(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// The served site: every output file by its site-relative path.
pub type Files = HashMap<String, Arc<[u8]>>;

pub struct Preview {
    setup: Setup,
    made: Made,
    /// A change that failed, to be applied again with the next one.
    pending: Option<Change>,
}

/// What stays while content changes: options, settings and the compiled theme.
struct Setup {
    opts: BuildOptions,
    config: Config,
    theme: Theme,
    renderer: Renderer,
    selection: Selection,
}

/// The site made from a set of articles, with what the preview needs to update it.
struct Made {
    site: Site,
    bodies: Vec<RenderedBody>,
    values: SiteValues,
    /// Article index → the pages that showed it when last rendered.
    showing: HashMap<usize, Vec<Job>>,
    /// The same record the other way round: page → the articles it showed. Re-rendering a
    /// page then updates only its own articles' lists, not all of them.
    shown_by: HashMap<Job, Vec<usize>>,
    /// Article source path → its index, kept so an edit need not index the archive again.
    by_source: HashMap<PathBuf, usize>,
    files: Files,
    /// Every path of the site, as the build claims it: links are judged against it.
    space: UrlSpace,
}

impl Preview {
    /// A full build kept in memory.
    pub fn new(opts: BuildOptions) -> Result<Preview, Vec<Diagnostic>> {
        let config = load_config(&opts).map_err(finish)?;
        let (theme, renderer) = load_theme(&opts, &config).map_err(finish)?;
        let selection = selection(&opts, &config);
        let (articles, diags) = super::load_articles(&opts.root, &config, &selection);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        let setup = Setup {
            selection,
            opts,
            config,
            theme,
            renderer,
        };
        let articles = articles.into_iter().map(Arc::new).collect();
        let made = setup.make(articles, HashMap::new())?;
        Ok(Preview {
            setup,
            made,
            pending: None,
        })
    }

    pub fn files(&self) -> &Files {
        &self.made.files
    }

    pub fn bodies(&self) -> &[RenderedBody] {
        &self.made.bodies
    }

    pub fn site(&self) -> &Site {
        &self.made.site
    }

    pub fn root(&self) -> &Path {
        &self.setup.opts.root
    }

    /// When the site next changes by itself: an embargo lifting, or a scheduled story
    /// losing its mark. No file changes then, so `serve` keeps a clock for it.
    pub fn next_change(&self) -> Option<jiff::Timestamp> {
        super::next_change(&self.made.site, self.setup.selection.now.timestamp())
    }

    /// Makes the site again as of `now` (the clock when `None`), as a build then would.
    pub fn at(&mut self, now: Option<jiff::ZonedDateTime>) -> Result<Update, Vec<Diagnostic>> {
        self.setup.opts.now = now;
        self.apply(&Change::Everything)
    }

    /// Applies a change (with any that failed before it); on error nothing changes and the
    /// diagnostics are returned.
    pub fn apply(&mut self, change: &Change) -> Result<Update, Vec<Diagnostic>> {
        let change = match self.pending.take() {
            Some(failed) => failed.merge(change),
            None => change.clone(),
        };
        let result = match &change {
            Change::Everything => Preview::new(self.setup.opts.clone()).map(|fresh| {
                let update = diff(
                    &self.made.files,
                    &fresh.made.files,
                    plan(&fresh.made.site).len(),
                );
                *self = fresh;
                update
            }),
            Change::Content(paths) => self.apply_content(paths),
        };
        if result.is_err() {
            self.pending = Some(change);
        }
        result
    }

    fn apply_content(&mut self, paths: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let root = self.setup.opts.root.clone();
        // 1. Re-read the changed files (a path may be a folder that moved in or out).
        let changed = expand(&root, paths);
        let mut fresh: Vec<Arc<Article>> = Vec::new();
        let mut diags = Vec::new();
        let Setup {
            config, selection, ..
        } = &self.setup;
        for file in changed.files {
            match load_file(&root, file).and_then(|l| super::validate_for(l, config, selection)) {
                Ok(a) => {
                    diags.extend(super::cover_problems(&a, selection));
                    fresh.push(Arc::new(a));
                }
                Err(d) => diags.extend(d),
            }
        }
        // Warnings (HTML the sanitizer removed) are `check`'s to report; the preview shows
        // the page as readers will see it.
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        if let Some(result) = self.try_in_place(&changed.touched, &fresh) {
            return result;
        }

        // 2. The new article list: old ones the change did not touch, plus the re-read ones.
        // Every story the preview holds, taken-down ones too: the model sorts them again.
        // (Published ones come first, in the order of their bodies.)
        let site = &self.made.site;
        let old: Vec<Arc<Article>> = site
            .articles
            .iter()
            .chain(&site.withdrawn)
            .cloned()
            .collect();
        let changed_sources: HashSet<&Path> = fresh.iter().map(|a| a.source.as_path()).collect();
        let (removed, mut articles): (Vec<Arc<Article>>, Vec<Arc<Article>>) = old
            .iter()
            .cloned()
            .partition(|a| changed.touched.iter().any(|p| a.source.starts_with(p)));
        let old_urls: HashMap<&Path, &str> = old
            .iter()
            .map(|a| (a.source.as_path(), a.path.as_str()))
            .collect();
        // Bodies link to other articles by URL: while no URL moved or went, the untouched
        // articles' bodies are still right.
        let urls_moved = removed
            .iter()
            .any(|a| !changed_sources.contains(a.source.as_path()))
            || fresh
                .iter()
                .any(|a| old_urls.get(a.source.as_path()) != Some(&a.path.as_str()));
        let reuse: HashMap<PathBuf, RenderedBody> = if urls_moved {
            HashMap::new()
        } else {
            old.iter()
                .zip(&self.made.bodies)
                .filter(|(a, _)| !changed.touched.iter().any(|p| a.source.starts_with(p)))
                .map(|(a, body)| (a.source.clone(), body.clone()))
                .collect()
        };
        articles.extend(fresh.iter().cloned());

        // 3. The whole site again, as a fresh build makes it.
        let made = self.setup.make(articles, reuse)?;
        let update = diff(&self.made.files, &made.files, plan(&made.site).len());
        self.made = made;
        Ok(update)
    }

    /// The common case while an editor types: the changed files are articles already in
    /// the site, and what decides where they appear (URL, date, section, tags, people,
    /// lead and page order) is unchanged. Then every index stays valid, and only the pages
    /// that showed them, the feeds and sitemaps, and their photos are made again.
    /// Returns `None` when the change is not of that kind.
    fn try_in_place(
        &mut self,
        touched: &[PathBuf],
        fresh: &[Arc<Article>],
    ) -> Option<Result<Update, Vec<Diagnostic>>> {
        if touched.len() != fresh.len() {
            return None; // something was deleted or a folder moved
        }
        let made = &self.made;
        let mut places = Vec::with_capacity(fresh.len());
        for a in fresh {
            let i = *made.by_source.get(&a.source)?;
            if structure(&made.site.articles[i]) != structure(a) || !touched.contains(&a.source) {
                return None;
            }
            places.push(i);
        }
        Some(self.replace_in_place(fresh, &places))
    }

    /// Puts `fresh[k]` at `places[k]` and re-makes what showed them; on error the preview
    /// is left as it was. Works on the preview's own tables, swapping values in and back
    /// out on failure: copying them would cost more than the edit at 100,000 articles.
    fn replace_in_place(
        &mut self,
        fresh: &[Arc<Article>],
        places: &[usize],
    ) -> Result<Update, Vec<Diagnostic>> {
        let setup = &self.setup;
        let made = &mut self.made;
        let old_articles: Vec<Arc<Article>> = fresh
            .iter()
            .zip(places)
            .map(|(a, &i)| std::mem::replace(&mut made.site.articles[i], Arc::clone(a)))
            .collect();
        let result = made.remake_in_place(setup, places);
        if result.is_err() {
            for (a, &i) in old_articles.into_iter().zip(places) {
                made.site.articles[i] = a;
            }
        }
        result
    }
}

impl Made {
    /// After the articles at `places` were replaced: their bodies and values, the pages
    /// that showed them, feeds, sitemaps and their photos. On error, bodies and values are
    /// put back (the caller puts back the articles).
    fn remake_in_place(
        &mut self,
        setup: &Setup,
        places: &[usize],
    ) -> Result<Update, Vec<Diagnostic>> {
        let root = &setup.opts.root;
        let (new_bodies, mut diags) = super::render_bodies_at(root, &self.site, places);
        let edited = places
            .iter()
            .map(|&i| &*self.site.articles[i])
            .zip(&new_bodies);
        let exists = |p: &str| self.space.contains(p);
        diags.extend(references::broken(root, &self.site, edited, &exists));
        // Warnings (HTML the sanitizer removed) are `check`'s to report; the preview shows
        // the page as readers will see it.
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        let mut undo = Vec::with_capacity(places.len());
        for (&i, body) in places.iter().zip(new_bodies) {
            let value = self.values.article(
                &self.site,
                &self.site.articles[i],
                &body,
                &setup.selection.now,
            );
            undo.push((
                std::mem::replace(&mut self.bodies[i], body),
                std::mem::replace(&mut self.values.articles[i], value),
            ));
        }
        let mut jobs: Vec<Job> = places
            .iter()
            .flat_map(|i| self.showing.get(i).into_iter().flatten().copied())
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        let rendered = setup
            .renderer
            .render_jobs(&self.site, &self.values, &jobs)
            .map_err(finish)
            .and_then(|pages| {
                let edited = places.iter().map(|&i| &*self.site.articles[i]);
                let originals = self.site.config.publish_original_photos;
                let photos =
                    assets::bundle_files_of(root, edited, originals).map_err(|d| vec![d])?;
                Ok((pages, photos))
            });
        let ((mut outputs, shown), photos) = match rendered {
            Ok(r) => r,
            Err(d) => {
                for (&i, (body, value)) in places.iter().zip(undo) {
                    self.bodies[i] = body;
                    self.values.articles[i] = value;
                }
                return Err(d);
            }
        };
        outputs.extend(crate::outputs::showing_text(
            &self.site,
            &self.bodies,
            places,
        ));
        outputs.extend(photos);
        // The re-rendered pages record what they show now.
        for (job, articles) in shown {
            self.record(job, articles);
        }
        let mut changed = Vec::new();
        for o in outputs {
            if self.files.get(&o.path).is_none_or(|old| **old != *o.bytes) {
                changed.push(o.path.clone());
                self.files.insert(o.path, o.bytes.into());
            }
        }
        changed.sort();
        Ok(Update {
            changed,
            removed: Vec::new(),
            rendered: jobs.len(),
        })
    }

    /// Replaces what `job` showed with `articles`, in both directions.
    fn record(&mut self, job: Job, articles: Vec<usize>) {
        for i in self.shown_by.remove(&job).unwrap_or_default() {
            if let Some(jobs) = self.showing.get_mut(&i) {
                jobs.retain(|j| *j != job);
            }
        }
        for &i in &articles {
            let jobs = self.showing.entry(i).or_default();
            if !jobs.contains(&job) {
                jobs.push(job);
            }
        }
        self.shown_by.insert(job, articles);
    }
}

impl Setup {
    /// The whole site from `articles`; bodies in `reuse` (by source path) are taken as
    /// they are instead of being rendered again.
    fn make(
        &self,
        articles: Vec<Arc<Article>>,
        mut reuse: HashMap<PathBuf, RenderedBody>,
    ) -> Result<Made, Vec<Diagnostic>> {
        let site = model::build(articles, self.config.clone(), &self.selection).map_err(finish)?;
        let (mut space, collisions) = crate::url_space::claim(&site, &self.theme.statics);
        if !collisions.is_empty() {
            return Err(finish(collisions));
        }
        let mut site = site;
        let history = super::history::read(&self.opts.root);
        site.redirects = crate::url_space::redirects(&site, &history, &mut space);
        let stale: Vec<usize> = (0..site.articles.len())
            .filter(|&i| !reuse.contains_key(&site.articles[i].source))
            .collect();
        let (fresh, diags) = super::render_bodies_at(&self.opts.root, &site, &stale);
        // Warnings (HTML the sanitizer removed) are `check`'s to report; the preview shows
        // the page as readers will see it.
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        let mut fresh = stale.into_iter().zip(fresh).collect::<HashMap<_, _>>();
        let bodies: Vec<RenderedBody> = (0..site.articles.len())
            .map(|i| {
                fresh
                    .remove(&i)
                    .or_else(|| reuse.remove(&site.articles[i].source))
                    .unwrap_or_default()
            })
            .collect();
        let values = SiteValues::build(&site, &bodies, &self.selection.now);
        let (pages, shown) = self
            .renderer
            .render_jobs(&site, &values, &plan(&site))
            .map_err(finish)?;
        let others = super::other_outputs(&self.opts.root, &self.theme, &site, &bodies)?;
        let files: Files = pages
            .into_iter()
            .chain(others)
            .map(|o| (o.path, o.bytes.into()))
            .collect();
        let exists = |p: &str| space.contains(p);
        let all = site.articles.iter().map(|a| &**a).zip(&bodies);
        let broken = references::broken(&self.opts.root, &site, all, &exists);
        if !broken.is_empty() {
            return Err(finish(broken));
        }
        Ok(Made {
            showing: showing(&shown),
            shown_by: shown.into_iter().collect(),
            space,
            by_source: (site.articles.iter().enumerate())
                .map(|(i, a)| (a.source.clone(), i))
                .collect(),
            site,
            bodies,
            values,
            files,
        })
    }
}

/// For every article, the pages that showed it, from what the renderer recorded.
fn showing(shown: &[Shown]) -> HashMap<usize, Vec<Job>> {
    let mut by_article: HashMap<usize, Vec<Job>> = HashMap::new();
    for (job, articles) in shown {
        for &i in articles {
            let jobs = by_article.entry(i).or_default();
            if jobs.last() != Some(job) {
                jobs.push(*job);
            }
        }
    }
    by_article
}

/// What decides where an article appears and in which order; while it holds for every
/// changed article, the page plan and every page's list of articles stay the same.
pub(crate) fn structure(a: &Article) -> impl PartialEq + std::hash::Hash + '_ {
    let extra = |key: &str| a.extra.get(key).map(ToString::to_string);
    (
        (
            &a.path,
            a.date.timestamp(),
            a.modified().timestamp(),
            &a.section,
            &a.tags,
            // Bundle files: each claims a path, and a removed one must go from the site.
            &a.assets,
            // Redirect pages and takedown notices are made with the whole site.
            &a.aliases,
            a.unpublished.is_some(),
        ),
        (
            &a.reporters,
            &a.correspondents,
            a.draft,
            extra("lead"),
            extra("page"),
        ),
    )
}

struct Expanded {
    /// Article files to (re)load.
    files: Vec<ContentFile>,
    /// Paths whose old articles are replaced or gone: the changed files and folders.
    touched: Vec<PathBuf>,
}

/// Turns changed paths into article files: a changed photo reloads its bundle's article,
/// a folder that moved in loads all its articles. Looks only near the changed paths: a
/// walk over the whole archive would cost more than the rebuild it serves.
fn expand(root: &Path, paths: &[PathBuf]) -> Expanded {
    let mut files: Vec<ContentFile> = Vec::new();
    let mut touched = Vec::new();
    for p in paths {
        let abs = root.join(p);
        let target = if abs.is_dir() {
            p.clone()
        } else if p.extension().is_some_and(|e| e == "md") {
            // An article, or the index of a bundle (whose folder holds its photos).
            if p.file_name().is_some_and(|n| n == "index.md") {
                p.parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| p.clone())
            } else {
                p.clone()
            }
        } else {
            // A photo or other file: its article is the nearest bundle above it, if any.
            match bundle_of(root, p) {
                Some(bundle) => bundle.to_path_buf(),
                // Gone, and not inside a bundle: maybe a whole folder of articles.
                None if !abs.exists() => p.clone(),
                None => continue,
            }
        };
        let target_abs = root.join(&target);
        let found: Vec<ContentFile> = if target_abs.is_dir() {
            walk_under(root, &target).0
        } else if target_abs.is_file() {
            vec![ContentFile {
                path: target.clone(),
                assets: Vec::new(),
                is_bundle: false,
            }]
        } else {
            Vec::new() // deleted
        };
        // A bundle folder is one article: name its index, as its source path reads.
        let bundle_index = target.join("index.md");
        let touches = if found.len() == 1 && found[0].path == bundle_index {
            bundle_index
        } else {
            target.clone()
        };
        // A burst names a bundle by its folder, its index and its photos: one article.
        if !touched.contains(&touches) {
            touched.push(touches);
        }
        for f in found {
            if !files.iter().any(|g| g.path == f.path) {
                files.push(f);
            }
        }
    }
    Expanded { files, touched }
}

/// The changed and removed paths between two file sets.
fn diff(old: &Files, new: &Files, rendered: usize) -> Update {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    let mut removed: Vec<String> = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .cloned()
        .collect();
    changed.sort();
    removed.sort();
    Update {
        changed,
        removed,
        rendered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After a save the site could not take, the next one is applied with it: still only
    /// the files named, each once, unless either change needs everything remade.
    #[test]
    fn a_failed_change_merges_with_the_next() {
        let content = |names: &[&str]| Change::Content(names.iter().map(PathBuf::from).collect());
        let merged = content(&["content/a.md", "content/b.md"])
            .merge(&content(&["content/b.md", "content/c.md"]));
        assert_eq!(
            merged,
            content(&["content/a.md", "content/b.md", "content/c.md"])
        );
        assert_eq!(
            content(&["content/a.md"]).merge(&Change::Everything),
            Change::Everything
        );
        assert_eq!(
            Change::Everything.merge(&content(&["content/a.md"])),
            Change::Everything
        );
    }
}
