//! Containers and attachments: ZIP (with a DOCX, a nested ZIP and an unreadable member), tar.gz,
//! .gz and an e-mail with attachments, made at test time; each member found under the path
//! that names both, replaced and removed with its container.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::json::Report;
use super::*;

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(*name, options).expect("zip member");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

fn tar_gz(members: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, *bytes)
            .expect("tar member");
    }
    builder
        .into_inner()
        .and_then(|gz| gz.finish())
        .expect("tar.gz")
}

const MAIL: &str = "From: Kenji Sato <sato@example.org>\r\nSubject: Inventory of the camp\r\n\
    MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
    --b\r\nContent-Type: text/plain\r\n\r\nThe inventory is attached.\r\n\
    --b\r\nContent-Type: text/plain; name=\"inventory.txt\"\r\n\
    Content-Disposition: attachment; filename=\"inventory.txt\"\r\n\r\n\
    Blankets and rice from Vladivostok warehouse.\r\n--b--\r\n";

/// The corpus: a donation ZIP, a tar.gz, a .gz and an e-mail, beside the bundled seeds.
fn donation(env: &Env) {
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let docx = std::fs::read(formats.join("diary.docx")).expect("docx fixture");
    let inner = zip(&[("letters/1947.txt", b"Kuznetsov wrote from Taishet in 1947.")]);
    let outer = zip(&[
        ("diary.docx", &docx),
        ("inner.zip", &inner),
        ("song.mp3", b"\xff\xfb\x90 not a document"),
    ]);
    let corpus = env.path("corpus");
    std::fs::write(corpus.join("donation.zip"), outer).expect("zip");
    let tgz = tar_gz(&[(
        "papers/telegram.txt",
        b"Telegram: ship Koan Maru left Nakhodka.",
    )]);
    std::fs::write(corpus.join("papers.tar.gz"), tgz).expect("tar.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"Register of arrivals at Hakodate.")
        .expect("gz");
    std::fs::write(corpus.join("register.txt.gz"), gz.finish().expect("gz")).expect("gz");
    std::fs::write(corpus.join("mail.eml"), MAIL).expect("eml");
}

/// The hit's path as the terminal names it: the file, then `!/` and the member.
fn located(hit: &Hit) -> String {
    let name = hit.path.rsplit('/').next().unwrap_or("").to_string();
    match hit.part.as_deref() {
        Some(member) if member.starts_with("!/") => format!("{name}{member}"),
        _ => name,
    }
}

#[test]
fn members_of_containers_and_attachments_are_documents_of_their_own() {
    let env = Env::new();
    donation(&env);
    let out = env.run(&["ingest", "--report", "report.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The unreadable member has its one line, naming the container and the member.
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.contains("skipped") && l.contains("donation.zip!/song.mp3")),
        "{err}"
    );
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the documented JSON");
    let zip_outcome = report
        .files
        .iter()
        .find(|f| f.path.ends_with("/donation.zip"))
        .expect("the container has its outcome");
    assert_eq!(zip_outcome.outcome, "added");
    assert_eq!(
        zip_outcome.documents,
        Some(2),
        "the DOCX and the nested letter"
    );
    assert!(
        report
            .files
            .iter()
            .any(|f| f.path.ends_with("donation.zip!/song.mp3") && f.outcome == "skipped")
    );

    // Where each query's hits are, in any order.
    let found =
        |query: &str| -> BTreeSet<String> { env.search(query).hits.iter().map(located).collect() };
    assert_eq!(
        found("Taishet"),
        set(&[
            "donation.zip!/diary.docx",
            "donation.zip!/inner.zip!/letters/1947.txt"
        ])
    );
    assert_eq!(found("Koan"), set(&["papers.tar.gz!/papers/telegram.txt"]));
    assert_eq!(found("Hakodate"), set(&["register.txt.gz!/register.txt"]));
    assert_eq!(found("Vladivostok"), set(&["mail.eml!/inventory.txt"]));
    assert_eq!(found("attached"), set(&["mail.eml"]));
    // A member keeps its own format, title and extension.
    let docx = env.search("Sakuragi");
    assert_eq!(docx.hits[0].format, "docx");
    assert_eq!(docx.hits[0].title, "Sakuragi diary, 1946");
    assert_eq!(
        found("ext:docx Taishet"),
        set(&["donation.zip!/diary.docx"])
    );
    // The terminal names both.
    let plain = stdout(&env.run(&["search", "--color", "never", "Koan"]));
    assert!(
        plain.contains("corpus/papers.tar.gz!/papers/telegram.txt"),
        "{plain}"
    );

    // A changed container replaces all its members; a deleted one takes them along.
    std::fs::write(
        env.path("corpus/donation.zip"),
        zip(&[("new.txt", b"Only Irkutsk now.")]),
    )
    .expect("rewrite");
    std::fs::remove_file(env.path("corpus/papers.tar.gz")).expect("remove");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(found("Taishet").is_empty());
    assert_eq!(found("Irkutsk"), set(&["donation.zip!/new.txt"]));
    assert!(found("Koan").is_empty());
}

#[test]
fn a_corrupt_container_fails_alone() {
    let env = Env::new();
    std::fs::write(env.path("corpus/broken.zip"), b"PK\x03\x04 cut short").expect("write");
    std::fs::write(env.path("corpus/broken.tar.gz"), b"\x1f\x8b\x08 cut short").expect("write");
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["broken.zip", "broken.tar.gz"] {
        assert_eq!(
            err.lines()
                .filter(|l| l.contains("failed") && l.contains(name))
                .count(),
            1,
            "{err}"
        );
    }
    assert_eq!(seeds(&env.search("Maizuru")), set(&["001", "004"]));
}
