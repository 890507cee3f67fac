//! The incremental rebuild behind `serve`: after a change, redo only what it touches.
//!
//! A `Preview` keeps the last good build in memory: articles, rendered bodies, template
//! values, and for every page the list of articles it shows. A content change re-reads only
//! the changed files, rebuilds the (cheap) model, and re-renders the pages whose list of
//! shown articles changed or includes a changed article. Templates, static files and
//! `site.yaml` changes rebuild from scratch. A change with errors leaves the preview as it
//! was, so the last good site keeps being served.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{assets, finish, load_config, load_theme, selection, BuildOptions};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::{load_file, walk_under, ContentFile, CONTENT_DIR};
use crate::markdown::RenderedBody;
use crate::model::{self, Selection, Site};
use crate::render::pages::{page_path, related, Job};
use crate::render::{plan, Renderer, SiteValues, Theme};
use crate::validate::{validate, Article};
use crate::write::Output;

/// What a file-system change amounts to, decided by `serve`'s watcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These files under `content/` changed, appeared or went (site-relative paths).
    Content(Vec<PathBuf>),
    /// Templates, static files, themes or site.yaml: rebuild everything.
    Everything,
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
    opts: BuildOptions,
    config: Config,
    theme: Theme,
    renderer: Renderer,
    selection: Selection,
    site: Site,
    bodies: Vec<RenderedBody>,
    values: SiteValues,
    /// Page output path → what the page shows, as of the last render.
    deps: HashMap<String, Deps>,
    /// Article URL → the pages that show it; valid while the site's structure holds.
    showing: HashMap<String, Vec<Job>>,
    files: Files,
}

/// What a page shows: article URLs in order, plus any counts it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deps {
    articles: Vec<String>,
    counts: Vec<usize>,
}

impl Preview {
    /// A full build kept in memory.
    pub fn new(opts: BuildOptions) -> Result<Preview, Vec<Diagnostic>> {
        let config = load_config(&opts).map_err(finish)?;
        let (theme, renderer) = load_theme(&opts, &config).map_err(finish)?;
        let (articles, diags) = super::load_articles(&opts.root, &config);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        let selection = selection(&opts, &config);
        let articles = articles.into_iter().map(Arc::new).collect();
        let site = model::build(articles, config.clone(), &selection).map_err(finish)?;
        let (bodies, diags) = super::render_bodies(&opts.root, &site);
        // Warnings (HTML the sanitizer removed) are `check`'s to report; the preview shows
        // the page as readers will see it.
        if diags.iter().any(Diagnostic::is_error) {
            return Err(finish(diags));
        }
        let values = SiteValues::build(&site, &bodies, &selection.now);
        let mut preview = Preview {
            opts,
            config,
            theme,
            renderer,
            selection,
            site,
            bodies,
            values,
            deps: HashMap::new(),
            showing: HashMap::new(),
            files: HashMap::new(),
        };
        let jobs = plan(&preview.site);
        let mut files = Files::new();
        for o in preview.render(&jobs)? {
            files.insert(o.path, o.bytes.into());
        }
        for o in other_outputs(
            &preview.opts.root,
            &preview.theme,
            &preview.site,
            &preview.bodies,
        )? {
            files.insert(o.path, o.bytes.into());
        }
        let (deps, showing) = dependencies(&preview.site, &jobs);
        preview.deps = deps;
        preview.showing = showing;
        preview.files = files;
        Ok(preview)
    }

    pub fn files(&self) -> &Files {
        &self.files
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Applies a change; on error nothing changes and the diagnostics are returned.
    pub fn apply(&mut self, change: &Change) -> Result<Update, Vec<Diagnostic>> {
        match change {
            Change::Everything => {
                let fresh = Preview::new(self.opts.clone())?;
                let update = diff(&self.files, &fresh.files, fresh.deps.len());
                *self = fresh;
                Ok(update)
            }
            Change::Content(paths) => self.apply_content(paths),
        }
    }

    fn apply_content(&mut self, paths: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let root = self.opts.root.clone();
        // 1. Re-read the changed files (a path may be a folder that moved in or out).
        let changed = expand(&root, paths);
        let mut fresh: Vec<Arc<Article>> = Vec::new();
        let mut diags = Vec::new();
        for file in changed.files {
            match load_file(&root, file).and_then(|l| validate(l, &self.config)) {
                Ok(a) => {
                    diags.extend(assets::check_cover_images(std::slice::from_ref(&a)));
                    fresh.push(Arc::new(a));
                }
                Err(d) => diags.extend(d),
            }
        }
        if !diags.is_empty() {
            return Err(finish(diags));
        }
        let changed_sources: HashSet<PathBuf> = fresh.iter().map(|a| a.source.clone()).collect();
        if let Some(result) = self.try_in_place(&changed.touched, &fresh) {
            return result;
        }

        // 2. The new article list: old ones the change did not touch, plus the re-read ones.
        let old = &self.site.articles;
        let (removed, mut articles): (Vec<Arc<Article>>, Vec<Arc<Article>>) = old
            .iter()
            .cloned()
            .partition(|a| changed.touched.iter().any(|p| a.source.starts_with(p)));
        articles.extend(fresh);
        model::check_unique_urls(&articles).map_err(finish)?;
        let old_urls: HashMap<&Path, &str> = old
            .iter()
            .map(|a| (a.source.as_path(), a.path.as_str()))
            .collect();
        let urls_changed = removed.iter().any(|a| !changed_sources.contains(&a.source))
            || articles
                .iter()
                .any(|a| old_urls.get(a.source.as_path()) != Some(&a.path.as_str()));
        let site = model::build(articles, self.config.clone(), &self.selection).map_err(finish)?;

        // 3. Bodies: re-rendered for changed articles, or for all when a URL changed
        //    (links from other articles may point at it).
        let old_bodies: HashMap<&Path, &RenderedBody> = old
            .iter()
            .map(|a| a.source.as_path())
            .zip(self.bodies.iter())
            .collect();
        let rerender: Vec<usize> = (0..site.articles.len())
            .filter(|&i| urls_changed || changed_sources.contains(&site.articles[i].source))
            .collect();
        let (new_bodies, body_diags) = super::render_bodies_at(&root, &site, &rerender);
        if body_diags.iter().any(Diagnostic::is_error) {
            return Err(finish(body_diags));
        }
        let mut new_bodies: HashMap<usize, RenderedBody> =
            rerender.into_iter().zip(new_bodies).collect();
        let bodies: Vec<RenderedBody> = (0..site.articles.len())
            .map(|i| {
                new_bodies
                    .remove(&i)
                    .or_else(|| {
                        old_bodies
                            .get(site.articles[i].source.as_path())
                            .map(|b| (*b).clone())
                    })
                    .unwrap_or_default()
            })
            .collect();

        // 4. Template values: unchanged articles keep theirs while the refs they embed hold.
        let mut values = SiteValues::without_articles(&site);
        let old_values: HashMap<&Path, &tera::Value> = if values.same_refs(&self.values) {
            old.iter()
                .map(|a| a.source.as_path())
                .zip(self.values.articles.iter())
                .collect()
        } else {
            HashMap::new()
        };
        values.articles = site
            .articles
            .iter()
            .zip(&bodies)
            .map(|(a, body)| match old_values.get(a.source.as_path()) {
                Some(v) if !changed_sources.contains(&a.source) => (*v).clone(),
                _ => values.article(&site, a, body, &self.selection.now),
            })
            .collect();

        // 5. Pages whose shown articles changed, or that show a changed article.
        let changed_urls: HashSet<&str> = site
            .articles
            .iter()
            .filter(|a| changed_sources.contains(&a.source))
            .chain(&removed)
            .map(|a| a.path.as_str())
            .collect();
        let jobs = plan(&site);
        let (deps, showing) = dependencies(&site, &jobs);
        let to_render: Vec<Job> = jobs
            .iter()
            .copied()
            .filter(|&job| {
                let path = output_path(&site, job);
                let d = &deps[&path];
                self.deps.get(&path) != Some(d)
                    || d.articles.iter().any(|u| changed_urls.contains(u.as_str()))
            })
            .collect();
        let mut outputs = self
            .renderer
            .render_jobs(&site, &values, &to_render)
            .map_err(finish)?;
        outputs.extend(other_outputs(&root, &self.theme, &site, &bodies)?);

        // 6. Swap in the new state; drop pages and photos that no longer exist.
        let mut files = self.files.clone();
        files.retain(|p, _| !self.deps.contains_key(p) || deps.contains_key(p));
        for a in &removed {
            files.retain(|p, _| !p.starts_with(&a.path));
        }
        for o in outputs {
            files.insert(o.path, o.bytes.into());
        }
        let update = diff(&self.files, &files, to_render.len());
        self.site = site;
        self.bodies = bodies;
        self.values = values;
        self.deps = deps;
        self.showing = showing;
        self.files = files;
        Ok(update)
    }

    /// The common case while an editor types: the changed files are articles already in
    /// the site, and what decides where they appear (URL, date, section, tags, people,
    /// lead and page order) is unchanged. Then every index stays valid, and only the pages
    /// showing them, the feeds carrying them and their photos are made again.
    /// Returns `None` when the change is not of that kind.
    fn try_in_place(
        &mut self,
        touched: &[PathBuf],
        fresh: &[Arc<Article>],
    ) -> Option<Result<Update, Vec<Diagnostic>>> {
        if touched.len() != fresh.len() {
            return None; // something was deleted or a folder moved
        }
        let index: HashMap<&Path, usize> = self
            .site
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.source.as_path(), i))
            .collect();
        let mut places = Vec::with_capacity(fresh.len());
        for a in fresh {
            let i = *index.get(a.source.as_path())?;
            if structure(&self.site.articles[i]) != structure(a) || !touched.contains(&a.source) {
                return None;
            }
            places.push(i);
        }
        let root = self.opts.root.clone();
        let mut site = self.site.clone();
        for (a, &i) in fresh.iter().zip(&places) {
            site.articles[i] = Arc::clone(a);
        }
        let (new_bodies, diags) = super::render_bodies_at(&root, &site, &places);
        if diags.iter().any(Diagnostic::is_error) {
            return Some(Err(finish(diags)));
        }
        let mut values_articles = Vec::with_capacity(places.len());
        for (&i, body) in places.iter().zip(&new_bodies) {
            values_articles.push(self.values.article(
                &site,
                &site.articles[i],
                body,
                &self.selection.now,
            ));
        }
        // Swap the new articles in; on a template error, swap the old ones back.
        let old: Vec<(RenderedBody, tera::Value)> = places
            .iter()
            .zip(new_bodies.into_iter().zip(values_articles))
            .map(|(&i, (b, v))| {
                (
                    std::mem::replace(&mut self.bodies[i], b),
                    std::mem::replace(&mut self.values.articles[i], v),
                )
            })
            .collect();
        let mut jobs: Vec<Job> = places
            .iter()
            .flat_map(|&i| {
                self.showing
                    .get(&site.articles[i].path)
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        let rendered = self
            .renderer
            .render_jobs(&site, &self.values, &jobs)
            .map_err(finish);
        let mut outputs = match rendered {
            Ok(o) => o,
            Err(d) => {
                for (&i, (b, v)) in places.iter().zip(old) {
                    self.bodies[i] = b;
                    self.values.articles[i] = v;
                }
                return Some(Err(d));
            }
        };
        let limit = site.config.feed_limit;
        let in_a_feed = places.iter().any(|&i| {
            i < limit
                || site
                    .sections
                    .iter()
                    .any(|s| s.articles.iter().take(limit).any(|&x| x == i))
        });
        if in_a_feed {
            outputs.extend(crate::outputs::feeds::all(&site, &self.bodies));
        }
        match assets::bundle_files(&root, &site) {
            Ok(files) => outputs.extend(files.into_iter().filter(|o| {
                places
                    .iter()
                    .any(|&i| o.path.starts_with(&site.articles[i].path))
            })),
            Err(d) => return Some(Err(vec![d])),
        }
        self.site = site;
        let mut changed = Vec::new();
        for o in outputs {
            if self.files.get(&o.path).is_none_or(|old| **old != *o.bytes) {
                changed.push(o.path.clone());
                self.files.insert(o.path, o.bytes.into());
            }
        }
        changed.sort();
        Some(Ok(Update {
            changed,
            removed: Vec::new(),
            rendered: jobs.len(),
        }))
    }

    fn render(&self, jobs: &[Job]) -> Result<Vec<Output>, Vec<Diagnostic>> {
        self.renderer
            .render_jobs(&self.site, &self.values, jobs)
            .map_err(finish)
    }
}

/// Feeds, sitemaps, theme files and bundle photos.
fn other_outputs(
    root: &Path,
    theme: &Theme,
    site: &Site,
    bodies: &[RenderedBody],
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut out = crate::outputs::all(site, bodies);
    out.extend(
        theme
            .statics
            .iter()
            .map(|(p, b)| Output::new(p.clone(), b.clone())),
    );
    out.extend(assets::bundle_files(root, site).map_err(|d| vec![d])?);
    Ok(out)
}

/// The output file a job writes.
fn output_path(site: &Site, job: Job) -> String {
    match job {
        Job::NotFound => "404.html".into(),
        _ => format!("{}index.html", page_path(site, job)),
    }
}

/// Every page's dependencies, and for every article the pages that show it.
fn dependencies(site: &Site, jobs: &[Job]) -> (HashMap<String, Deps>, HashMap<String, Vec<Job>>) {
    use rayon::prelude::*;
    let per_job: Vec<(String, Deps)> = jobs
        .par_iter()
        .map(|&j| (output_path(site, j), deps_of(site, j)))
        .collect();
    let mut showing: HashMap<String, Vec<Job>> = HashMap::with_capacity(site.articles.len());
    for (&job, (_, d)) in jobs.iter().zip(&per_job) {
        for url in &d.articles {
            showing.entry(url.clone()).or_default().push(job);
        }
    }
    (per_job.into_iter().collect(), showing)
}

/// What decides where an article appears and in which order; while it holds for every
/// changed article, the page plan and every page's list of articles stay the same.
fn structure(a: &Article) -> impl PartialEq + '_ {
    let extra = |key: &str| a.extra.get(key).map(ToString::to_string);
    (
        (
            &a.path,
            a.date.timestamp(),
            a.modified().timestamp(),
            &a.section,
            &a.tags,
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

/// The articles a page shows and the counts it prints; the page is re-rendered when they change.
fn deps_of(site: &Site, job: Job) -> Deps {
    let per = site.config.paginate;
    let urls = |ids: &[usize]| {
        ids.iter()
            .map(|&i| site.articles[i].path.clone())
            .collect::<Vec<_>>()
    };
    let page_slice = |ids: &[usize], page: usize| {
        let start = ((page - 1) * per).min(ids.len());
        (
            urls(&ids[start..(start + per).min(ids.len())]),
            vec![ids.len()],
        )
    };
    let (articles, counts) = match job {
        Job::Home => {
            let mut ids: Vec<usize> = (0..site.articles.len().min(10)).collect();
            ids.extend(
                site.articles
                    .iter()
                    .position(|a| a.extra.get("lead").is_some()),
            );
            for s in &site.sections {
                ids.extend(s.articles.iter().take(5));
            }
            (
                urls(&ids),
                site.editions
                    .iter()
                    .take(7)
                    .map(|e| e.articles.len())
                    .collect(),
            )
        }
        Job::Article(i) => {
            let s = &site.sections[site.section_of(&site.articles[i])].articles;
            let pos = s.iter().position(|&x| x == i).unwrap_or(0);
            let mut ids = vec![i];
            ids.extend(s.get(pos + 1));
            ids.extend(pos.checked_sub(1).and_then(|p| s.get(p)));
            ids.extend(related(site, i, 4));
            (urls(&ids), Vec::new())
        }
        Job::Section { index, page } => page_slice(&site.sections[index].articles, page),
        Job::Person { index, page } => page_slice(&site.people[index].articles, page),
        Job::Tag { index, page } => page_slice(&site.tags[index].articles, page),
        Job::Edition(i) => (urls(&site.editions[i].articles), Vec::new()),
        Job::ArchiveMonth(i) => (
            urls(&site.months[i].articles),
            site.months.iter().map(|m| m.articles.len()).collect(),
        ),
        Job::Archive => (
            Vec::new(),
            site.months.iter().map(|m| m.articles.len()).collect(),
        ),
        Job::People => (
            site.people.iter().map(|p| p.name.clone()).collect(),
            site.people.iter().map(|p| p.articles.len()).collect(),
        ),
        Job::Tags => (
            site.tags.iter().map(|t| t.name.clone()).collect(),
            site.tags.iter().map(|t| t.articles.len()).collect(),
        ),
        Job::Search | Job::NotFound => (Vec::new(), Vec::new()),
    };
    Deps { articles, counts }
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
            match p
                .ancestors()
                .skip(1)
                .take_while(|d| d.starts_with(CONTENT_DIR))
                .find(|d| root.join(d).join("index.md").is_file())
            {
                Some(bundle) => bundle.to_path_buf(),
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
        touched.push(if found.len() == 1 && found[0].path == bundle_index {
            bundle_index
        } else {
            target.clone()
        });
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
