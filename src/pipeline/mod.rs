//! The build, start to finish: the only place that knows the order of the stages.
//!
//! load → validate → model → markdown → render + outputs → write. Every stage collects all
//! of its problems; the build stops before `write` if there is any error, so a failed build
//! leaves the previous output exactly as it was.

mod assets;
pub mod check;
pub mod fingerprint;
pub mod history;
pub mod incremental;
mod output_dir;
pub mod page_record;
pub(crate) mod references;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ZonedDateTime as Zoned};
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::markdown::{self, BodyInput, LinkTargets, RenderedBody, Sanitizer};
use crate::model::{self, Selection, Site};
use crate::outputs::search::{self, PartStore, SearchIndexer, SearchStats};
use crate::render::{self, Renderer, SiteValues, Theme};
use crate::validate::{left_out, parse_date, Article};
use crate::write::{DiskSink, MemorySink, Output, OutputFolder, Sink, WriteStats};
pub use output_dir::check_output_dir;
use page_record::{PageRecord, Prints};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// The moment embargoes are judged against; the clock when `None`.
    pub now: Option<Zoned>,
    /// Cache-busting hashes on asset URLs. Off in `serve`: the preview is never cached,
    /// and without them a stylesheet edit leaves every page's bytes alone, so open tabs
    /// can swap the stylesheet instead of reloading.
    pub asset_hashes: bool,
    /// A progress bar on stderr for large builds (shown only when stderr is a terminal).
    pub progress: bool,
    /// Leave the search index out even when site.yaml asks for it (`check` writes nothing,
    /// so indexing would be wasted work).
    pub skip_search: bool,
    /// Go on past errors in article bodies, so that `check` reports every problem in one
    /// run; the result then carries errors and must never be published.
    pub report_all: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            asset_hashes: true,
            progress: false,
            skip_search: false,
            report_all: false,
        }
    }
}

/// Time spent in each stage, for `--timings`.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.0.push((stage, now - *since));
        *since = now;
    }
}

/// A site built in memory, with everything needed to write it or to update it.
pub struct Built {
    pub site: Site,
    pub bodies: Vec<RenderedBody>,
    pub pages: usize,
    /// Files produced: pages, feeds, sitemaps, theme files, photos, the search index.
    pub files: usize,
    /// The search index's figures, when search is on.
    pub search: Option<SearchStats>,
    pub timings: Timings,
    /// Warnings found on the way (the build succeeded).
    pub warnings: Vec<Diagnostic>,
    /// What the pages were made from and what each showed, for the next build.
    pub record: PageRecord,
    /// Pages rendered; the others were taken from the live site.
    pub rendered: usize,
}

/// Reads `site.yaml`, applying the command line's overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    Ok(config)
}

/// Loads the site's theme and compiles its templates.
pub fn load_theme(
    opts: &BuildOptions,
    config: &Config,
) -> Result<(Theme, Renderer), Vec<Diagnostic>> {
    let root = &opts.root;
    let theme = render::theme::load(root, &config.theme, config.theme_position)?;
    let renderer = Renderer::new(&theme, &config.base_url, opts.asset_hashes, &config.strings)?;
    Ok((theme, renderer))
}

/// Loads and validates every article, with every problem found.
pub fn load_articles(
    root: &Path,
    config: &Config,
    selection: &Selection,
) -> (Vec<crate::validate::Article>, Vec<Diagnostic>) {
    // A Chinese site's names and tags need jieba's dictionary: let it load while files are
    // read. Another site loads it only if a Han name or tag turns up.
    if config.strings.language() != crate::i18n::Language::En {
        crate::text::pinyin::warm_up();
    }
    let (loaded, mut diags) = crate::load::load_all(root);
    let check = |l| validate_for(l, config, selection);
    let (articles, more) = crate::validate::validate_all(loaded, check);
    diags.extend(more);
    for a in &articles {
        diags.extend(cover_problems(a, selection));
    }
    (articles, diags)
}

/// One file validated for this build. The problems of a story this build leaves out
/// anyway (a draft, an embargoed story) come back as warnings: news must not wait for it.
pub fn validate_for(
    loaded: crate::load::Loaded,
    config: &Config,
    selection: &Selection,
) -> Result<Article, Vec<Diagnostic>> {
    // Only a file with problems needs to know whether it is held back.
    let (draft, date) = (loaded.raw.draft == Some(true), loaded.raw.date.clone());
    crate::validate::validate(loaded, config).map_err(|d| {
        let dated = date.and_then(|d| parse_date(&d.0, &config.timezone).ok());
        if held_back(selection, draft, dated.map(|z| z.timestamp())) {
            left_out(d)
        } else {
            d
        }
    })
}

/// A cover photo missing from the article's folder: an error, or a warning for a story
/// this build leaves out.
pub fn cover_problems(a: &Article, selection: &Selection) -> Vec<Diagnostic> {
    let covers = assets::check_cover_images(std::slice::from_ref(a));
    if held_back(selection, a.draft, Some(a.date.timestamp())) {
        left_out(covers)
    } else {
        covers
    }
}

/// Whether this build leaves a story out anyway: a draft, or an embargoed story.
fn held_back(selection: &Selection, draft: bool, date: Option<Timestamp>) -> bool {
    (draft && !selection.drafts)
        || (!selection.future && date.is_some_and(|t| t > selection.now.timestamp()))
}

/// Which articles this build publishes, judged at the build's "now".
pub fn selection(opts: &BuildOptions, config: &Config) -> Selection {
    let now = opts
        .now
        .clone()
        .unwrap_or_else(|| Zoned::now().with_time_zone(config.timezone.clone()));
    Selection {
        drafts: opts.drafts,
        future: opts.future,
        now,
    }
}

/// Runs every stage, handing each finished file to `sink`; returns all diagnostics on
/// failure, sorted (what the sink received must then be thrown away). Pages that
/// `previous` (the record of the sink's live site) shows unchanged are kept, not rendered.
pub fn build_into(
    opts: &BuildOptions,
    sink: &dyn Sink,
    previous: Option<PageRecord>,
) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let Loaded {
        mut site,
        theme,
        space,
        selection,
        mut diags,
    } = load_site(opts, &mut timings, &mut t)?;

    let (mut bodies, more) = render_all_bodies(&opts.root, &mut site);
    diags.extend(more);
    if let Some(space) = &space {
        let exists = |p: &str| space.contains(p);
        let all = site.articles.iter().map(|a| &**a).zip(&bodies);
        diags.extend(references::broken(&opts.root, &site, all, &exists));
    }
    timings.lap("markdown", &mut t);
    if diags.iter().any(Diagnostic::is_error) && !opts.report_all {
        return Err(finish(diags));
    }
    let Some((theme, renderer)) = theme else {
        return Err(finish(diags));
    };

    // Indexed from the articles while the pages render (the records share the bodies).
    let indexer = (site.config.search && !opts.skip_search).then(|| {
        let articles = site
            .articles
            .iter()
            .map(|a| &**a)
            .zip(bodies.iter().map(|b| &b.html));
        let parts = search::parts(&site.config, articles);
        SearchIndexer::start(parts, PartStore::beside(&opts.root))
    });
    let prints = Prints::of(opts, &theme, &site, &bodies, &selection);
    // The HTML moves into the template values; the bodies keep it only for feed entries.
    let in_feeds = crate::outputs::feeds::carried(&site);
    let values = SiteValues::build_taking(&site, &mut bodies, &selection.now, |i| {
        in_feeds.contains(&i)
    });
    let jobs = render::plan(&site);
    let to_render = keep_unchanged(&site, &jobs, previous.as_ref(), &prints, sink);
    let shown = render_pages(opts, &site, &values, &renderer, &to_render, sink)?;
    let record = PageRecord::after(previous, prints, &jobs, shown);
    drop(values);
    timings.lap("render", &mut t);

    let put = |o: Output| sink.put(o).map_err(|d| finish(vec![d]));
    let others = other_outputs(&opts.root, &theme, &site, &bodies).map_err(finish)?;
    let mut files = jobs.len() + others.len();
    others.into_iter().try_for_each(put)?;
    timings.lap("outputs", &mut t);

    let search = match indexer {
        Some(indexer) => {
            let (outputs, stats) = indexer.finish().map_err(|d| finish(vec![d]))?;
            files += outputs.len();
            // Tens of thousands of files at 10,000 articles, most checked and linked
            // unchanged: file-system work, 0.36 s on one thread and 0.2 s on two.
            outputs.into_par_iter().try_for_each(put)?;
            timings.lap("search", &mut t);
            Some(stats)
        }
        None => None,
    };

    Ok(Built {
        site,
        bodies,
        pages: jobs.len(),
        files,
        search,
        timings,
        warnings: finish(diags),
        record,
        rendered: to_render.len(),
    })
}

/// Hands `sink` the pages of the live site that `previous` shows unchanged; returns the
/// jobs left to render.
fn keep_unchanged(
    site: &Site,
    jobs: &[render::Job],
    previous: Option<&PageRecord>,
    prints: &Prints,
    sink: &dyn Sink,
) -> Vec<render::Job> {
    let reusable = PageRecord::reusable(previous, prints, jobs);
    jobs.par_iter()
        .zip(reusable)
        .filter(|(&job, reusable)| {
            !(*reusable && sink.keep(&crate::url_space::job_file(site, job)))
        })
        .map(|(&job, _)| job)
        .collect()
}

/// Settings, theme, articles and the site model, with the URL space checked.
struct Loaded {
    site: Site,
    /// `None` when the theme has errors (they are in `diags`).
    theme: Option<(Theme, Renderer)>,
    /// Every path of the site; `None` without a theme, whose files are part of it.
    space: Option<crate::url_space::UrlSpace>,
    /// One "now" for the whole build: embargoes and the "scheduled" marks must agree.
    selection: Selection,
    /// Problems so far; errors among them stop the build after the bodies are checked.
    diags: Vec<Diagnostic>,
}

/// The theme is loaded even when content has errors, so one run reports both.
fn load_site(
    opts: &BuildOptions,
    timings: &mut Timings,
    t: &mut Instant,
) -> Result<Loaded, Vec<Diagnostic>> {
    let config = load_config(opts).map_err(finish)?;
    let (theme, mut diags) = match load_theme(opts, &config) {
        Ok(t) => (Some(t), Vec::new()),
        Err(d) => (None, d),
    };
    let selection = selection(opts, &config);
    let (articles, more) = load_articles(&opts.root, &config, &selection);
    diags.extend(more);
    timings.lap("load+validate", t);

    let articles = articles.into_iter().map(Arc::new).collect();
    let site = match model::build(articles, config, &selection) {
        Ok(site) => site,
        Err(d) => {
            diags.extend(d);
            return Err(finish(diags));
        }
    };
    let mut site = site;
    let space = theme.as_ref().map(|(theme, _)| {
        let (mut space, collisions) = crate::url_space::claim(&site, &theme.statics);
        diags.extend(collisions);
        site.redirects = crate::url_space::redirects(&site, &history::read(&opts.root), &mut space);
        space
    });
    timings.lap("model", t);
    Ok(Loaded {
        site,
        theme,
        space,
        selection,
        diags,
    })
}

/// Every article body, in parallel. Each Markdown source is dropped as soon as its body is
/// rendered: a big archive should not hold every article twice.
fn render_all_bodies(root: &Path, site: &mut Site) -> (Vec<RenderedBody>, Vec<Diagnostic>) {
    let sanitizer = Sanitizer::for_config(&site.config);
    let sources: Vec<String> = site
        .articles
        .iter_mut()
        .map(|a| {
            Arc::get_mut(a)
                .map(|a| std::mem::take(&mut a.body))
                .unwrap_or_default()
        })
        .collect();
    let site = &*site;
    let (bodies, diags): (Vec<RenderedBody>, Vec<Vec<Diagnostic>>) = sources
        .into_par_iter()
        .enumerate()
        .map(|(i, source)| render_body(root, site, &sanitizer, &site.articles[i], &source))
        .unzip();
    (bodies, diags.concat())
}

/// Renders the pages of `jobs` into `sink`; returns what each showed.
fn render_pages(
    opts: &BuildOptions,
    site: &Site,
    values: &SiteValues,
    renderer: &Renderer,
    jobs: &[render::Job],
    sink: &dyn Sink,
) -> Result<Vec<render::Shown>, Vec<Diagnostic>> {
    let progress = progress_bar(opts, jobs.len());
    let rendered = renderer.render_into(site, values, jobs, sink, &progress);
    rendered.map_err(finish)
}

/// Everything but the pages and the search index: feeds, sitemaps, theme files and
/// bundle files. The one list, for the build and the preview alike.
pub fn other_outputs(
    root: &Path,
    theme: &Theme,
    site: &Site,
    bodies: &[RenderedBody],
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut out = crate::outputs::all(site, bodies);
    let statics = theme.statics.iter();
    out.extend(statics.map(|(p, f)| Output::new(p.clone(), f.bytes.clone())));
    out.extend(assets::bundle_files(root, site).map_err(|d| vec![d])?);
    Ok(out)
}

/// Runs every stage and keeps the files in memory (for `check` and tests).
pub fn build_in_memory(opts: &BuildOptions) -> Result<(Built, Vec<Output>), Vec<Diagnostic>> {
    let sink = MemorySink::default();
    let built = build_into(opts, &sink, None)?;
    Ok((built, sink.into_outputs()))
}

/// Pages per build below which a progress bar would only flicker.
const PROGRESS_MIN_PAGES: usize = 2_000;

/// Whether a build of `pages` pages shows a progress bar (when its stderr is a terminal).
fn shows_progress(opts: &BuildOptions, pages: usize) -> bool {
    opts.progress && pages >= PROGRESS_MIN_PAGES
}

fn progress_bar(opts: &BuildOptions, pages: usize) -> indicatif::ProgressBar {
    if !shows_progress(opts, pages) {
        return indicatif::ProgressBar::hidden();
    }
    // Draws only when stderr is a terminal; piped output stays clean.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(pages as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} pages")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("rendering");
    bar
}

/// Renders the bodies of the articles at `which`, in parallel, in that order.
pub fn render_bodies_at(
    root: &Path,
    site: &Site,
    which: &[usize],
) -> (Vec<RenderedBody>, Vec<Diagnostic>) {
    let sanitizer = Sanitizer::for_config(&site.config);
    let (bodies, diags): (Vec<RenderedBody>, Vec<Vec<Diagnostic>>) = which
        .par_iter()
        .map(|&i| {
            let a = &site.articles[i];
            render_body(root, site, &sanitizer, a, &a.body)
        })
        .unzip();
    (bodies, diags.concat())
}

/// Renders one article's body against the site's current URLs.
pub fn render_body(
    root: &Path,
    site: &Site,
    sanitizer: &Sanitizer,
    a: &Article,
    body: &str,
) -> (RenderedBody, Vec<Diagnostic>) {
    let (images, bad_photos) = assets::article_photos(root, a);
    let input = BodyInput {
        source: &a.source,
        body,
        body_offset: a.body_offset,
        page_path: &a.path,
        dateline: &a.dateline,
        dateline_separator: site.config.strings.get("dateline.separator"),
        summary: a.summary.as_deref(),
        east_asian_line_breaks: site.config.east_asian_line_breaks,
    };
    let (body, mut diags) = markdown::render(
        &input,
        &LinkTargets {
            pages: &site.page_of_source,
            page_paths: &site.page_paths,
            base_path: &site.base_path,
            images: &images,
        },
        sanitizer,
    );
    diags.extend(assets::photo_errors(a, &bad_photos, &body.refs));
    (body, diags)
}

pub fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diags);
    diags.dedup();
    diags
}

/// The result of `gazette build`.
pub struct BuildReport {
    /// `None` when nothing had changed since the last build into the same folder.
    pub built: Option<Built>,
    pub stats: WriteStats,
    pub elapsed: Duration,
}

/// Builds and writes the site into `output`; on any error the output is left untouched.
/// When nothing the build reads changed since the last build there, it does nothing.
pub fn build(opts: &BuildOptions, output: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    check_output_dir(&opts.root, output).map_err(|d| vec![d])?;
    // Held until the new site is in place; also clears what killed builds left.
    let folder = OutputFolder::open(output).map_err(|d| vec![d])?;
    let fingerprint = fingerprint::fingerprint(opts);
    let now = opts
        .now
        .as_ref()
        .map_or_else(Timestamp::now, |z| z.timestamp());
    if fingerprint::up_to_date(&folder, &fingerprint, now) {
        return Ok(BuildReport {
            built: None,
            stats: WriteStats::default(),
            elapsed: start.elapsed(),
        });
    }
    let previous = PageRecord::read(&folder.pages());
    let sink = DiskSink::begin(folder).map_err(|d| vec![d])?;
    // On error the sink is dropped uncommitted, which deletes its staging folder.
    let mut built = build_into(opts, &sink, previous)?;
    // Only `report_all` lets errors through build_into; such a site is never published.
    if built.warnings.iter().any(Diagnostic::is_error) {
        return Err(built.warnings);
    }
    let mut t = Instant::now();
    let stamp = fingerprint::Stamp {
        fingerprint,
        files: built.files,
        valid_until: next_change(&built.site, now),
    };
    let stats = sink
        .commit(&stamp.to_text(), &built.record.to_bytes())
        .map_err(|d| vec![d])?;
    // Only what readers were given: a build with drafts or embargoed stories is a preview.
    if !opts.drafts && !opts.future {
        history::record(&opts.root, &built.site).map_err(|d| vec![d])?;
    }
    built.timings.lap("write", &mut t);
    Ok(BuildReport {
        built: Some(built),
        stats,
        elapsed: start.elapsed(),
    })
}

/// The next moment the output would change by itself: an embargo lifting, or a scheduled
/// story (included with --future) losing its mark.
pub fn next_change(site: &Site, now: Timestamp) -> Option<Timestamp> {
    site.articles
        .iter()
        .map(|a| &a.date)
        .chain(&site.embargoed)
        .map(|z| z.timestamp())
        .filter(|t| *t > now)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_big_builds_that_ask_for_it_show_progress() {
        let asked = BuildOptions {
            progress: true,
            ..BuildOptions::new(".")
        };
        assert!(shows_progress(&asked, PROGRESS_MIN_PAGES));
        assert!(!shows_progress(&asked, PROGRESS_MIN_PAGES - 1));
        assert!(!shows_progress(&BuildOptions::new("."), 100_000));
    }
}
