//! The live site: always the old one or the new one, never files Gazette did not write
//! deleted, one build at a time, and the build's own state kept out of what is uploaded.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::fixture::{front, snapshot, Site};

/// Files a host or a deploy tool keeps in the output folder.
const HOSTS_FILES: &[(&str, &str)] = &[
    (".git/config", "[core]\n\tbare = false\n"),
    (".git/HEAD", "ref: refs/heads/gh-pages\n"),
    ("CNAME", "news.example.org\n"),
    (".nojekyll", ""),
    (
        ".well-known/security.txt",
        "Contact: mailto:desk@example.org\n",
    ),
];

fn small_site() -> Site {
    let site = Site::new();
    for (name, date) in [("a", "2024-05-01 09:00"), ("b", "2024-05-02 09:00")] {
        site.article(
            &format!("2024/05/{name}.md"),
            &front(&format!("稿件{name}"), date, "community"),
            "正文。\n",
        );
    }
    site
}

/// A link someone keeps in the output folder (old archives served from elsewhere).
const HOSTS_LINK: (&str, &str) = ("archive-2019", "/srv/archive/2019");

fn assert_hosts_files_kept(site: &Site) {
    for (path, text) in HOSTS_FILES {
        assert_eq!(site.read(&format!("public/{path}")), *text, "{path}");
    }
}

fn assert_link_kept(site: &Site) {
    let (link, target) = HOSTS_LINK;
    let kept = std::fs::read_link(site.path(&format!("public/{link}")));
    assert_eq!(kept.ok(), Some(target.into()), "the link {link} is kept");
}

#[test]
fn files_gazette_did_not_write_survive_every_build() {
    let site = small_site();
    site.build();
    for (path, text) in HOSTS_FILES {
        site.write(&format!("public/{path}"), text);
    }
    let (link, target) = HOSTS_LINK;
    std::os::unix::fs::symlink(target, site.path(&format!("public/{link}"))).expect("link");
    // A no-op build, a build with a change, and one where an article (and its pages) goes.
    site.build();
    assert_hosts_files_kept(&site);
    assert_link_kept(&site);
    site.write(
        "content/2024/05/a.md",
        &format!(
            "---\n{}\n---\n改过的正文。\n",
            front("稿件a", "2024-05-01 09:00", "community")
        ),
    );
    site.build();
    assert_hosts_files_kept(&site);
    assert_link_kept(&site);
    std::fs::remove_file(site.path("content/2024/05/a.md")).expect("rm");
    let run = site.build();
    assert_hosts_files_kept(&site);
    assert_link_kept(&site);
    assert!(
        !site.exists("public/2024/05/01/a/index.html"),
        "{}",
        run.stderr
    );
}

/// A page's address is Gazette's even when someone left a file there by hand: the new page
/// replaces it rather than the stray file being carried over onto the page.
#[test]
fn a_stray_file_where_a_new_page_goes_is_replaced_by_the_page() {
    let site = small_site();
    site.build();
    site.write("public/2024/05/03/c/index.html", "一份旧的手工副本");
    site.article(
        "2024/05/c.md",
        &front("新稿件c", "2024-05-03 09:00", "community"),
        "正文。\n",
    );
    site.build();
    let page = site.read("public/2024/05/03/c/index.html");
    assert!(page.contains("新稿件c"), "the page is the story:\n{page}");
}

/// A build refused for an error in an article leaves the published site as it was and no
/// half-made site in the state folder beside it.
#[test]
fn a_refused_build_leaves_no_staging_folder_behind() {
    let site = small_site();
    site.build();
    let published = snapshot(&site.path("public"));
    site.article(
        "2024/05/bad.md",
        "title: 缺记者\ndate: 2024-05-03",
        "正文。\n",
    );
    site.build_fails();
    assert!(published == snapshot(&site.path("public")));
    let state = site.entries(".public.gazette");
    assert!(
        !state.iter().any(|name| name == "staging"),
        "the refused build's staging folder is removed: {state:?}"
    );
}

#[test]
fn a_deploy_worktree_with_only_hidden_files_and_cname_is_accepted() {
    let site = small_site();
    for (path, text) in HOSTS_FILES {
        site.write(&format!("public/{path}"), text);
    }
    site.build();
    assert_hosts_files_kept(&site);
    assert!(site.exists("public/index.html"));
}

#[test]
fn an_output_folder_from_an_earlier_version_is_adopted() {
    let site = small_site();
    site.write(
        "public/.gazette-output",
        "This folder is written by Gazette\nvalid-until: 2099-01-01T00:00:00Z\n",
    );
    site.write("public/old-page/index.html", "<p>old</p>");
    site.write("public/CNAME", "news.example.org\n");
    site.build();
    assert!(
        !site.exists("public/.gazette-output"),
        "the old marker is not published again"
    );
    assert!(
        !site.exists("public/old-page"),
        "pages the old version wrote are stale"
    );
    assert_eq!(site.read("public/CNAME"), "news.example.org\n");
}

#[test]
fn build_state_is_kept_beside_the_output_and_reveals_no_embargo() {
    let site = small_site();
    site.article(
        "2099/01/later.md",
        &front("定时稿件", "2087-03-17 08:41", "community"),
        "尚未发布。\n",
    );
    site.build();
    assert!(site.exists(".public.gazette/stamp"));
    for (path, bytes) in snapshot(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!path.starts_with(".gazette"), "{}", path.display());
        assert!(
            !text.contains("2087"),
            "{} tells the embargo",
            path.display()
        );
    }
}

#[test]
fn a_second_build_into_the_same_folder_stops_clearly() {
    let site = small_site();
    site.build();
    let lock = std::fs::File::create(site.path(".public.gazette/lock")).expect("lock file");
    lock.lock().expect("hold the lock as a running build does");
    let before = snapshot(&site.path("public"));
    site.write(
        "content/2024/05/c.md",
        &format!(
            "---\n{}\n---\n新稿。\n",
            front("稿件c", "2024-05-03 09:00", "community")
        ),
    );
    let err = site.build_fails();
    assert!(
        err.contains("another build is writing into this folder"),
        "{err}"
    );
    assert_eq!(before, snapshot(&site.path("public")));
    drop(lock);
    site.build();
    assert!(site.exists("public/2024/05/03/c/index.html"));
}

/// Gives story `a` of `small_site` a new title.
fn retitle_story_a(site: &Site, title: &str) {
    let front = front(title, "2024-05-01 09:00", "community");
    site.article("2024/05/a.md", &front, "正文。\n");
}

/// The site a build replaces stays beside the output (outside what is uploaded) until the
/// next build removes it while it renders, so removing it costs no build any waiting.
#[test]
fn the_replaced_site_is_kept_until_the_next_build() {
    let site = small_site();
    let page = "2024/05/01/a/index.html";
    let built = |title: &str| {
        retitle_story_a(&site, title);
        site.build();
        site.read(&format!("public/{page}"))
    };
    let previous = || site.read(&format!(".public.gazette/previous/{page}"));
    let first = built("稿件a");
    let second = built("稿件a（更新）");
    assert_eq!(previous(), first);
    assert_ne!(first, second);
    let third = built("稿件a（再更新）");
    assert_eq!(previous(), second, "the site two builds back is gone");
    assert!(third.contains("再更新"));
}

/// The record of what each page showed (which lets a build keep pages) never describes a
/// site other than the live one: it is removed before the swap and written after, so a
/// build stopped in between leaves none and the next renders every page; and a record
/// that cannot be removed stops the build before the swap.
#[test]
fn the_record_of_pages_never_outlives_its_site() {
    let site = small_site();
    let page = "public/2024/05/01/a/index.html";
    site.build();
    let first = snapshot(&site.path("public"));
    let (stamp, record) = (".public.gazette/stamp", ".public.gazette/pages.json");
    // The stamp cannot be written: this build stops after its site went live.
    retitle_story_a(&site, "稿件甲");
    std::fs::remove_file(site.path(stamp)).expect("rm stamp");
    site.write(&format!("{stamp}/in-the-way"), "");
    assert_ne!(site.run(&["build"]).code, 0);
    assert!(site.read(page).contains("稿件甲"));
    assert!(!site.exists(record));
    // Back to the text of the first build: no page may be kept from the one that went live.
    std::fs::remove_dir_all(site.path(stamp)).expect("rm");
    retitle_story_a(&site, "稿件a");
    site.build();
    assert!(first == snapshot(&site.path("public")));
    std::fs::remove_file(site.path(record)).expect("rm record");
    site.write(&format!("{record}/in-the-way"), "");
    retitle_story_a(&site, "稿件乙");
    assert_ne!(site.run(&["build"]).code, 0);
    assert!(first == snapshot(&site.path("public")));
}

#[test]
fn a_killed_builds_leftovers_are_cleared_even_by_a_no_op_build() {
    let site = small_site();
    site.build();
    site.write(".public.gazette/staging/index.html", "half a site");
    site.write(".public.gazette/old/index.html", "the site before");
    site.write(
        ".public.gazette-staging/index.html",
        "from an earlier version",
    );
    let run = site.build();
    assert!(run.stderr.contains("Nothing changed"), "{}", run.stderr);
    assert!(!site.exists(".public.gazette/staging"));
    assert!(!site.exists(".public.gazette/old"));
    assert!(!site.exists(".public.gazette-staging"));
}

/// A site of about 5,000 files: 300 stories in folders, each with 14 photos. `version`
/// changes every story's text, so every page differs between versions.
fn write_big_site(site: &Site, version: &str) {
    for i in 0..300 {
        let dir = format!("2024/05/s{i:03}");
        site.article(
            &format!("{dir}/index.md"),
            &front(
                &format!("稿件{i}"),
                &format!("2024-05-{:02} 09:00", i % 28 + 1),
                "community",
            ),
            &format!("第{version}版正文，第{i}篇。\n"),
        );
        for p in 0..14 {
            let path = site.path(&format!("content/{dir}/p{p}.png"));
            if !path.exists() {
                site.write_bytes(
                    &format!("content/{dir}/p{p}.png"),
                    &crate::build::png(4 + p, 3),
                );
            }
        }
    }
}

fn build_now(root: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start gazette build")
}

/// Kills builds at points spread over their whole run, the swap at the end included, and
/// checks after each that the output is the old site or the new one, byte for byte.
#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let site = Site::new_in_memory();
    // The index is not what this is about, and it is the slowest part of a debug build.
    // Few listing pages: the files are what matter here, and templates are slow in debug.
    site.write(
        "site.yaml",
        &format!("{}search: false\n", crate::fixture::SITE_YAML)
            .replace("paginate: 2", "paginate: 200"),
    );
    write_big_site(&site, "一");
    site.build();
    let first = snapshot(&site.path("public"));
    assert!(first.len() > 4_000, "only {} files", first.len());
    write_big_site(&site, "二");
    let started = Instant::now();
    site.build();
    let full = started.elapsed();
    eprintln!("a full build of {} files takes {full:?}", first.len());
    let second = snapshot(&site.path("public"));
    assert_ne!(first, second);

    // Which version the sources say; the output must match one of the two.
    let mut sources_second = true;
    let points = 10;
    for k in 0..points {
        sources_second = !sources_second;
        write_big_site(&site, if sources_second { "二" } else { "一" });
        // From early in the run to a little past its usual end, densest near the end
        // where the swap happens.
        let fraction = 1.0 - ((points - k) as f64 / points as f64).powi(2) + 0.1;
        let mut child = build_now(site.root());
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&site.path("public"));
        assert!(
            now == first || now == second,
            "after a kill at {:.0}% of a build, the output is a mix",
            fraction * 100.0
        );
    }
    // And the next build cleans up and finishes.
    site.build();
    assert!(!site.exists(".public.gazette/staging") && !site.exists(".public.gazette/old"));
}
