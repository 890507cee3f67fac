//! Command line: clap arguments → options → a pipeline call → an exit code.
//!
//! Exit codes: 0 success, 1 content or template errors (all reported), 2 usage errors
//! (clap's own). Every message goes to stderr through `diag::report`.

mod init;
mod new;
mod theme;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::{self, Diagnostic};
use crate::pipeline::{self, BuildOptions};
use crate::serve::ServeOptions;

#[derive(Parser, Debug)]
#[command(
    name = "gazette",
    version,
    about = "Static news sites from Markdown, Chinese first"
)]
pub struct Cli {
    /// Language of messages, and of the site `init` makes: en, zh-CN, zh-TW or zh-HK
    /// (default: the GAZETTE_LANG environment variable, else the site's `language`).
    #[arg(long, global = true, value_name = "CODE", value_parser = init::parse_lang)]
    lang: Option<(crate::i18n::Language, String)>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into a folder (public/ by default).
    Build {
        /// The site folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; relative paths are taken from the site folder.
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Use this base URL instead of site.yaml's (e.g. for a staging host).
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future (embargoed).
        #[arg(long)]
        future: bool,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Preview the site with live reload (drafts and scheduled articles shown, marked).
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on; anything but 127.0.0.1 makes the preview visible to others.
        #[arg(long, default_value = "127.0.0.1", value_parser = crate::serve::parse_bind)]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Accepted for symmetry with build; serve always shows drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check everything build checks, plus links, images, alt text and tags; writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        strict: bool,
    },
    /// Write a new article with its front matter filled in; prints its path.
    New {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The section key from site.yaml.
        #[arg(long)]
        section: String,
        /// A reporter's name; repeat for several.
        #[arg(long)]
        reporter: Vec<String>,
        /// A correspondent's name (通讯员); repeat for several.
        #[arg(long)]
        correspondent: Vec<String>,
        /// Make a folder (NAME/index.md) so photos can go beside the article.
        #[arg(long)]
        bundle: bool,
        /// The headline.
        title: String,
    },
    /// Upload the built site to a folder or to S3-compatible storage (s3://bucket/prefix);
    /// only changed files go up, stale ones are deleted last.
    Deploy {
        /// The site folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site to upload; relative paths are taken from the site folder.
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// List what would be uploaded and deleted; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// A folder, or s3://BUCKET/PREFIX (credentials and endpoint from AWS_* variables).
        target: String,
    },
    /// Work with the site's theme.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Create a new site with a sample article, in the language `--lang` names (default zh-CN).
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ThemeAction {
    /// Copy the built-in theme's templates and static files into the site for editing;
    /// never overwrites a file.
    Export {
        /// The site folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to put the theme, inside the site (default themes/bulletin, where the
        /// site's `theme: bulletin` is then found).
        dir: Option<PathBuf>,
    },
}

impl Command {
    /// The site folder the command works on (`init` makes one, so has none yet).
    fn root(&self) -> Option<&Path> {
        match self {
            Command::Build { root, .. }
            | Command::Serve { root, .. }
            | Command::Check { root, .. }
            | Command::New { root, .. }
            | Command::Deploy { root, .. }
            | Command::Theme {
                action: ThemeAction::Export { root, .. },
            } => Some(root),
            Command::Init { .. } => None,
        }
    }
}

/// Runs the command line; the binary's `main` calls only this.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang.map_or_else(language_from_env, |l| Ok(Some(l))) {
        Ok(lang) => lang,
        Err(why) => {
            eprintln!("error: GAZETTE_LANG: {why}");
            return ExitCode::from(2);
        }
    };
    // Messages speak `--lang`, else the site's language (a site without one is zh-CN).
    let messages = match &lang {
        Some((language, _)) => Some(diag::Lang::of(*language)),
        None => (cli.command.root())
            .and_then(crate::config::written_language)
            .map(|code| diag::Lang::from_code(&code)),
    };
    if let Some(messages) = messages {
        diag::set_language(messages);
    }
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            timings,
        } => {
            let output = if output.is_absolute() {
                output
            } else {
                root.join(output)
            };
            let opts = BuildOptions {
                base_url,
                drafts,
                future,
                ..BuildOptions::new(root)
            };
            build(&opts, &output, timings)
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts: _,
            open,
        } => {
            // The preview shows drafts and embargoed stories (marked) so editors can check them.
            let build = BuildOptions {
                drafts: true,
                future: true,
                asset_hashes: false,
                ..BuildOptions::new(root.clone())
            };
            let opts = ServeOptions {
                build,
                bind,
                port,
                open,
                output_dir: Some(root.join("public")),
            };
            match crate::serve::start(opts) {
                Ok(running) => {
                    running.wait();
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&root, vec![d]),
            }
        }
        Command::Check { root, strict } => {
            let diags = crate::pipeline::check::check(&BuildOptions::new(root.clone()));
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            diag::report(&root, &diags, msg!("summary.check_writes_nothing"));
            eprintln!(
                "{}",
                msg!(
                    "summary.checked",
                    errors = diag::count("count.errors.one", "count.errors.other", errors),
                    warnings = diag::count("count.warnings.one", "count.warnings.other", warnings)
                )
            );
            if errors > 0 || (strict && warnings > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New {
            root,
            section,
            reporter,
            correspondent,
            bundle,
            title,
        } => {
            let req = new::NewArticle {
                root: &root,
                title: &title,
                section: &section,
                reporters: &reporter,
                correspondents: &correspondent,
                bundle,
            };
            match new::new_article(&req) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&root, d),
            }
        }
        Command::Deploy {
            root,
            output,
            dry_run,
            target,
        } => deploy(&root.join(output), &target, dry_run),
        Command::Theme {
            action: ThemeAction::Export { root, dir },
        } => {
            let shown = dir.unwrap_or_else(theme::default_folder);
            match theme::export(&root.join(&shown), &shown) {
                Ok(files) => {
                    let files = diag::count(
                        "count.theme_files.one",
                        "count.theme_files.other",
                        files.len(),
                    );
                    eprintln!(
                        "{}",
                        msg!("theme.exported", files = files, dir = shown.display())
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&root, d),
            }
        }
        Command::Init { dir } => match init::init(&dir, lang) {
            Ok(path) => {
                eprintln!(
                    "{}",
                    msg!(
                        "init.created",
                        dir = dir.display(),
                        article = path.display()
                    )
                );
                eprintln!("{}", msg!("init.next", dir = dir.display()));
                ExitCode::SUCCESS
            }
            Err(d) => fail(Path::new("."), vec![d]),
        },
    }
}

/// `GAZETTE_LANG`, when set: refused like a wrong `--lang`, never silently ignored.
fn language_from_env() -> Result<Option<(crate::i18n::Language, String)>, String> {
    match std::env::var("GAZETTE_LANG") {
        Ok(code) if !code.trim().is_empty() => init::parse_lang(&code).map(Some),
        _ => Ok(None),
    }
}

fn build(opts: &BuildOptions, output: &std::path::Path, timings: bool) -> ExitCode {
    match pipeline::build(opts, output) {
        Ok(report) => {
            let Some(b) = &report.built else {
                eprintln!(
                    "{}",
                    msg!(
                        "build.unchanged",
                        output = output.display(),
                        seconds = format!("{:.2}", report.elapsed.as_secs_f64())
                    )
                );
                return ExitCode::SUCCESS;
            };
            diag::report(&opts.root, &b.warnings, msg!("summary.nothing_written"));
            let s = &report.stats;
            let mut line = msg!(
                "build.built",
                articles = diag::count(
                    "count.articles.one",
                    "count.articles.other",
                    b.site.articles.len()
                ),
                pages = diag::count("count.pages.one", "count.pages.other", b.pages),
                files = diag::count("count.files.one", "count.files.other", b.files),
                written = s.written,
                unchanged = s.unchanged,
                removed = s.removed,
                output = output.display(),
                seconds = format!("{:.2}", report.elapsed.as_secs_f64())
            )
            .to_string();
            if b.site.drafts_skipped > 0 {
                line.push_str(
                    &msg!(
                        "build.drafts_left_out",
                        drafts = diag::count(
                            "count.drafts.one",
                            "count.drafts.other",
                            b.site.drafts_skipped
                        )
                    )
                    .to_string(),
                );
            }
            if let Some(first) = b.site.embargoed.first() {
                line.push_str(
                    &msg!(
                        "build.embargoed",
                        n = b.site.embargoed.len(),
                        time = first.strftime("%Y-%m-%d %H:%M %Z").to_string()
                    )
                    .to_string(),
                );
            }
            eprintln!("{line}");
            let base = &b.site.config.base_url;
            if b.site.base_path != "/" {
                eprintln!("{}", msg!("build.no_robots", base = base));
            }
            if let Some(s) = &b.search {
                eprintln!(
                    "{}",
                    msg!(
                        "build.search",
                        articles =
                            diag::count("count.articles.one", "count.articles.other", s.pages),
                        parts = diag::count("count.parts.one", "count.parts.other", s.parts),
                        indexed = s.indexed,
                        unchanged = s.parts - s.indexed,
                        files = diag::count("count.files.one", "count.files.other", s.files),
                        mb = format!("{:.1}", s.bytes as f64 / 1e6),
                        seconds = format!("{:.2}", s.elapsed.as_secs_f64())
                    )
                );
            }
            if timings {
                for (stage, d) in &b.timings.0 {
                    eprintln!("  {stage:<9} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
                let kept = b.pages - b.rendered;
                eprintln!("  pages     {} rendered, {kept} kept", b.rendered);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&opts.root, diags),
    }
}

fn deploy(site_dir: &std::path::Path, target: &str, dry_run: bool) -> ExitCode {
    match crate::deploy::deploy(site_dir, target, dry_run) {
        Ok(report) => {
            let how = if dry_run {
                msg!("deploy.how.dry")
            } else {
                msg!("deploy.how.done")
            };
            for key in &report.uploaded {
                println!("upload {key}");
            }
            for key in &report.deleted {
                println!("delete {key}");
            }
            let summary = msg!(
                "deploy.summary",
                target = target,
                how = how,
                uploaded = report.uploaded.len(),
                deleted = report.deleted.len(),
                unchanged = report.unchanged
            );
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(d) => fail(Path::new("."), vec![d]),
    }
}

fn fail(root: &Path, diags: Vec<Diagnostic>) -> ExitCode {
    diag::report(root, &diags, msg!("summary.nothing_written"));
    ExitCode::from(1)
}
