//! The build, start to finish: the only place that knows the order of the stages.
//!
//! load → validate → model → markdown → render + outputs → write. Every stage collects all
//! of its problems; the build stops before `write` if there is any error, so a failed build
//! leaves the previous output exactly as it was.

mod assets;
pub mod check;
pub mod fingerprint;
pub mod incremental;
mod output_dir;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{Timestamp, ZonedDateTime as Zoned};
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::markdown::{self, BodyInput, LinkTargets, RenderedBody};
use crate::model::{self, Selection, Site};
use crate::outputs::search::{IndexingSink, SearchIndexer, SearchStats};
use crate::render::{self, Renderer, SiteValues, Theme};
use crate::validate::Article;
use crate::write::{DiskSink, MemorySink, Output, Sink, WriteStats};
pub use output_dir::check_output_dir;

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
    let renderer = Renderer::new(&theme, &config.base_url, opts.asset_hashes)?;
    Ok((theme, renderer))
}

/// Loads and validates every article, with every problem found.
pub fn load_articles(
    root: &Path,
    config: &Config,
) -> (Vec<crate::validate::Article>, Vec<Diagnostic>) {
    // Names and tags need the pinyin dictionaries; let them load while files are read.
    crate::text::pinyin::warm_up();
    let (loaded, mut diags) = crate::load::load_all(root);
    let (articles, more) = crate::validate::validate_all(loaded, config);
    diags.extend(more);
    diags.extend(assets::check_cover_images(&articles));
    (articles, diags)
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
/// failure, sorted (what the sink received must then be thrown away).
pub fn build_into(opts: &BuildOptions, sink: &dyn Sink) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let root = &opts.root;

    let config = load_config(opts).map_err(finish)?;
    // The theme is checked even when content has errors, so one run reports both.
    let (theme, mut diags) = match load_theme(opts, &config) {
        Ok(t) => (Some(t), Vec::new()),
        Err(d) => (None, d),
    };
    let (articles, more) = load_articles(root, &config);
    diags.extend(more);
    timings.lap("load+validate", &mut t);

    let selection = selection(opts, &config);
    let articles = articles.into_iter().map(Arc::new).collect();
    let mut site = match model::build(articles, config, &selection) {
        Ok(site) => site,
        Err(d) => {
            diags.extend(d);
            return Err(finish(diags));
        }
    };
    timings.lap("model", &mut t);

    // Each Markdown source is dropped as soon as its body is rendered: a big archive
    // should not hold every article twice.
    let sources: Vec<String> = site
        .articles
        .iter_mut()
        .map(|a| {
            Arc::get_mut(a)
                .map(|a| std::mem::take(&mut a.body))
                .unwrap_or_default()
        })
        .collect();
    let results: Vec<(RenderedBody, Vec<Diagnostic>)> = sources
        .into_par_iter()
        .enumerate()
        .map(|(i, source)| render_body(root, &site, &site.articles[i], &source))
        .collect();
    let mut bodies = Vec::with_capacity(results.len());
    for (body, d) in results {
        bodies.push(body);
        diags.extend(d);
    }
    timings.lap("markdown", &mut t);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(finish(diags));
    }
    let Some((theme, renderer)) = theme else {
        return Err(finish(diags));
    };

    // The HTML moves into the template values; the bodies keep it only for feed entries.
    let in_feeds = crate::outputs::feeds::carried(&site);
    let values = SiteValues::build_taking(&site, &mut bodies, &selection.now, |i| {
        in_feeds.contains(&i)
    });
    let jobs = render::plan(&site);
    let indexer = (site.config.search && !opts.skip_search).then(SearchIndexer::start);
    let progress = progress_bar(opts, jobs.len());
    let rendered = match &indexer {
        Some(indexer) => {
            let pages = site
                .articles
                .iter()
                .map(|a| format!("{}index.html", a.path))
                .collect();
            let indexing = IndexingSink {
                inner: sink,
                indexer,
                pages,
            };
            renderer.render_into(&site, &values, &jobs, &indexing, &progress)
        }
        None => renderer.render_into(&site, &values, &jobs, sink, &progress),
    };
    rendered.map_err(finish)?;
    drop(values);
    timings.lap("render", &mut t);

    let mut files = jobs.len();
    let put = |o: Output| sink.put(o).map_err(|d| finish(vec![d]));
    for o in crate::outputs::all(&site, &bodies) {
        files += 1;
        put(o)?;
    }
    for (path, bytes) in &theme.statics {
        files += 1;
        put(Output::new(path.clone(), bytes.clone()))?;
    }
    for o in assets::bundle_files(root, &site).map_err(|d| finish(vec![d]))? {
        files += 1;
        put(o)?;
    }
    timings.lap("outputs", &mut t);

    let search = match indexer {
        Some(indexer) => {
            let (outputs, stats) = indexer.finish().map_err(|d| finish(vec![d]))?;
            for o in outputs {
                files += 1;
                put(o)?;
            }
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
    })
}

/// Runs every stage and keeps the files in memory (for `check` and tests).
pub fn build_in_memory(opts: &BuildOptions) -> Result<(Built, Vec<Output>), Vec<Diagnostic>> {
    let sink = MemorySink::default();
    let built = build_into(opts, &sink)?;
    Ok((built, sink.into_outputs()))
}

/// Pages per build below which a progress bar would only flicker.
const PROGRESS_MIN_PAGES: usize = 2_000;

fn progress_bar(opts: &BuildOptions, pages: usize) -> indicatif::ProgressBar {
    if !opts.progress || pages < PROGRESS_MIN_PAGES {
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

/// Renders every article body in parallel, measuring bundle photos on the way.
pub fn render_bodies(root: &Path, site: &Site) -> (Vec<RenderedBody>, Vec<Diagnostic>) {
    let all: Vec<usize> = (0..site.articles.len()).collect();
    render_bodies_at(root, site, &all)
}

/// Renders the bodies of the articles at `which`, in parallel, in that order.
pub fn render_bodies_at(
    root: &Path,
    site: &Site,
    which: &[usize],
) -> (Vec<RenderedBody>, Vec<Diagnostic>) {
    let results: Vec<(RenderedBody, Vec<Diagnostic>)> = which
        .par_iter()
        .map(|&i| render_body(root, site, &site.articles[i], &site.articles[i].body))
        .collect();
    let mut diags = Vec::new();
    let bodies = results
        .into_iter()
        .map(|(b, d)| {
            diags.extend(d);
            b
        })
        .collect();
    (bodies, diags)
}

/// Renders one article's body against the site's current URLs.
pub fn render_body(
    root: &Path,
    site: &Site,
    a: &Article,
    body: &str,
) -> (RenderedBody, Vec<Diagnostic>) {
    let images = assets::measure_images(root, a);
    let input = BodyInput {
        source: &a.source,
        body,
        body_offset: a.body_offset,
        page_path: &a.path,
        dateline: &a.dateline,
        summary: a.summary.as_deref(),
        east_asian_line_breaks: site.config.east_asian_line_breaks,
    };
    markdown::render(
        &input,
        &LinkTargets {
            pages: &site.page_of_source,
            images: &images,
        },
    )
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
    let fingerprint = fingerprint::fingerprint(opts);
    let now = opts
        .now
        .as_ref()
        .map_or_else(Timestamp::now, |z| z.timestamp());
    if fingerprint::up_to_date(output, &fingerprint, now) {
        return Ok(BuildReport {
            built: None,
            stats: WriteStats::default(),
            elapsed: start.elapsed(),
        });
    }
    let sink = DiskSink::begin(output).map_err(|d| vec![d])?;
    // On error the sink is dropped uncommitted, which deletes its staging folder.
    let mut built = build_into(opts, &sink)?;
    let mut t = Instant::now();
    let stamp = fingerprint::Stamp {
        fingerprint,
        files: built.files,
        valid_until: next_change(&built.site, now),
    };
    let stats = sink.commit(&stamp.to_text()).map_err(|d| vec![d])?;
    built.timings.lap("write", &mut t);
    Ok(BuildReport {
        built: Some(built),
        stats,
        elapsed: start.elapsed(),
    })
}

/// The next moment the output would change by itself: an embargo lifting, or a scheduled
/// story (included with --future) losing its mark.
fn next_change(site: &Site, now: Timestamp) -> Option<Timestamp> {
    site.articles
        .iter()
        .map(|a| &a.date)
        .chain(&site.embargoed)
        .map(|z| z.timestamp())
        .filter(|t| *t > now)
        .min()
}
