//! Small sites in temporary folders, and running the real `gazette` binary on them.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SITE_YAML: &str = "title: 测试时讯
base_url: https://news.example.org/
timezone: Asia/Shanghai
paginate: 2
sections:
  - {key: community, name: 社区治理}
  - {key: meetings, name: 会议报道}
people:
  杨宜锦: {slug: yang-yijin, role: 记者, bio: 跑社区口的记者。}
";

pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
}

impl Site {
    /// A site with the standard site.yaml and no articles.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("site.yaml", SITE_YAML);
        std::fs::create_dir_all(site.path("content")).expect("content dir");
        site
    }

    /// `new`, in memory-backed storage where there is some (/dev/shm): for tests that
    /// write thousands of files, which a busy disk makes many times slower.
    pub fn new_in_memory() -> Site {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        };
        let site = Site {
            dir: dir.expect("temp dir"),
        };
        site.write("site.yaml", SITE_YAML);
        std::fs::create_dir_all(site.path("content")).expect("content dir");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    /// Writes an article with the given front-matter lines (between the fences) and body.
    pub fn article(&self, rel: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{rel}"),
            &format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// The names in folder `rel`, sorted.
    pub fn entries(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(rel))
            .unwrap_or_else(|e| panic!("listing {rel}: {e}"))
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Runs gazette with English messages (the tests that read message text were
    /// written against the English table; `run_in` chooses another).
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[("GAZETTE_LANG", "en")])
    }

    /// Runs gazette with GAZETTE_LANG set to `lang`, or unset (the site's language).
    pub fn run_in(&self, lang: Option<&str>, args: &[&str]) -> Run {
        match lang {
            Some(l) => self.run_with_env(args, &[("GAZETTE_LANG", l)]),
            None => self.run_with_env(args, &[]),
        }
    }

    /// `run` with extra environment variables (GAZETTE_LANG unset unless given).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .env_remove("GAZETTE_LANG")
            .envs(env.iter().copied())
            .current_dir(self.root())
            .output()
            .expect("run gazette");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "gazette panicked:\n{}",
            run.stderr
        );
        run
    }

    /// `gazette build`, asserting success.
    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// `build` and `check` both fail on this site, both reporting `expected`, and the
    /// published folder stays as it was.
    pub fn refused(&self, expected: &str) {
        let published = snapshot(&self.path("public"));
        let build = self.build_fails();
        assert!(build.contains(expected), "build:\n{build}");
        assert!(
            published == snapshot(&self.path("public")),
            "a refused build leaves the published site as it was"
        );
        let check = self.run(&["check"]);
        assert_eq!(check.code, 1, "check:\n{}", check.stderr);
        assert!(check.stderr.contains(expected), "check:\n{}", check.stderr);
    }

    /// `gazette build`, asserting it failed with exit code 1; returns stderr.
    pub fn build_fails(&self) -> String {
        let run = self.run(&["build"]);
        assert_eq!(
            run.code, 1,
            "expected failure, got {}:\n{}",
            run.code, run.stderr
        );
        run.stderr
    }
}

/// The text between the first `start` in `page` and the next `end` after it.
pub fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{page}"))
        + start.len();
    page[from..].split(end).next().unwrap_or_default()
}

/// Front matter of a valid article, with a title and date; more lines can be appended.
pub fn front(title: &str, date: &str, section: &str) -> String {
    format!("title: {title}\nreporter: 杨宜锦\ndate: {date}\nsection: {section}")
}

/// Every file under `dir`, relative, with its bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}
