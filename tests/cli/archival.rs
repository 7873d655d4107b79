//! Archival ingest: every format and encoding, every kind of bad input, the per-file report,
//! identical content, fixity, the write lock, and kills in the middle of an ingest.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::json::{Report, Verify};
use super::*;

fn fixtures(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
}

fn hits(results: &Search) -> &Vec<Hit> {
    &results.hits
}

fn file_name(hit: &Hit) -> &str {
    hit.path.rsplit('/').next().unwrap_or("")
}

fn status(env: &Env) -> Status {
    let out = env.run(&["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out)
}

#[test]
fn every_format_is_extracted_with_its_metadata() {
    let env = Env::new();
    let out = env.run(&["ingest", &fixtures("formats").to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // (query, file, format, title, author)
    for (query, file, format, title, author) in [
        (
            "Hirohata",
            "repatriation.html",
            "html",
            "Hirohata repatriation register",
            Some("Maizuru Repatriation Memorial Museum"),
        ),
        ("入港", "hikiage-sjis.html", "html", "引揚記録", None),
        (
            "Tachibana",
            "roster.pdf",
            "pdf",
            "Camp roster",
            Some("Kenji Sato"),
        ),
        (
            "Taishet",
            "diary.docx",
            "docx",
            "Sakuragi diary, 1946",
            Some("Ichiro Sakuragi"),
        ),
        (
            "Karaganda",
            "memoir.odt",
            "odt",
            "Umezawa memoir",
            Some("Haruko Umezawa"),
        ),
        (
            "Komsomolsk",
            "memoir.epub",
            "epub",
            "Kagoshima to Siberia",
            Some("Taro Yamamoto"),
        ),
        (
            "Hakodate",
            "letter.xml",
            "xml",
            "Letter from Hakodate",
            Some("Jiro Kato"),
        ),
        (
            "向かう",
            "letter.eml",
            "eml",
            "Letter from Nakhodka",
            Some("Kenji Sato <sato@example.org>"),
        ),
        (
            "Wakkanai",
            "offices.mbox",
            "mbox",
            "Wakkanai arrivals",
            Some("Wakkanai office <wakkanai@example.org>"),
        ),
    ] {
        let results = env.search(query);
        let found = hits(&results);
        assert_eq!(found.len(), 1, "{query}: {results}");
        let hit = &found[0];
        assert_eq!(file_name(hit), file, "{query}");
        assert_eq!(hit.format, format, "{query}");
        assert_eq!(hit.title, title, "{query}");
        assert_eq!(hit.author.as_deref(), author, "{query}");
        assert!(!highlighted(hit).is_empty(), "{query}: {hit}");
    }
    assert_eq!(
        env.search("入港").hits[0].encoding.as_deref(),
        Some("Shift_JIS")
    );
    assert_eq!(
        env.search("Tachibana").hits[0].date.as_deref(),
        Some("1947-03-01T12:00:00")
    );
    // An mbox is one document per message, named by its Message-ID, or by its content's hash.
    let otaru = env.search("Otaru");
    assert_eq!(
        otaru.hits[0].part.as_deref(),
        Some("<otaru-1948-01-05@example.org>")
    );
    let wakkanai = env.search("Wakkanai").hits[0].part.clone();
    assert!(
        wakkanai
            .as_deref()
            .is_some_and(|p| p.starts_with("sha256:") && p.len() == 27),
        "{wakkanai:?}"
    );
    assert_eq!(status(&env).documents, 10);
    // Scripts, styles, navigation, deleted text and field codes are not text.
    for hidden in ["Scriptword", "Navword", "deletedword", "fieldword"] {
        assert_eq!(env.search(hidden).total_hits, 0, "{hidden}");
    }
}

#[test]
fn legacy_encodings_are_detected_and_recorded() {
    let env = Env::new();
    let out = env.run(&["ingest", &fixtures("encodings").to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let found = |query: &str| -> BTreeMap<String, String> {
        hits(&env.search(query))
            .iter()
            .map(|h| {
                let encoding = h.encoding.clone().unwrap_or_default();
                (file_name(h).to_string(), encoding)
            })
            .collect()
    };
    let expect = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(f, e)| (f.to_string(), e.to_string()))
            .collect()
    };
    assert_eq!(
        found("引揚船"),
        expect(&[
            ("ja-shift_jis.txt", "Shift_JIS"),
            ("ja-euc-jp.txt", "EUC-JP"),
            ("ja-iso-2022-jp.txt", "ISO-2022-JP"),
        ])
    );
    // GB18030 text decodes with encoding_rs's GBK decoder, which is GB18030's. Simplified
    // `舞鹤港` finds `舞鶴港` too, as Big5 (traditional) and the Japanese files write it.
    assert_eq!(
        found("舞鹤港"),
        expect(&[
            ("zh-gb18030.txt", "GBK"),
            ("zh-big5.txt", "Big5"),
            ("ja-shift_jis.txt", "Shift_JIS"),
            ("ja-euc-jp.txt", "EUC-JP"),
            ("ja-iso-2022-jp.txt", "ISO-2022-JP"),
        ])
    );
    // And traditional `戰俘` the simplified `战俘`.
    assert_eq!(
        found("戰俘"),
        expect(&[("zh-big5.txt", "Big5"), ("zh-gb18030.txt", "GBK")])
    );
    assert_eq!(found("마이즈루"), expect(&[("ko-euc-kr.txt", "EUC-KR")]));
    assert_eq!(
        found("Находка"),
        expect(&[
            ("ru-windows-1251.txt", "windows-1251"),
            // chardetng names KOI8-R text by its superset KOI8-U; the text is the same.
            ("ru-koi8-r.txt", "KOI8-U"),
            ("ru-utf-16le-bom.txt", "UTF-16LE"),
            ("ru-utf-16be.txt", "UTF-16BE"),
        ])
    );
    assert_eq!(
        found("Heimkehrer"),
        expect(&[
            // ISO-8859-1 is read as its superset windows-1252, as browsers do.
            ("de-iso-8859-1.txt", "windows-1252"),
            ("de-windows-1252.txt", "windows-1252"),
            ("de-utf-16le.txt", "UTF-16LE"),
        ])
    );
    assert_eq!(found("Später").len(), 3);
}

/// A DOCX whose document.xml is 150 MB of spaces, deflated to a few hundred kilobytes.
fn write_zip_bomb(path: &Path) {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).expect("create bomb");
    let mut zip = zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("entry");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..150 {
        zip.write_all(&chunk).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn every_bad_input_gets_one_outcome_with_a_reason_and_the_batch_completes() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let corpus = env.path("corpus");
    for entry in std::fs::read_dir(fixtures("bad")).expect("bad fixtures") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).expect("copy");
    }
    write_zip_bomb(&corpus.join("bomb.docx"));
    // 1 GB, sparse: skipped without being read, as binary, and as too large to be read whole.
    for huge in ["huge.txt", "huge.docx"] {
        std::fs::File::create(corpus.join(huge))
            .and_then(|f| f.set_len(1 << 30))
            .expect("huge file");
    }
    let locked = corpus.join("locked.txt");
    std::fs::write(&locked, "secret").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let running_as_root = std::fs::read(&locked).is_ok();
    // Readable by permissions (even for root) but failing on read: an I/O error mid-batch.
    std::os::unix::fs::symlink("/proc/self/mem", corpus.join("io-error.txt")).expect("link");
    std::fs::create_dir(corpus.join("loop")).expect("dir");
    std::os::unix::fs::symlink(corpus.join("loop"), corpus.join("loop/again")).expect("link");
    let bad_name = std::ffi::OsStr::from_bytes(b"latin1-caf\xe9.txt");
    std::fs::write(corpus.join(bad_name), "café").expect("write");
    let long_line = format!("{} Zyxwvutsrq", "word ".repeat(1_000_000));
    std::fs::write(corpus.join("long-line.txt"), long_line).expect("write");
    std::fs::create_dir(corpus.join("tiny")).expect("dir");
    for i in 0..500 {
        std::fs::write(
            corpus.join(format!("tiny/{i}.txt")),
            format!("tiny note {i}"),
        )
        .expect("write");
    }

    let out = env.run(&["ingest", "--follow-links", "--report", "report.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the report is the documented JSON");
    let files = &report.files;
    let mut outcomes: BTreeMap<String, (String, String)> = BTreeMap::new();
    for file in files {
        let path = file.path.to_string();
        let entry = (
            file.outcome.to_string(),
            file.reason.clone().unwrap_or_default(),
        );
        assert!(
            outcomes.insert(path.clone(), entry).is_none(),
            "{path} reported twice"
        );
    }
    let outcome = |suffix: &str| -> (String, String) {
        outcomes
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| panic!("{suffix} missing from the report"))
    };
    for (file, kind, reason) in [
        ("empty.txt", "skipped", "empty"),
        ("binary.txt", "skipped", "binary"),
        ("photo.jpg", "failed", "not a readable image"),
        ("huge.txt", "skipped", "binary"),
        ("huge.docx", "skipped", "--max-file-size 1024M"),
        ("broken.xml", "failed", "malformed XML"),
        ("corrupt.docx", "failed", "corrupt DOCX"),
        ("not-a-pdf.pdf", "failed", "not a PDF"),
        ("truncated.pdf", "failed", "truncated"),
        ("bomb.docx", "failed", "zip bomb"),
        ("loop/again", "failed", "symbolic link loop"),
        // A name that is not UTF-8 is indexed, shown with its bytes escaped.
        ("latin1-caf\\xE9.txt", "added", ""),
        ("io-error.txt", "failed", "cannot read"),
        ("long-line.txt", "added", ""),
        ("tiny/499.txt", "added", ""),
        ("001_def77d6c715c9dca.txt", "added", ""),
    ] {
        let (got, why) = outcome(file);
        assert_eq!(got, kind, "{file}: {why}");
        assert!(why.contains(reason), "{file}: {why}");
    }
    if !running_as_root {
        let (got, why) = outcome("locked.txt");
        assert_eq!(got, "failed");
        assert!(why.contains("ermission denied"), "{why}");
    }
    // Counts add up, and every skip and failure has its one line on stderr naming the file.
    let summary = &report.summary;
    assert_eq!(summary.too_large, 1, "huge.docx");
    let count = |kind: &str| files.iter().filter(|f| f.outcome == kind).count();
    for (kind, counted) in [
        ("added", summary.added),
        ("skipped", summary.skipped),
        ("failed", summary.failed),
    ] {
        assert_eq!(counted, count(kind) as u64, "{kind}");
    }
    assert_eq!(count("added"), 5 + 500 + 2 + usize::from(running_as_root));
    let err = stderr(&out);
    for file in files.iter().filter(|f| f.outcome != "added") {
        let path = file.path.as_str();
        let kind = file.outcome.as_str();
        let lines = err
            .lines()
            .filter(|l| l.contains(kind) && l.contains(path))
            .count();
        assert_eq!(lines, 1, "{kind} {path}:\n{err}");
    }
    // The good files are searchable.
    assert_eq!(seeds(&env.search("Maizuru")), set(&["001", "004"]));
    assert_eq!(env.search("Zyxwvutsrq").total_hits, 1);
    assert_eq!(env.search("tiny note").total_hits, 500);
}

#[test]
fn identical_content_is_one_hit_with_all_its_paths() {
    let env = Env::new();
    let seed = env.path("corpus/001_def77d6c715c9dca.txt");
    std::fs::create_dir(env.path("corpus/copies")).expect("dir");
    std::fs::copy(&seed, env.path("corpus/copies/kwantung.txt")).expect("copy");
    std::fs::copy(&seed, env.path("corpus/copies/again.txt")).expect("copy");
    let out = env.run(&["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 with the same content as another file"),
        "{}",
        stderr(&out)
    );
    let results = env.search("Maizuru");
    assert_eq!(results.total_hits, 4, "documents, copies included");
    let found = hits(&results);
    assert_eq!(found.len(), 2, "{results}");
    let group = found
        .iter()
        .find(|h| !h.copies.is_empty())
        .expect("the hit standing for the copies");
    let mut paths: Vec<&str> = group.copies.iter().map(String::as_str).collect();
    paths.push(&group.path);
    paths.sort();
    assert_eq!(paths.len(), 3);
    assert!(paths.iter().any(|p| p.ends_with("copies/again.txt")));
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("001_def77d6c715c9dca.txt"))
    );
    let plain = stdout(&env.run(&["search", "Maizuru"]));
    assert!(plain.contains("same content: corpus/copies/"), "{plain}");
}

#[test]
fn files_of_the_same_size_are_one_hit_only_when_their_content_is_the_same() {
    let env = Env::new();
    let seed = std::fs::read_to_string(env.path("corpus/001_def77d6c715c9dca.txt")).expect("seed");
    // The same size as the seed, one letter different: another content.
    let edited = seed.replacen("Kwantung", "Kwantunq", 1);
    assert_ne!(edited, seed);
    std::fs::write(env.path("corpus/edited.txt"), &edited).expect("write");
    let out = env.run(&["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let results = env.search("Maizuru");
    assert_eq!(results.total_hits, 3, "{results}");
    let found = hits(&results);
    assert_eq!(found.len(), 3, "{results}");
    assert!(found.iter().all(|h| h.copies.is_empty()), "{results}");
}

#[test]
fn verify_reports_changed_and_missing_files() {
    let env = Env::ingested();
    let out = env.run(&["verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("5 ok, 0 changed, 0 missing"));
    let mut edited = std::fs::OpenOptions::new()
        .append(true)
        .open(env.path("corpus/002_32edfc6f972ab332.txt"))
        .expect("open");
    writeln!(edited, "one more line").expect("append");
    std::fs::remove_file(env.path("corpus/003_6a3fca12401d4398.txt")).expect("remove");
    let out = env.run(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Verify = json(&out);
    assert_eq!((report.ok, report.changed), (3, 1));
    assert_eq!(report.missing, 1);
    let status_of = |name: &str| {
        report
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| f.status.clone())
    };
    assert_eq!(
        status_of("002_32edfc6f972ab332.txt").as_deref(),
        Some("changed")
    );
    assert_eq!(
        status_of("003_6a3fca12401d4398.txt").as_deref(),
        Some("missing")
    );
    assert_eq!(status_of("001_def77d6c715c9dca.txt").as_deref(), Some("ok"));
}

#[test]
fn a_second_writer_is_refused_at_once_and_search_still_works() {
    let env = Env::ingested();
    let index = tantivy::Index::open_in_dir(env.path("index")).expect("open index");
    let writer: tantivy::IndexWriter = index.writer(15_000_000).expect("hold the lock");
    let started = Instant::now();
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("another ingest is writing"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused at once"
    );
    assert_eq!(seeds(&env.search("Maizuru")), set(&["001", "004"]));
    drop(writer);
    let out = env.run(&["ingest"]);
    assert!(out.status.success(), "{:?}: {}", out.status, stderr(&out));
}

/// Kills a real ingest (SIGKILL) at several points after it has committed part of the work;
/// each time the index opens and searches, and the last run completes it with every file
/// indexed exactly once.
#[test]
fn a_killed_ingest_leaves_a_usable_index_and_the_next_run_completes_it() {
    let env = Env::new();
    let gen_dir = env.path("corpus/generated");
    std::fs::create_dir(&gen_dir).expect("dir");
    let sample =
        std::fs::read_to_string(fixtures("languages/en/en-US-000.txt")).expect("english sample");
    let total_files = 1200;
    for i in 0..total_files {
        std::fs::write(
            gen_dir.join(format!("{i:04}.txt")),
            format!("Record{i:04}\n\n{sample}"),
        )
        .expect("write");
    }
    let expected = total_files + 5;
    let documents = |env: &Env| status(env).documents;
    let mut last = 0;
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archivist"))
            .args(["ingest", "--commit-every", "20"])
            .current_dir(env.path(""))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ingest");
        // Wait until this run has committed something new, then kill it.
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if std::fs::metadata(env.path("index/meta.json")).is_ok() && documents(&env) > last {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        let now = documents(&env);
        assert!(now > last, "the killed run committed nothing");
        assert!(
            now < expected as u64,
            "the run finished before it was killed"
        );
        last = now;
        // The index opens and searches after the kill, with no document twice.
        let first = env.search("Record0000");
        assert!(first.total_hits <= 1, "{first}");
    }
    let out = env.run(&["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(documents(&env), expected as u64);
    assert!(!status(&env).partial);
    for i in [0, 599, 1199] {
        assert_eq!(
            env.search(&format!("Record{i:04}")).total_hits,
            1,
            "Record{i:04}"
        );
    }
}

/// An ingest that committed many times merges its segments, all but the largest, before it
/// exits: tantivy's merge policy would wait for 8, and the next small re-ingest would pay for
/// merging them all. The next small ingest then adds a segment without merging the largest.
#[test]
fn an_ingest_that_committed_often_leaves_its_segments_merged() {
    let env = Env::new();
    let out = env.run(&["ingest", "--commit-every", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let segments = |env: &Env| {
        let index = tantivy::Index::open_in_dir(env.path("index")).expect("open index");
        let mut metas = index.searchable_segment_metas().expect("segments");
        metas.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
        metas.into_iter().map(|m| m.id()).collect::<Vec<_>>()
    };
    let first = segments(&env);
    assert!(first.len() <= 2, "{} segments left", first.len());
    // The merged segments' files are gone: every segment file on disk is a live segment's.
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(env.path("index"))
        .expect("index dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.split('.').next().map(str::to_string))
        .filter(|id| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()))
        .collect();
    let live: std::collections::BTreeSet<String> =
        first.iter().map(|id| id.uuid_string()).collect();
    assert!(
        on_disk.is_subset(&live),
        "{on_disk:?} on disk, {live:?} live"
    );
    assert_eq!(seeds(&env.search("Maizuru")), set(&["001", "004"]));
    // Small ingests, each adding a segment: merges take the small ones, never the largest.
    for i in 0..4 {
        let note = format!("corpus/note{i}.txt");
        std::fs::write(env.path(&note), "A note on Maizuru.").expect("write");
        assert!(env.run(&["ingest"]).status.success());
        let now = segments(&env);
        assert!(now.len() <= 3, "{} segments left", now.len());
        assert!(
            now.contains(&first[0]),
            "the largest segment was merged again"
        );
    }
}

/// A tmpfs of a given size, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: PathBuf, size: &str) -> SmallDisk {
        std::fs::create_dir_all(&at).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs to fill it, which needs root (CI runs as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(at)
    }

    fn resize(&self, size: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
    }
}

#[test]
fn a_full_disk_says_so_keeps_the_last_commit_and_the_next_run_finishes() {
    let env = Env::new();
    let disk = SmallDisk::mount(env.path("small"), "400k");
    let index = disk.0.join("index");
    let index = index.to_string_lossy();
    let documents = |env: &Env| {
        let out = env.run(&["status", "--json", "--index", &index]);
        json::<json::Status>(&out).documents
    };
    let out = env.run(&["-q", "ingest", "--index", &index, "corpus"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(documents(&env), 5);
    // The language samples do not fit in what is left.
    let samples = fixtures("languages");
    let samples = samples.to_string_lossy();
    let args = ["-q", "ingest", "--index", &index, "corpus", &samples];
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("no space left on device writing the index at")
            && err.contains("run ingest again"),
        "{err}"
    );
    assert_eq!(documents(&env), 5, "the last commit is intact");
    disk.resize("16m");
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(documents(&env) > 100);
}
