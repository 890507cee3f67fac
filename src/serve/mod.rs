//! `gazette serve`: a live preview. Builds the site into memory, serves it over HTTP,
//! watches the site folder, applies each change incrementally and tells every open tab.
//!
//! Nothing is written to disk. A change that breaks the build keeps the last good site
//! served and shows the error in the terminal and in every tab until a good build clears it.

pub mod http;
mod search;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use serde_json::json;
use tokio::sync::broadcast;

use crate::diag::{self, Diagnostic};
use crate::pipeline::incremental::{Files, Preview, Update};
use crate::pipeline::BuildOptions;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port (tests use this).
    pub port: u16,
    pub open: bool,
    /// The build output folder, if inside the site: its changes are not the editor's.
    pub output_dir: Option<PathBuf>,
}

/// State shared by the HTTP handlers and the rebuild loop.
pub struct Shared {
    files: RwLock<Arc<Files>>,
    /// The search index, rebuilt in the background after changes.
    search: RwLock<Arc<Files>>,
    error: RwLock<Option<String>>,
    build: AtomicU64,
    tx: broadcast::Sender<String>,
}

impl Shared {
    fn new() -> Shared {
        // Build ids start from the clock so a restarted server never repeats one.
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(1);
        Shared {
            files: RwLock::new(Arc::new(Files::new())),
            search: RwLock::new(Arc::new(Files::new())),
            error: RwLock::new(None),
            build: AtomicU64::new(start),
            tx: broadcast::channel(64).0,
        }
    }

    /// The current search index files.
    pub fn search_files(&self) -> Arc<Files> {
        self.search
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }

    fn set_search(&self, files: Files) {
        if let Ok(mut s) = self.search.write() {
            *s = Arc::new(files);
        }
    }

    pub fn files(&self) -> Arc<Files> {
        self.files
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }

    fn hello(&self) -> String {
        let error = self.error.read().ok().and_then(|e| e.clone());
        json!({"kind": "hello", "build": self.build.load(Ordering::SeqCst), "error": error})
            .to_string()
    }

    fn publish(&self, files: &Files, update: &Update) {
        if let Ok(mut f) = self.files.write() {
            *f = Arc::new(files.clone());
        }
        if let Ok(mut e) = self.error.write() {
            *e = None;
        }
        let build = self.build.fetch_add(1, Ordering::SeqCst) + 1;
        let kind = if update.css_only() { "css" } else { "reload" };
        let paths: Vec<&String> = update.changed.iter().chain(&update.removed).collect();
        let _ = self
            .tx
            .send(json!({"kind": kind, "build": build, "paths": paths}).to_string());
    }

    fn fail(&self, diags: &[Diagnostic]) {
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        let text = text.join("\n");
        if let Ok(mut e) = self.error.write() {
            *e = Some(text.clone());
        }
        let _ = self
            .tx
            .send(json!({"kind": "error", "error": text}).to_string());
    }
}

/// A running preview: the address it listens on and the handle that keeps it alive.
pub struct Running {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    _watcher: Option<watch::Watcher>,
    runtime: tokio::runtime::Runtime,
}

impl Running {
    /// Blocks until the process is stopped (Ctrl-C).
    pub fn wait(self) {
        self.runtime.block_on(std::future::pending::<()>());
    }
}

/// Builds, starts the server and the watcher, and returns without blocking.
pub fn start(opts: ServeOptions) -> Result<Running, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error("serve", msg!("serve.cannot_start", error = &e)))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((opts.bind, opts.port)))
        .map_err(|e| {
            Diagnostic::error(
                "serve",
                msg!(
                    "serve.cannot_listen",
                    address = format!("{}:{}", opts.bind, opts.port),
                    error = &e
                ),
            )
            .with_hint(msg!("serve.cannot_listen.hint"))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error("serve", msg!("serve.cannot_start", error = &e)))?;
    let shared = Arc::new(Shared::new());

    let mut build = opts.build.clone();
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    build.base_url = Some(format!("http://{host}:{}/", addr.port()));
    let started = Instant::now();
    let refresher = search::Refresher::start(Arc::clone(&shared));
    let preview = match Preview::new(build) {
        Ok(p) => {
            shared.publish(p.files(), &Update::default());
            refresher.refresh(&p);
            eprintln!(
                "{}",
                msg!(
                    "serve.built",
                    articles = diag::count(
                        "count.articles.one",
                        "count.articles.other",
                        p.site().articles.len()
                    ),
                    seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                )
            );
            Some(p)
        }
        Err(d) => {
            diag::report(&opts.build.root, &d, msg!("summary.nothing_written"));
            shared.fail(&d);
            None
        }
    };
    let preview = Arc::new(Mutex::new(preview));

    let server = http::router(Arc::clone(&shared));
    runtime.spawn(async move {
        let _ = axum::serve(listener, server).await;
    });

    // The watcher reports absolute paths; compare them with an absolute root.
    let root = std::fs::canonicalize(&opts.build.root).unwrap_or_else(|_| opts.build.root.clone());
    let output = opts
        .output_dir
        .as_ref()
        .map(|o| root.join(o.strip_prefix(&opts.build.root).unwrap_or(o)));
    let loop_shared = Arc::clone(&shared);
    let loop_opts = opts.build.clone();
    let loop_base = format!("http://{host}:{}/", addr.port());
    let watcher = watch::watch(&root.clone(), move |paths| {
        let Some(change) = watch::to_change(&root, output.as_deref(), paths) else {
            return;
        };
        let started = Instant::now();
        let Ok(mut guard) = preview.lock() else {
            return;
        };
        let result = match guard.as_mut() {
            Some(p) => p.apply(&change),
            // No good build yet: try a full one.
            None => {
                let mut b = loop_opts.clone();
                b.base_url = Some(loop_base.clone());
                Preview::new(b).map(|p| {
                    let update = Update {
                        changed: p.files().keys().cloned().collect(),
                        removed: Vec::new(),
                        rendered: 0,
                    };
                    *guard = Some(p);
                    update
                })
            }
        };
        match (result, guard.as_ref()) {
            (Ok(update), Some(p)) => {
                loop_shared.publish(p.files(), &update);
                refresher.refresh(p);
                eprintln!(
                    "{}",
                    msg!(
                        "serve.rebuilt",
                        ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
                        pages =
                            diag::count("count.pages.one", "count.pages.other", update.rendered),
                        files = diag::count(
                            "count.files.one",
                            "count.files.other",
                            update.changed.len() + update.removed.len()
                        )
                    )
                );
            }
            (Err(d), _) => {
                diag::report(&loop_opts.root, &d, msg!("summary.preview_kept"));
                loop_shared.fail(&d);
            }
            (Ok(_), None) => {}
        }
    })
    .map_err(|e| Diagnostic::error("serve", msg!("serve.cannot_watch", error = e.to_string())))?;

    if !opts.bind.is_loopback() {
        eprintln!("{}", msg!("serve.visible", address = opts.bind.to_string()));
    }
    eprintln!(
        "{}",
        msg!(
            "serve.serving",
            url = format!("http://{host}:{}/", addr.port())
        )
    );
    if opts.open {
        let _ = open::that_detached(format!("http://{host}:{}/", addr.port()));
    }
    Ok(Running {
        addr,
        shared,
        _watcher: Some(watcher),
        runtime,
    })
}
