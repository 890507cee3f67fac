//! Search in the preview: the index is rebuilt on a thread of its own after each change,
//! so the edited page reloads at once and search catches up a moment later.

use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use super::Shared;
use crate::config::Config;
use crate::outputs::search::{self, PartStore, SearchIndexer};
use crate::pipeline::incremental::{Files, Preview};
use crate::validate::Article;

/// The site's settings and its published articles with their bodies' HTML: all the index
/// is made from, taken by sharing, not copying, so a save does not wait for it.
struct Snapshot {
    config: Config,
    articles: Vec<(Arc<Article>, Arc<str>)>,
}

/// Hands snapshots to the indexing thread, which makes the parts from them; a burst of
/// edits indexes only the last one, and only the parts whose stories changed.
pub struct Refresher(Sender<Snapshot>);

impl Refresher {
    pub fn start(shared: Arc<Shared>, store: PartStore) -> Refresher {
        let (tx, rx) = channel::<Snapshot>();
        std::thread::spawn(move || {
            while let Ok(mut snapshot) = rx.recv() {
                // Skip to the newest snapshot: older ones are already stale.
                while let Ok(newer) = rx.try_recv() {
                    snapshot = newer;
                }
                let articles = (snapshot.articles.iter()).map(|(a, html)| (&**a, html));
                let parts = search::parts(&snapshot.config, articles);
                match SearchIndexer::start(parts, store.clone()).finish() {
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

    /// Queues the preview's articles for indexing (when the site has search).
    pub fn refresh(&self, preview: &Preview) {
        if !preview.site().config.search {
            return;
        }
        let site = preview.site();
        let articles = (site.articles.iter().cloned())
            .zip(preview.bodies().iter().map(|b| Arc::clone(&b.html)))
            .collect();
        let _ = self.0.send(Snapshot {
            config: site.config.clone(),
            articles,
        });
    }
}
