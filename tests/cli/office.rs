//! Spreadsheets and presentations (XLSX, ODS, PPTX, ODP), written at test time as the
//! packages office programs write: ZIP files of XML parts.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::*;

fn package(path: &Path, parts: &[(&str, &str)]) {
    let file = std::fs::File::create(path).expect("create package");
    let mut writer = zip::ZipWriter::new(file);
    for (name, xml) in parts {
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(*name, options).expect("part");
        writer.write_all(xml.as_bytes()).expect("write part");
    }
    writer.finish().expect("finish package");
}

const CORE: &str = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Camp roster 1947</dc:title><dc:creator>Repatriation office</dc:creator></cp:coreProperties>"#;

fn odf(path: &Path, mimetype: &str, body: &str) {
    let content = format!(
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><office:body>{body}</office:body></office:document-content>"#
    );
    package(path, &[("mimetype", mimetype), ("content.xml", &content)]);
}

#[test]
fn spreadsheets_and_presentations_are_read() {
    let env = Env::new();
    let corpus = env.path("corpus");
    package(
        &corpus.join("roster.xlsx"),
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "xl/workbook.xml",
                r#"<workbook><sheets><sheet name="Arrivals at Hakodate" sheetId="1"/></sheets></workbook>"#,
            ),
            (
                "xl/sharedStrings.xml",
                "<sst><si><t>Name</t></si><si><t>Yoshida Kazuo</t></si></sst>",
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet><sheetData><row r="1"><c t="s"><v>0</v></c><c><v>1947</v></c></row><row r="2"><c t="s"><v>1</v></c><c t="inlineStr"><is><t>Koan Maru</t></is></c></row></sheetData></worksheet>"#,
            ),
            ("docProps/core.xml", CORE),
        ],
    );
    package(
        &corpus.join("talk.pptx"),
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "ppt/slides/slide1.xml",
                r#"<p:sld xmlns:a="a" xmlns:p="p"><a:p><a:r><a:t>Return from Siberia</a:t></a:r></a:p><a:p><a:r><a:t>Ships at Sasebo</a:t></a:r></a:p></p:sld>"#,
            ),
            (
                "ppt/notesSlides/notesSlide1.xml",
                r#"<p:notes xmlns:a="a" xmlns:p="p"><a:p><a:r><a:t>Speaker notes on Ukhta</a:t></a:r></a:p></p:notes>"#,
            ),
        ],
    );
    odf(
        &corpus.join("ledger.ods"),
        "application/vnd.oasis.opendocument.spreadsheet",
        r#"<office:spreadsheet><table:table table:name="Rations Karaganda"><table:table-row><table:table-cell><text:p>Flour</text:p></table:table-cell><table:table-cell><text:p>Zhezkazgan</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"#,
    );
    odf(
        &corpus.join("slides.odp"),
        "application/vnd.oasis.opendocument.presentation",
        r#"<office:presentation><draw:page><draw:frame><draw:text-box><text:p>Arrival in Nakhodka harbour</text:p></draw:text-box></draw:frame></draw:page></office:presentation>"#,
    );
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (query, file, format) in [
        ("Yoshida", "roster.xlsx", "xlsx"),
        ("\"Koan Maru\"", "roster.xlsx", "xlsx"),
        ("Hakodate", "roster.xlsx", "xlsx"),
        ("Sasebo", "talk.pptx", "pptx"),
        ("Ukhta", "talk.pptx", "pptx"),
        ("Karaganda", "ledger.ods", "ods"),
        ("Zhezkazgan", "ledger.ods", "ods"),
        ("Nakhodka", "slides.odp", "odp"),
    ] {
        let results = env.search(query);
        let hit = results.hit(file);
        assert_eq!(hit.format, format, "{query}");
    }
    let roster = env.search("Yoshida");
    assert_eq!(roster.hits[0].title, "Camp roster 1947");
    assert_eq!(
        roster.hits[0].author.as_deref(),
        Some("Repatriation office")
    );
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// An Outlook message as Outlook saves it: an OLE compound file of MAPI property streams,
/// with one attachment.
fn outlook_message(path: &Path) {
    let mut file = cfb::create(path).expect("create msg");
    for (name, bytes) in [
        ("/__substg1.0_0037001F", utf16("Transport list")),
        ("/__substg1.0_0C1A001F", utf16("Hakodate office")),
        ("/__substg1.0_1000001F", utf16("Ships due at Uraga in May.")),
    ] {
        file.create_stream(name)
            .and_then(|mut s| s.write_all(&bytes))
            .expect("stream");
    }
    file.create_storage("/__attach_version1.0_#00000000")
        .expect("storage");
    for (name, bytes) in [
        (
            "/__attach_version1.0_#00000000/__substg1.0_3707001F",
            utf16("ships.txt"),
        ),
        (
            "/__attach_version1.0_#00000000/__substg1.0_37010102",
            b"Eian Maru, Shinei Maru".to_vec(),
        ),
    ] {
        file.create_stream(name)
            .and_then(|mut s| s.write_all(&bytes))
            .expect("stream");
    }
    file.flush().expect("flush");
}

#[test]
fn rtf_and_outlook_messages_are_read() {
    let env = Env::new();
    let corpus = env.path("corpus");
    // Word's RTF of a Japanese letter: Shift_JIS bytes (シベリア), and a \u character.
    std::fs::write(
        corpus.join("letter.rtf"),
        b"{\\rtf1\\ansi\\ansicpg932{\\fonttbl{\\f0 MS Mincho;}}{\\info{\\title Letter from Nakhodka}}\
          \\pard \\'83\\'56\\'83\\'78\\'83\\'8a\\'83\\'41 Otoz\\u333?\\par}",
    )
    .expect("rtf");
    outlook_message(&corpus.join("memo.msg"));
    let out = env.run(&["ingest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let found = env.search("シベリア");
    let rtf = found.hit("letter.rtf");
    assert_eq!(rtf.title, "Letter from Nakhodka");
    assert_eq!(rtf.format, "rtf");
    assert_eq!(rtf.encoding.as_deref(), Some("Shift_JIS"));
    // \u333 is ō: found by its folded form.
    assert!(ranked_names(&env.search("Otozo")).contains(&"letter.rtf".to_string()));
    assert!(
        !env.search("Mincho")
            .hits
            .iter()
            .any(|h| h.path.ends_with("letter.rtf"))
    );
    let memo = env.search("Uraga");
    assert_eq!(ranked_names(&memo), ["memo.msg"]);
    assert_eq!(memo.hits[0].title, "Transport list");
    assert_eq!(memo.hits[0].author.as_deref(), Some("Hakodate office"));
    let attached = env.search("Shinei");
    assert_eq!(attached.hits[0].part.as_deref(), Some("!/ships.txt"));
}
