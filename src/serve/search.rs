//! Search in the preview: the index is rebuilt on a thread of its own after each change,
//! so the edited page reloads at once and search catches up a moment later.

use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use super::Shared;
use crate::outputs::search::SearchIndexer;
use crate::pipeline::incremental::{Files, Preview};

/// Article pages to index: (site-root URL, page bytes).
type Snapshot = Vec<(String, Arc<[u8]>)>;

/// Hands snapshots to the indexing thread; a burst of edits indexes only the last one.
pub struct Refresher(Sender<Snapshot>);

impl Refresher {
    pub fn start(shared: Arc<Shared>) -> Refresher {
        let (tx, rx) = channel::<Snapshot>();
        std::thread::spawn(move || {
            while let Ok(mut snapshot) = rx.recv() {
                // Skip to the newest snapshot: older ones are already stale.
                while let Ok(newer) = rx.try_recv() {
                    snapshot = newer;
                }
                let indexer = SearchIndexer::start();
                for (url, html) in snapshot {
                    indexer.add(url, html.to_vec());
                }
                match indexer.finish() {
                    Ok((outputs, _)) => {
                        let files: Files = outputs
                            .into_iter()
                            .map(|o| (o.path, o.bytes.into()))
                            .collect();
                        shared.set_search(files);
                    }
                    Err(d) => eprintln!("{d}"), // no source line: the index has none
                }
            }
        });
        Refresher(tx)
    }

    /// Queues the preview's current article pages for indexing (when the site has search).
    pub fn refresh(&self, preview: &Preview) {
        if !preview.site().config.search {
            return;
        }
        let files = preview.files();
        let snapshot = preview
            .site()
            .articles
            .iter()
            .filter_map(|a| {
                let page = files.get(&format!("{}index.html", a.path))?;
                Some((format!("/{}", a.path), Arc::clone(page)))
            })
            .collect();
        let _ = self.0.send(snapshot);
    }
}
