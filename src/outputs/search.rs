//! Search: a Pagefind index of every published article, built in-process while pages render.
//!
//! Article pages are collected from the renderer (through `IndexingSink`) and given to
//! Pagefind in URL order on a thread of its own, so the index is the same every build.
//! The theme marks what is indexed (`data-pagefind-body` on the story,
//! `data-pagefind-ignore` on its furniture) and adds section and reporter filters and a
//! date sort. Pagefind's "extended" build segments
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

/// Pages in flight between the render threads and the collecting thread.
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
            // Pages arrive in whatever order the render threads finish them; Pagefind numbers
            // pages in the order it is given them, so feeding them sorted keeps the index
            // byte-identical from one build to the next (and unchanged files unwritten).
            let mut queued: Vec<Page> = rx.into_iter().collect();
            queued.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut pages = 0;
            for (url, html) in queued {
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
            Diagnostic::error("search", msg!("search.failed", why = why))
                .with_hint(msg!("search.failed.hint"))
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
pub fn index_copy(html: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
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
    out.into_bytes()
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
            self.indexer.add(url, index_copy(&output.bytes));
        }
        self.inner.put(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_runs_outside_tags_are_broken() {
        let normal = "<p title=\"很长\">社区居民说，电梯好。</p>";
        assert_eq!(index_copy(normal.as_bytes()), normal.as_bytes());
        let long = format!("<p>{}</p>", "字".repeat(450));
        let broken = String::from_utf8(index_copy(long.as_bytes())).unwrap();
        assert_eq!(broken.matches('，').count(), 2);
        assert_eq!(broken.chars().filter(|c| *c == '字').count(), 450);
    }

    #[test]
    fn text_past_the_limit_is_dropped_but_tags_stay() {
        let page = format!(
            "<html><body><p>{}</p><p>尾</p></body></html>",
            "a".repeat(MAX_INDEXED_CHARS + 10)
        );
        let copy = String::from_utf8(index_copy(page.as_bytes())).unwrap();
        assert!(
            copy.ends_with("</p><p></p></body></html>"),
            "{}",
            &copy[copy.len() - 40..]
        );
        assert_eq!(copy.matches('a').count(), MAX_INDEXED_CHARS);
    }
}
