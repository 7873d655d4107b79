//! Spreadsheets: XLSX and ODS, each sheet's name, then its cells, a row a line.
//!
//! Like DOCX and ODT these are ZIP packages of XML, read through [`super::zipped`]; ODS shares
//! ODT's rules, XLSX is read here: a cell holds a number, an inline string or an index into the
//! shared strings.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::office::{
    ODT_BODY, attribute_values, corrupt, numbered, ooxml_document, package_with_body,
};
use super::zipped::Zipped;
use super::{Extracted, Rejection};

pub fn extract_ods(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let (mut doc, content) =
        package_with_body(bytes, "ODS", ("content.xml", &ODT_BODY), "meta.xml")?;
    // Sheet names lead, so that a search for one finds the spreadsheet.
    let names = attribute_values(&content, "table:name");
    if !names.is_empty() {
        doc.text = format!("{}\n\n{}", names.join("\n"), doc.text);
    }
    Ok(doc)
}

pub fn extract_xlsx(bytes: &[u8]) -> Result<Extracted, Rejection> {
    let mut zip = Zipped::open(bytes, "XLSX")?;
    let workbook = zip.required("xl/workbook.xml")?;
    let shared = match zip.text("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&xml).map_err(|e| corrupt("XLSX", &e))?,
        None => Vec::new(),
    };
    let names = sheet_names(&workbook);
    let mut text = String::new();
    for (i, entry) in numbered(&zip.names(), "xl/worksheets/sheet", ".xml")
        .iter()
        .enumerate()
    {
        let xml = zip.required(entry)?;
        if let Some(name) = names.get(i) {
            text.push_str(name);
            text.push_str("\n\n");
        }
        let room = MAX_TEXT.saturating_sub(text.len());
        match cells(&xml, &shared, room) {
            Ok(Cells::Text(cells)) => text.push_str(&cells),
            Ok(Cells::PastRoom) => {
                return Err(Rejection::Fail(format!(
                    "XLSX text past {} MB (shared strings repeated without end: a bomb?)",
                    MAX_TEXT >> 20
                )));
            }
            Err(e) => return Err(corrupt("XLSX", &e)),
        }
        text.push('\n');
    }
    ooxml_document(&mut zip, text)
}

/// The sheets' names, in workbook order (`<sheet name="…"/>`).
fn sheet_names(workbook: &str) -> Vec<String> {
    workbook
        .split("<sheet ")
        .skip(1)
        .filter_map(|sheet| {
            let sheet = format!(" {}", &sheet[..sheet.find('>').unwrap_or(sheet.len())]);
            attribute_values(&sheet, "name").into_iter().next()
        })
        .map(|name| unescape(&name))
        .collect()
}

fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s).map_or_else(|_| s.to_string(), |u| u.into_owned())
}

/// The shared strings of an XLSX: each `<si>`, its runs' `<t>` joined.
fn shared_strings(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut phonetic = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => current = Some(String::new()),
                "t" => in_text = !phonetic,
                // Phonetic readings (ruby) repeat the text in kana.
                "rPh" => phonetic = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "si" => out.push(current.take().unwrap_or_default()),
                "t" => in_text = false,
                "rPh" => phonetic = false,
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Some(s) = current.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let (Some(s), Some(c)) = (current.as_mut(), reference(&r)) {
                    s.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A character or entity reference's character.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => match &**r {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
    }
}

/// Most text a spreadsheet may give: as much as its package may unpack to. A cell names a
/// shared string by its number, so a few kilobytes can stand for gigabytes of text.
const MAX_TEXT: usize = super::zipped::MAX_EXPANDED_BYTES as usize;

/// A worksheet's text, or that it would not fit in the room left.
#[derive(Debug, PartialEq)]
enum Cells {
    Text(String),
    PastRoom,
}

/// A worksheet's cells, a row a line, cells apart by tabs: numbers as written, strings from
/// the shared table or inline; at most `room` bytes of them.
fn cells(xml: &str, shared: &[String], room: usize) -> Result<Cells, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut cell_type: Option<String> = None;
    let mut value = String::new();
    let mut in_value = false;
    let mut row_has_cells = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => match e.local_name().as_ref() {
                "c" => {
                    cell_type = e
                        .try_get_attribute("t")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned());
                    value.clear();
                }
                "v" | "t" => in_value = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "v" | "t" => in_value = false,
                "c" => {
                    let text = match cell_type.as_deref() {
                        Some("s") => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .cloned()
                            .unwrap_or_default(),
                        _ => value.clone(),
                    };
                    if !text.is_empty() {
                        if out.len() + text.len() + 1 > room {
                            return Ok(Cells::PastRoom);
                        }
                        if row_has_cells {
                            out.push('\t');
                        }
                        out.push_str(&text);
                        row_has_cells = true;
                    }
                }
                "row" => {
                    if row_has_cells {
                        out.push('\n');
                    }
                    row_has_cells = false;
                }
                _ => {}
            },
            Event::Text(t) if in_value => {
                value.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_value => {
                if let Some(c) = reference(&r) {
                    value.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Cells::Text(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_cells_come_from_shared_strings_numbers_and_inline_strings() -> Result<(), String> {
        let shared = shared_strings(
            r#"<sst><si><t>Name</t></si><si><r><t>Tanaka </t></r><r><t>Otozō</t></r></si>
            <si><t>東京</t><rPh><t>トウキョウ</t></rPh></si></sst>"#,
        )?;
        assert_eq!(shared, ["Name", "Tanaka Otozō", "東京"]);
        let sheet = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1947</v></c></row>
            <row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Maizuru &amp; Sasebo</t></is></c></row>
            <row r="3"/></sheetData></worksheet>"#;
        assert_eq!(
            cells(sheet, &shared, usize::MAX)?,
            Cells::Text("Name\t1947\nTanaka Otozō\tMaizuru & Sasebo\n".into())
        );
        // A shared string named more often than there is room for: a bomb, refused.
        assert_eq!(cells(sheet, &shared, 20)?, Cells::PastRoom);
        assert_eq!(
            sheet_names(
                r#"<sheets><sheet name="Roster &amp; ships" sheetId="1"/><sheet name="1948"/></sheets>"#
            ),
            ["Roster & ships", "1948"]
        );
        let names: Vec<String> = [
            "xl/worksheets/sheet10.xml",
            "xl/worksheets/sheet2.xml",
            "xl/styles.xml",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            numbered(&names, "xl/worksheets/sheet", ".xml"),
            ["xl/worksheets/sheet2.xml", "xl/worksheets/sheet10.xml"]
        );
        Ok(())
    }

    #[test]
    fn not_a_package_fails() {
        use super::super::slides::{extract_odp, extract_pptx};
        for extract in [extract_xlsx, extract_pptx, extract_ods, extract_odp] {
            assert!(matches!(
                extract(b"PK\x03\x04junk"),
                Err(Rejection::Fail(_))
            ));
        }
    }
}
