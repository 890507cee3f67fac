//! Command line: clap arguments → options → a pipeline call → an exit code.
//!
//! Exit codes: 0 success, 1 content or template errors (all reported), 2 usage errors
//! (clap's own). Every message goes to stderr through `diag::report`.

mod init;
mod new;
mod theme;

use std::path::PathBuf;
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
    /// Create a new site with a sample article, in the site's language.
    Init {
        /// The site's language: en, zh-CN (Simplified), zh-TW or zh-HK (Traditional).
        #[arg(long, default_value = "zh-CN", value_parser = init::parse_lang)]
        lang: (crate::i18n::Language, String),
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

/// Runs the command line; the binary's `main` calls only this.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
                Err(d) => fail(vec![d]),
            }
        }
        Command::Check { root, strict } => {
            let diags = crate::pipeline::check::check(&BuildOptions::new(root));
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            diag::report_then(&diags, "nothing was written (check never writes).");
            eprintln!("Checked: {errors} errors, {warnings} warnings");
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
                Err(d) => fail(d),
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
                    eprintln!(
                        "Wrote {} theme files into {}; edit them there, and build as usual.",
                        files.len(),
                        shown.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d),
            }
        }
        Command::Init {
            lang: (language, code),
            dir,
        } => match init::init(&dir, language, &code) {
            Ok(path) => {
                eprintln!(
                    "Created a new site in {}; first article: {}",
                    dir.display(),
                    path.display()
                );
                eprintln!("Next: cd {} && gazette serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(vec![d]),
        },
    }
}

fn build(opts: &BuildOptions, output: &std::path::Path, timings: bool) -> ExitCode {
    match pipeline::build(opts, output) {
        Ok(report) => {
            let Some(b) = &report.built else {
                eprintln!(
                    "Nothing changed since the last build: {} is up to date (0 files written, {:.2} s)",
                    output.display(),
                    report.elapsed.as_secs_f64()
                );
                return ExitCode::SUCCESS;
            };
            diag::report(&b.warnings);
            let s = &report.stats;
            let mut line = format!(
                "Built {} articles, {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {:.2} s",
                b.site.articles.len(),
                b.pages,
                b.files,
                s.written,
                s.unchanged,
                s.removed,
                output.display(),
                report.elapsed.as_secs_f64()
            );
            if b.site.drafts_skipped > 0 {
                line.push_str(&format!("; {} drafts left out", b.site.drafts_skipped));
            }
            if let Some(first) = b.site.embargoed.first() {
                line.push_str(&format!(
                    "; {} embargoed until {} or later (use --future to include)",
                    b.site.embargoed.len(),
                    first.strftime("%Y-%m-%d %H:%M %Z")
                ));
            }
            eprintln!("{line}");
            let base = &b.site.config.base_url;
            if b.site.base_path != "/" {
                eprintln!(
                    "Note: no robots.txt, since crawlers read it only at the host's root; to list the sitemaps there, add `Sitemap: {base}sitemap.xml` and `Sitemap: {base}news-sitemap.xml` to it."
                );
            }
            if let Some(s) = &b.search {
                eprintln!(
                    "Search index: {} articles in {} parts ({} indexed, {} unchanged), {} files, {:.1} MB, ready {:.2} s after rendering began",
                    s.pages,
                    s.parts,
                    s.indexed,
                    s.parts - s.indexed,
                    s.files,
                    s.bytes as f64 / 1e6,
                    s.elapsed.as_secs_f64()
                );
            }
            if timings {
                for (stage, d) in &b.timings.0 {
                    eprintln!("  {stage:<9} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(diags),
    }
}

fn deploy(site_dir: &std::path::Path, target: &str, dry_run: bool) -> ExitCode {
    match crate::deploy::deploy(site_dir, target, dry_run) {
        Ok(report) => {
            let verb = if dry_run { "would" } else { "did" };
            for key in &report.uploaded {
                println!("upload {key}");
            }
            for key in &report.deleted {
                println!("delete {key}");
            }
            eprintln!(
                "Deploy to {target} ({verb}): {} uploaded, {} deleted, {} unchanged",
                report.uploaded.len(),
                report.deleted.len(),
                report.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(vec![d]),
    }
}

fn fail(diags: Vec<Diagnostic>) -> ExitCode {
    diag::report(&diags);
    ExitCode::from(1)
}
