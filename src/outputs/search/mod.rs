//! Search: a Pagefind index of every published article, in parts.
//!
//! Each article becomes a small document of its own text (`record`), the articles are
//! grouped by date into parts (`parts`), and the parts are indexed on every core at once,
//! each by its own Pagefind index, so memory is bounded by the parts in flight, not the
//! archive. A part whose stories are unchanged is taken from the store (`store`) instead
//! of being indexed again. In the browser, the search page loads the newest part and
//! merges others into it (Pagefind's multi-index search): a first query searches the
//! recent parts only, so what a reader downloads does not grow with the archive, and the
//! older parts are merged when the reader asks for them. `pagefind/parts.json` lists both.
//! Pagefind's "extended" build segments Chinese, so `加装电梯` finds the story without
//! spaces in the query.

mod parts;
mod record;
mod store;

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use xxhash_rust::xxh3::Xxh3;

pub use parts::PART_SIZE;
pub use record::Record;
pub use store::PartStore;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::url_space::SEARCH_INDEX;
use crate::validate::Article;
use crate::write::Output;

/// Figures for the build log.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub pages: usize,
    pub parts: usize,
    /// Parts indexed in this run; the others came from the store.
    pub indexed: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

/// The articles of one part, in URL order (Pagefind numbers pages in the order it is
/// given them, so a fixed order keeps the part byte-identical from one build to the next).
pub struct Part {
    pub name: String,
    pub language: String,
    pub records: Vec<Record>,
    /// The date of its newest story, which places the part among the others.
    newest: Option<Date>,
}

impl Part {
    fn empty(name: String, config: &Config) -> Part {
        Part {
            name,
            language: config.language.clone(),
            records: Vec::new(),
            newest: None,
        }
    }

    /// Everything the part's index is made from: its records, the language, and the
    /// versions of Gazette and Pagefind that made it.
    fn fingerprint(&self) -> u128 {
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(PAGEFIND_VERSION.as_bytes());
        h.update(self.language.as_bytes());
        let file_size = std::env::var(INDEX_FILE_SIZE).unwrap_or_default();
        h.update(file_size.as_bytes());
        for r in &self.records {
            r.hash_into(&mut h);
        }
        h.digest128()
    }
}

/// Pagefind's setting for the size of its index files, read when an index is created
/// (marked unstable; pinned with the dependency).
const INDEX_FILE_SIZE: &str = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE";

/// Pagefind cuts each part's word index into files of about this many word positions
/// (its default is 20,000). A query fetches one such file per word from every part, so
/// smaller files keep the first query light when there are many parts: at 10,000
/// articles in 20 parts, 0.85 MB instead of 1.86 MB for 加装电梯. Call before any thread
/// starts (it sets an environment variable); a value already in the environment wins.
pub fn set_index_file_size() {
    if std::env::var_os(INDEX_FILE_SIZE).is_none() {
        std::env::set_var(INDEX_FILE_SIZE, "4000");
    }
}

/// Bumped with the pagefind dependency, so stored parts of an older index are not reused.
const PAGEFIND_VERSION: &str = "pagefind 1.6";

/// The published articles, each with its body's HTML, as index parts, newest part first.
pub fn parts<'a>(
    config: &Config,
    articles: impl Iterator<Item = (&'a Article, &'a Arc<str>)>,
) -> Vec<Part> {
    let articles: Vec<(&Article, &Arc<str>)> = articles.collect();
    let dates: Vec<Date> = articles.iter().map(|(a, _)| a.date.date()).collect();
    let names = parts::part_names(&dates);
    let mut grouped: std::collections::BTreeMap<String, Part> = Default::default();
    for (((article, body), name), date) in articles.into_iter().zip(names).zip(dates) {
        let part = (grouped.entry(name.clone())).or_insert_with(|| Part::empty(name, config));
        part.records.push(Record::new(config, article, body));
        part.newest = part.newest.max(Some(date));
    }
    if grouped.is_empty() {
        // Nothing published yet: an empty index still brings Pagefind's script, so the
        // search page answers "nothing found" rather than "search is unavailable".
        grouped.insert("empty".into(), Part::empty("empty".into(), config));
    }
    let mut parts: Vec<Part> = grouped.into_values().collect();
    for part in &mut parts {
        part.records.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    }
    // Names alone do not sort by date: `2024-h2` is newer than `2024-q1`.
    parts.sort_by(|a, b| (b.newest, &b.name).cmp(&(a.newest, &a.name)));
    parts
}

/// A part's files, from the store or freshly indexed; paths inside its bundle.
type PartFiles = Result<(Vec<Output>, bool), String>;

/// The search index being made on threads of its own while the pages render.
pub struct SearchIndexer {
    workers: Vec<JoinHandle<Vec<(usize, PartFiles)>>>,
    store: Arc<PartStore>,
    names: Vec<String>,
    /// Stories in each part, in the order of `names`.
    sizes: Vec<usize>,
    started: Instant,
}

impl SearchIndexer {
    pub fn start(parts: Vec<Part>, store: PartStore) -> SearchIndexer {
        let names = parts.iter().map(|p| p.name.clone()).collect();
        let sizes = parts.iter().map(|p| p.records.len()).collect();
        // Largest parts first, so the last part to finish is a small one.
        let mut queue: Vec<(usize, Part)> = parts.into_iter().enumerate().collect();
        queue.sort_by_key(|(_, p)| p.records.len());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = threads.min(queue.len()).max(1);
        let queue = Arc::new(Mutex::new(queue));
        let store = Arc::new(store);
        let workers = (0..threads)
            .map(|_| {
                let queue = Arc::clone(&queue);
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    let mut done = Vec::new();
                    // Pagefind's own parallel steps (rayon) run in this thread's pool:
                    // in the global one they waited behind every page the build renders.
                    let own = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some((i, part)) = next else { break };
                        let files = match &own {
                            Ok(pool) => pool.install(|| part_files(&part, &store)),
                            Err(_) => part_files(&part, &store),
                        };
                        done.push((i, files));
                    }
                    done
                })
            })
            .collect();
        SearchIndexer {
            workers,
            store,
            names,
            sizes,
            started: Instant::now(),
        }
    }

    /// Waits for every part and returns the index's files, under `pagefind/`.
    pub fn finish(self) -> Result<(Vec<Output>, SearchStats), Diagnostic> {
        let failed = |why: String| {
            Diagnostic::error("search", msg!("search.failed", why = why))
                .with_hint(msg!("search.failed.hint"))
        };
        let mut parts: Vec<Option<(Vec<Output>, bool)>> = vec![None; self.names.len()];
        for worker in self.workers {
            let done = worker
                .join()
                .map_err(|_| failed("the indexer stopped unexpectedly".into()))?;
            for (i, files) in done {
                parts[i] = Some(files.map_err(&failed)?);
            }
        }
        let parts: Vec<(Vec<Output>, bool)> = parts.into_iter().flatten().collect();
        self.store.keep_only(&self.names);
        let indexed = parts.iter().filter(|(_, fresh)| *fresh).count();
        let files = parts.into_iter().map(|(files, _)| files);
        let outputs = assemble(&self.names, &self.sizes, files);
        let stats = SearchStats {
            pages: self.sizes.iter().sum(),
            parts: self.names.len(),
            indexed,
            files: outputs.len(),
            bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
            elapsed: self.started.elapsed(),
        };
        Ok((outputs, stats))
    }
}

/// The part's files: stored ones when its fingerprint matches, else indexed now and stored.
fn part_files(part: &Part, store: &PartStore) -> PartFiles {
    let fingerprint = part.fingerprint();
    if let Some(files) = store.get(&part.name, fingerprint) {
        return Ok((files, false));
    }
    let files = index_part(part)?;
    store.put(&part.name, fingerprint, &files);
    Ok((files, true))
}

/// Indexes one part with a Pagefind index of its own, dropped (memory and all) at the end.
fn index_part(part: &Part) -> Result<Vec<Output>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let config = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .force_language(part.language.to_lowercase())
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    for record in &part.records {
        runtime
            .block_on(index.add_html_file(None, Some(record.url.clone()), record.document()))
            .map_err(|e| e.to_string())?;
    }
    let files = runtime
        .block_on(index.get_files())
        .map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            let name = name.trim_start_matches("./").trim_start_matches('/');
            let name = name.strip_prefix(SEARCH_INDEX).unwrap_or(name);
            Output::new(name, f.contents)
        })
        .collect())
}

/// The published layout: the newest part is a whole Pagefind bundle in `pagefind/` (the
/// script, its WebAssembly and that part's index), every other part only its index in
/// `pagefind/parts/NAME/`, and `pagefind/parts.json` tells the search page which of those
/// a first query merges (`recent`) and which wait until the reader asks (`older`, with
/// how many stories they hold).
fn assemble(
    names: &[String],
    sizes: &[usize],
    parts: impl Iterator<Item = Vec<Output>>,
) -> Vec<Output> {
    let mut out = Vec::new();
    for (i, files) in parts.enumerate() {
        for f in files {
            if i == 0 {
                out.push(Output::new(format!("{SEARCH_INDEX}{}", f.path), f.bytes));
            } else if is_index_file(&f.path) {
                let path = format!("{SEARCH_INDEX}parts/{}/{}", names[i], f.path);
                out.push(Output::new(path, f.bytes));
            }
        }
    }
    let recent = recent_parts(sizes, recent_stories());
    let list = serde_json::json!({
        "recent": names[1..recent],
        "older": names[recent..],
        "older_stories": sizes[recent..].iter().sum::<usize>(),
    });
    out.push(Output::new(
        format!("{SEARCH_INDEX}parts.json"),
        list.to_string(),
    ));
    out
}

/// Stories a first query searches at least (whole parts, newest first). What a query
/// downloads grows with the stories searched (Pagefind keeps a list entry per page in
/// each part's metadata, and each part adds its word-index files). Measured with the
/// synthetic bulletin, where 1,500 stories are nine parts: 330–420 KB and 150–250 ms
/// from query to results in Chromium, where all 10,000 cost 720–770 KB and 0.5 s.
const RECENT_STORIES: usize = 1_500;

/// Overrides `RECENT_STORIES`, so tests and measurements can make a small site's
/// archive "older" without writing thousands of stories.
const RECENT_STORIES_VAR: &str = "GAZETTE_SEARCH_RECENT";

fn recent_stories() -> usize {
    std::env::var(RECENT_STORIES_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RECENT_STORIES)
}

/// How many of the parts (sizes newest first) a first query searches: the newest ones
/// until they hold at least `stories`, and always the main one.
fn recent_parts(sizes: &[usize], stories: usize) -> usize {
    let mut held = 0;
    for (i, size) in sizes.iter().enumerate() {
        held += size;
        if held >= stories {
            return i + 1;
        }
    }
    sizes.len().max(1)
}

/// Whether a bundle file belongs to its part's index (rather than the shared script).
fn is_index_file(path: &str) -> bool {
    path == "pagefind-entry.json"
        || path.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|d| path.starts_with(d))
}

/// Characters in one unbroken run of Chinese text before the index copy gets a comma.
/// Pagefind's dictionary segmenter slows down sharply on long runs without punctuation;
/// real prose has a comma every dozen characters, so only pathological text is touched.
const MAX_RUN: usize = 200;

/// Text characters of one page that go into the index. Pagefind's indexing time grows
/// with the square of a page's length (one pasted 2-million-character page took minutes);
/// 100,000 characters is some forty newspaper articles' worth. The rest of such a page
/// is published but not searchable.
pub const MAX_INDEXED_CHARS: usize = 100_000;

/// The page as the index sees it: at most `MAX_INDEXED_CHARS` of text (tags are all
/// kept, so the structure Pagefind reads stays whole), and a comma in runs longer than
/// `MAX_RUN` wide characters. The published page is not changed.
pub fn index_copy(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_INDEXED_CHARS) + 16);
    let mut in_tag = false;
    let mut run = 0;
    let mut chars = 0;
    for c in text.chars() {
        if c == '<' {
            in_tag = true;
        }
        if in_tag {
            out.push(c);
            in_tag = c != '>';
            continue;
        }
        chars += 1;
        if chars > MAX_INDEXED_CHARS {
            continue;
        }
        if crate::text::cjk::is_wide(c) && c.is_alphanumeric() {
            run += 1;
            if run > MAX_RUN {
                out.push('，');
                run = 1;
            }
        } else {
            run = 0;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_query_searches_the_newest_parts_up_to_the_recent_stories() {
        assert_eq!(recent_parts(&[500, 600, 400, 700], 1000), 2);
        assert_eq!(recent_parts(&[500, 600, 400, 700], 1100), 2);
        assert_eq!(recent_parts(&[500, 600, 400, 700], 1101), 3);
        assert_eq!(recent_parts(&[500, 600], 5000), 2);
        assert_eq!(recent_parts(&[3000, 600], 2000), 1);
        assert_eq!(recent_parts(&[0], 2000), 1);
        assert_eq!(recent_parts(&[], 2000), 1);
    }

    #[test]
    fn only_long_runs_outside_tags_are_broken() {
        let normal = "<p title=\"很长\">社区居民说，电梯好。</p>";
        assert_eq!(index_copy(normal), normal);
        let long = format!("<p>{}</p>", "字".repeat(450));
        let broken = index_copy(&long);
        assert_eq!(broken.matches('，').count(), 2);
        assert_eq!(broken.chars().filter(|c| *c == '字').count(), 450);
    }

    #[test]
    fn text_past_the_limit_is_dropped_but_tags_stay() {
        let page = format!(
            "<html><body><p>{}</p><p>尾</p></body></html>",
            "a".repeat(MAX_INDEXED_CHARS + 10)
        );
        let copy = index_copy(&page);
        assert!(
            copy.ends_with("</p><p></p></body></html>"),
            "{}",
            &copy[copy.len() - 40..]
        );
        assert_eq!(copy.matches('a').count(), MAX_INDEXED_CHARS);
    }
}
