//! Search: a Pagefind index of every published article, built in-process while pages render.
//!
//! Article pages go to Pagefind as they come out of the renderer (through `IndexingSink`),
//! on a thread of its own, so indexing overlaps rendering. The theme marks what is indexed
//! (`data-pagefind-body` on the story, `data-pagefind-ignore` on its furniture) and adds
//! section and reporter filters and a date sort. Pagefind's "extended" build segments
//! Chinese, so `加装电梯` finds the story without spaces in the query.

use std::collections::HashSet;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diag::Diagnostic;
use crate::write::{Output, Sink};

/// Where the index goes in the site.
pub const SEARCH_DIR: &str = "pagefind";

/// Pages queued for indexing at most; rendering waits beyond that, so memory stays flat.
const QUEUE: usize = 64;

/// Figures for the build log.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

type Finished = Result<(Vec<Output>, usize), String>;

/// A page for the index: its URL from the site root and its HTML.
type Page = (String, Vec<u8>);

/// A Pagefind index being fed from the render threads.
pub struct SearchIndexer {
    tx: Mutex<Option<SyncSender<Page>>>,
    worker: Option<JoinHandle<Finished>>,
    started: Instant,
}

impl SearchIndexer {
    pub fn start() -> SearchIndexer {
        let (tx, rx) = sync_channel::<Page>(QUEUE);
        let worker = std::thread::spawn(move || -> Finished {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let config = PagefindServiceConfig::builder()
                .keep_index_url(false)
                .build();
            let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
            let mut pages = 0;
            for (url, html) in rx {
                let html = String::from_utf8(html).map_err(|e| e.to_string())?;
                runtime
                    .block_on(index.add_html_file(None, Some(url), html))
                    .map_err(|e| e.to_string())?;
                pages += 1;
            }
            let files = runtime
                .block_on(index.get_files())
                .map_err(|e| e.to_string())?;
            let outputs = files
                .into_iter()
                .map(|f| {
                    let name = f.filename.to_string_lossy().replace('\\', "/");
                    let name = name.trim_start_matches("./").trim_start_matches('/');
                    let name = name.strip_prefix(&format!("{SEARCH_DIR}/")).unwrap_or(name);
                    Output::new(format!("{SEARCH_DIR}/{name}"), f.contents)
                })
                .collect();
            Ok((outputs, pages))
        });
        SearchIndexer {
            tx: Mutex::new(Some(tx)),
            worker: Some(worker),
            started: Instant::now(),
        }
    }

    /// Queues one page; `url` is its path from the site root, starting with `/`.
    pub fn add(&self, url: String, html: Vec<u8>) {
        let tx = self.tx.lock().ok().and_then(|t| t.clone());
        if let Some(tx) = tx {
            let _ = tx.send((url, html)); // a worker that died reports its error in `finish`
        }
    }

    /// Waits for the index and returns its files.
    pub fn finish(mut self) -> Result<(Vec<Output>, SearchStats), Diagnostic> {
        if let Ok(mut t) = self.tx.lock() {
            t.take(); // closing the channel ends the worker's loop
        }
        let failed = |why: String| {
            Diagnostic::error("search", format!("building the search index failed: {why}"))
                .with_hint(
                "set `search: false` in site.yaml to build without search, and report this problem",
            )
        };
        let worker = self
            .worker
            .take()
            .ok_or_else(|| failed("no worker".into()))?;
        let (outputs, pages) = worker
            .join()
            .map_err(|_| failed("the indexer stopped unexpectedly".into()))?
            .map_err(failed)?;
        let stats = SearchStats {
            pages,
            files: outputs.len(),
            bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
            elapsed: self.started.elapsed(),
        };
        Ok((outputs, stats))
    }
}

/// Passes every output on, and article pages also to the search index.
pub struct IndexingSink<'a> {
    pub inner: &'a dyn Sink,
    pub indexer: &'a SearchIndexer,
    /// Output paths of the pages to index (`2022/08/02/slug/index.html`).
    pub pages: HashSet<String>,
}

impl Sink for IndexingSink<'_> {
    fn put(&self, output: Output) -> Result<(), Diagnostic> {
        if self.pages.contains(&output.path) {
            // Stored from the site root; the search page resolves it against its own
            // location, so the site keeps working under any path on any host.
            let url = format!("/{}", output.path.trim_end_matches("index.html"));
            self.indexer.add(url, output.bytes.clone());
        }
        self.inner.put(output)
    }
}
