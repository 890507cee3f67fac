//! `gazette deploy` to a folder and to a real S3-compatible server (s3s-fs, which
//! .ci/install installs): everything the first time, then only what changed; stale files
//! last; a dry run changes nothing; an interrupted deploy goes on where it stopped.

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::{front, snapshot, Site};

fn built_site() -> Site {
    let site = Site::new();
    for (file, title, date) in [
        ("a.md", "第一篇", "2022-08-02"),
        ("b.md", "第二篇", "2022-08-03"),
        ("c.md", "第三篇", "2022-08-04"),
    ] {
        site.article(file, &front(title, date, "community"), "正文。\n");
    }
    site.build();
    site
}

fn deploy(site: &Site, args: &[&str], env: &[(&str, &str)]) -> crate::fixture::Run {
    let env = [&[("GAZETTE_LANG", "en")], env].concat();
    site.run_with_env(&[&["deploy"], args].concat(), &env)
}

/// Edits article b's body and rebuilds: its page and what lists it change.
fn edit_b(site: &Site) {
    site.article(
        "b.md",
        &front("第二篇", "2022-08-03", "community"),
        "改过的正文。\n",
    );
    site.build();
}

/// Removes article c and rebuilds: its page goes.
fn remove_c(site: &Site) {
    std::fs::remove_file(site.path("content/c.md")).expect("remove c");
    site.build();
}

/// The summary's "N uploaded".
fn uploaded(run: &crate::fixture::Run) -> usize {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Deploy to"))
        .expect("summary");
    let (before, _) = line.split_once(" uploaded").expect("uploaded count");
    before
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

/// The target folder holds exactly the built site (and the deploy's manifest).
fn same_site(site: &Site, target: &Path) {
    let mut deployed = snapshot(target);
    deployed.retain(|(p, _)| p != Path::new(".gazette-deploy.json"));
    assert!(
        deployed == snapshot(&site.path("public")),
        "the target differs from public/"
    );
}

#[test]
fn a_folder_gets_what_changed_and_loses_what_went() {
    let site = built_site();
    let target = tempfile::tempdir().expect("target");
    let to = target.path().to_str().expect("utf-8 path");
    let first = deploy(&site, &[to], &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    same_site(&site, target.path());
    let total = uploaded(&first);

    let again = deploy(&site, &[to], &[]);
    assert_eq!(uploaded(&again), 0, "{}", again.stderr);

    edit_b(&site);
    let dry = deploy(&site, &["--dry-run", to], &[]);
    assert!(
        dry.stdout.contains("upload 2022/08/03/b/index.html"),
        "{}",
        dry.stdout
    );
    assert!(
        !std::fs::read_to_string(target.path().join("2022/08/03/b/index.html"))
            .unwrap()
            .contains("改过")
    );
    let edit = deploy(&site, &[to], &[]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert!(
        uploaded(&edit) > 0 && uploaded(&edit) < total / 2,
        "{}",
        edit.stderr
    );
    same_site(&site, target.path());

    remove_c(&site);
    let removal = deploy(&site, &[to], &[]);
    assert!(
        removal.stdout.contains("delete 2022/08/04/c/index.html"),
        "{}",
        removal.stdout
    );
    // Deletions come after every upload.
    let last_upload = removal.stdout.rfind("upload ").unwrap_or(0);
    assert!(removal.stdout.find("delete ").unwrap() > last_upload);
    same_site(&site, target.path());
}

#[test]
fn an_interrupted_deploy_goes_on_where_it_stopped() {
    let site = built_site();
    let target = tempfile::tempdir().expect("target");
    let to = target.path().to_str().expect("utf-8 path");
    let cut = deploy(&site, &[to], &[("GAZETTE_DEPLOY_STOP_AFTER", "5")]);
    assert_eq!(cut.code, 1, "{}", cut.stderr);
    let rest = deploy(&site, &[to], &[]);
    assert_eq!(rest.code, 0, "{}", rest.stderr);
    let full = deploy(
        &site,
        &[
            "--dry-run",
            tempfile::tempdir().unwrap().path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        uploaded(&rest) + 5,
        uploaded(&full),
        "the five sent before the stop went again"
    );
    same_site(&site, target.path());
}

/// s3s-fs on a free port, serving buckets from folders under `root`.
struct S3 {
    child: Child,
    endpoint: String,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const KEY: &str = "gazette-test-key";
const SECRET: &str = "gazette-test-secret-do-not-print";

fn s3(root: &Path) -> S3 {
    let present = Command::new("s3s-fs")
        .arg("--help")
        .stdout(Stdio::null())
        .status()
        .is_ok();
    crate::publishing::required("s3s-fs (cargo install s3s-fs --features binary)", present);
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("s3s-fs")
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", KEY, "--secret-key", SECRET])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start s3s-fs");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(Instant::now() < deadline, "s3s-fs did not start listening");
        std::thread::yield_now();
    }
    S3 {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    }
}

fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", KEY.to_string()),
        ("AWS_SECRET_ACCESS_KEY", SECRET.to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ALLOW_HTTP", "true".to_string()),
    ]
}

#[test]
fn an_s3_bucket_gets_the_site_with_types_and_only_changes_after() {
    let site = built_site();
    let root = tempfile::tempdir().expect("s3 root");
    std::fs::create_dir(root.path().join("news-bucket")).expect("bucket");
    let server = s3(root.path());
    let env = aws_env(&server.endpoint);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let first = deploy(&site, &["s3://news-bucket/site"], &env);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stderr.contains(SECRET) && !first.stdout.contains(SECRET));
    let stored = root.path().join("news-bucket/site");
    assert_eq!(
        std::fs::read(stored.join("2022/08/03/b/index.html")).expect("page in the bucket"),
        std::fs::read(site.path("public/2022/08/03/b/index.html")).unwrap()
    );

    // Read back through the S3 API: the page carries its type and cache policy.
    let store = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name("news-bucket")
        .with_endpoint(&server.endpoint)
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id(KEY)
        .with_secret_access_key(SECRET)
        .build()
        .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let got = runtime
        .block_on(object_store::ObjectStoreExt::get(
            &store,
            &object_store::path::Path::from("site/2022/08/03/b/index.html"),
        ))
        .expect("get the page");
    let attr = |a| got.attributes.get(&a).map(|v| v.to_string());
    assert_eq!(
        attr(object_store::Attribute::ContentType).as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        attr(object_store::Attribute::CacheControl).as_deref(),
        Some("public, max-age=300")
    );

    let again = deploy(&site, &["s3://news-bucket/site"], &env);
    assert_eq!(uploaded(&again), 0, "{}", again.stderr);
    edit_b(&site);
    let dry = deploy(&site, &["--dry-run", "s3://news-bucket/site"], &env);
    assert!(
        dry.stdout.contains("upload 2022/08/03/b/index.html"),
        "{}",
        dry.stdout
    );
    let page = stored.join("2022/08/03/b/index.html");
    assert!(
        !std::fs::read_to_string(&page).unwrap().contains("改过"),
        "the dry run uploaded"
    );
    let stop: Vec<(&str, &str)> = [&env[..], &[("GAZETTE_DEPLOY_STOP_AFTER", "2")]].concat();
    let cut = deploy(&site, &["s3://news-bucket/site"], &stop);
    assert_eq!(cut.code, 1, "{}", cut.stderr);
    let edit = deploy(&site, &["s3://news-bucket/site"], &env);
    assert_eq!(uploaded(&edit) + 2, uploaded(&dry), "{}", edit.stderr);
    assert!(uploaded(&dry) < uploaded(&first) / 2, "{}", dry.stderr);
    assert!(std::fs::read_to_string(&page).unwrap().contains("改过"));

    remove_c(&site);
    let removal = deploy(&site, &["s3://news-bucket/site"], &env);
    assert!(
        removal.stdout.contains("delete 2022/08/04/c/index.html"),
        "{}",
        removal.stdout
    );
    assert!(
        !stored.join("2022/08/04/c/index.html").exists(),
        "a stale page stayed in the bucket"
    );
}

#[test]
fn an_unreachable_bucket_is_a_clear_error() {
    let site = built_site();
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = aws_env(&format!("http://127.0.0.1:{port}"));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = deploy(&site, &["s3://news-bucket/site"], &env);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("s3://news-bucket/site: error: cannot reach the target"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
}
