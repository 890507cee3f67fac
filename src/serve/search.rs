//! Search in the preview: the index is rebuilt on a thread of its own after each change,
//! so the edited page reloads at once and search catches up a moment later.

use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use super::Shared;
use crate::outputs::search::{self, PartStore, SearchIndexer};
use crate::pipeline::incremental::{Files, Preview};

/// Hands snapshots of the site's parts to the indexing thread; a burst of edits indexes
/// only the last one, and only the parts whose stories changed.
pub struct Refresher(Sender<Vec<search::Part>>);

impl Refresher {
    pub fn start(shared: Arc<Shared>, store: PartStore) -> Refresher {
        let (tx, rx) = channel::<Vec<search::Part>>();
        std::thread::spawn(move || {
            while let Ok(mut parts) = rx.recv() {
                // Skip to the newest snapshot: older ones are already stale.
                while let Ok(newer) = rx.try_recv() {
                    parts = newer;
                }
                match SearchIndexer::start(parts, store.clone()).finish() {
                    Ok((outputs, _)) => {
                        let files: Files = outputs
                            .into_iter()
                            .map(|o| (o.path, o.bytes.into()))
                            .collect();
                        shared.set_search(files);
                    }
                    Err(d) => eprintln!("{d}"),
                }
            }
        });
        Refresher(tx)
    }

    /// Queues the preview's articles for indexing (when the site has search).
    pub fn refresh(&self, preview: &Preview) {
        if !preview.site().config.search {
            return;
        }
        let _ = self.0.send(search::parts(preview.site(), preview.bodies()));
    }
}
