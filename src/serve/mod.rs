//! `gazette serve`: a live preview. Builds the site into memory, serves it over HTTP,
//! watches the site folder, applies each change incrementally and tells every open tab.
//!
//! Nothing is written to disk. A change that breaks the build keeps the last good site
//! served and shows the error in the terminal and in every tab until a good build clears it.

pub mod http;
mod photos;
mod search;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::broadcast;

use crate::diag::{self, Diagnostic};
use crate::pipeline::incremental::{Change, Files, Preview, Update};
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

/// What remakes the preview: the watcher after a save, and the clock when an embargo lifts.
struct Rebuilder {
    preview: Mutex<Option<Preview>>,
    shared: Arc<Shared>,
    refresher: search::Refresher,
    /// For a full build, while there is no good preview yet.
    opts: BuildOptions,
}

impl Rebuilder {
    /// Applies a file change, or with `None` makes the site again as of now.
    fn rebuild(&self, change: Option<&Change>) {
        let started = Instant::now();
        let Ok(mut guard) = self.preview.lock() else {
            return;
        };
        let result = match (guard.as_mut(), change) {
            (Some(p), Some(change)) => p.apply(change),
            (Some(p), None) => p.at(None),
            (None, _) => Preview::new(self.opts.clone()).map(|p| {
                let update = Update {
                    changed: p.files().keys().cloned().collect(),
                    removed: Vec::new(),
                    rendered: 0,
                };
                *guard = Some(p);
                update
            }),
        };
        match (result, guard.as_ref()) {
            (Ok(update), Some(p)) => {
                self.shared.publish(p.files(), &update);
                self.refresher.refresh(p);
                let changed = update.changed.len() + update.removed.len();
                let line = msg!(
                    "serve.rebuilt",
                    ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
                    pages = diag::count("count.pages.one", "count.pages.other", update.rendered),
                    files = diag::count("count.files.one", "count.files.other", changed)
                );
                eprintln!("{line}");
            }
            (Err(d), _) => {
                diag::report(&self.opts.root, &d, msg!("summary.preview_kept"));
                self.shared.fail(&d);
            }
            (Ok(_), None) => {}
        }
    }

    fn next_change(&self) -> Option<Timestamp> {
        self.preview.lock().ok()?.as_ref()?.next_change()
    }
}

/// Makes the derivatives of newly saved photos into the cache, then applies their change
/// (which then finds them made). Ends with the preview.
fn start_photo_worker(root: PathBuf, rebuilder: Weak<Rebuilder>) -> Sender<Change> {
    let (tx, rx) = std::sync::mpsc::channel::<Change>();
    std::thread::spawn(move || {
        for change in rx {
            photos::prepare(&root, &change);
            match rebuilder.upgrade() {
                Some(r) => r.rebuild(Some(&change)),
                None => return,
            }
        }
    });
    tx
}

/// The longest the clock sleeps: an edit may bring an embargo nearer meanwhile.
const CLOCK_RECHECK: Duration = Duration::from_secs(30);

/// Remakes the preview when an embargo lifts or a scheduled story's time comes: no file
/// changes then, and a build would show the story. Ends when the preview is gone.
fn run_clock(rebuilder: &Weak<Rebuilder>) {
    loop {
        let Some(next) = rebuilder.upgrade().map(|r| r.next_change()) else {
            return;
        };
        let until = next.map_or(CLOCK_RECHECK, |t| {
            let wait = Timestamp::now().duration_until(t);
            Duration::try_from(wait)
                .unwrap_or_default()
                .min(CLOCK_RECHECK)
        });
        std::thread::sleep(until);
        let Some(r) = rebuilder.upgrade() else {
            return;
        };
        if r.next_change().is_some_and(|t| t <= Timestamp::now()) {
            r.rebuild(None);
        }
    }
}

/// The host part of the preview's URLs: `[::1]` for IPv6, and a loopback address when the
/// server listens on every address (a browser cannot open `0.0.0.0`).
pub fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `--bind`: an IP address, or `localhost` for 127.0.0.1.
pub fn parse_bind(value: &str) -> Result<IpAddr, String> {
    if value.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    }
    value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| {
            format!("`{value}` is not an address to listen on; use `localhost`, `127.0.0.1`, `::1` or `0.0.0.0`")
        })
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
                    address = SocketAddr::new(opts.bind, opts.port).to_string(),
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
    let host = url_host(addr.ip());
    build.base_url = Some(format!("http://{host}:{}/", addr.port()));
    let started = Instant::now();
    let store = crate::outputs::search::PartStore::beside(&opts.build.root);
    let refresher = search::Refresher::start(Arc::clone(&shared), store);
    let preview = match Preview::new(build.clone()) {
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
    let rebuilder = Arc::new(Rebuilder {
        preview: Mutex::new(preview),
        shared: Arc::clone(&shared),
        refresher,
        opts: build,
    });

    let server = http::router(
        Arc::clone(&shared),
        Arc::new(http::AllowedHosts::for_bind(addr.ip())),
    );
    runtime.spawn(async move {
        let _ = axum::serve(listener, server).await;
    });

    // The watcher reports absolute paths; compare them with an absolute root.
    let root = std::fs::canonicalize(&opts.build.root).unwrap_or_else(|_| opts.build.root.clone());
    let output = opts
        .output_dir
        .as_ref()
        .map(|o| root.join(o.strip_prefix(&opts.build.root).unwrap_or(o)));
    let clock = Arc::downgrade(&rebuilder);
    std::thread::spawn(move || run_clock(&clock));
    let photos = start_photo_worker(root.clone(), Arc::downgrade(&rebuilder));
    let watcher = watch::watch(&root.clone(), move |paths| {
        let Some(change) = watch::to_change(&root, output.as_deref(), paths) else {
            return;
        };
        // New photos take a second or so each to resize: that work happens beside the
        // preview, so a text edit saved meanwhile is shown at once.
        let (new_photos, rest) = photos::split(&root, change);
        if let Some(new_photos) = new_photos {
            let _ = photos.send(new_photos);
        }
        if let Some(rest) = rest {
            rebuilder.rebuild(Some(&rest));
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
