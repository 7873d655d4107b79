//! `--facets`: the whole result set counted by language, year mentioned, top-level folder and
//! entities written (e-mail, URL, domain, phone, IBAN), from fast fields (nothing stored is read).

use std::collections::HashMap;

use anyhow::Result;
use tantivy::Searcher;
use tantivy::collector::DocSetCollector;
use tantivy::query::Query;

use super::near::{Grouping, NearGroups, Threshold};
use crate::entities::Kind;
use crate::near::Signature;
use crate::schema::Fields;

/// Counts over the whole result set (`--facets`), largest first.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub langs: Vec<(String, u64)>,
    pub years: Vec<(u64, u64)>,
    /// Months of the dates written (`1946-07`), documents per month.
    pub months: Vec<(String, u64)>,
    pub folders: Vec<(String, u64)>,
    /// The archivist's tags on matching documents (filled by the search, which has them).
    pub tags: Vec<(String, u64)>,
    /// The entities of the variants file the matching documents name (filled by the search).
    pub names: Vec<(String, u64)>,
    /// The [`ENTITY_VALUES`] entities of each kind written in the most matching documents, in
    /// [`Kind::ALL`] order.
    pub entities: Vec<(Kind, Vec<(String, u64)>)>,
    /// Groups of matching documents that are near copies of each other (or identical), and
    /// the documents in them.
    pub near: NearGroups,
}

/// Values of each kind of entity a facet lists: the most frequent (a mailing list's archive
/// has thousands of addresses).
pub const ENTITY_VALUES: usize = 20;

/// Languages, years, top-level folders and entities of every matching document, from fast
/// fields.
pub fn count(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    threshold: Threshold,
) -> Result<Facets> {
    let matching = searcher.search(query, &DocSetCollector)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for address in matching {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push(address.doc_id);
    }
    let schema = searcher.schema();
    let name = |f| schema.get_field_name(f).to_string();
    // Every string column counted, with whether a document counts once in it (a file's one
    // folder) or for each of its values.
    let mut columns = vec![(fields.langs, false), (fields.folder, true)];
    columns.extend(Kind::ALL.map(|kind| (fields.entity(kind), false)));
    let mut counts: Vec<HashMap<String, u64>> = vec![HashMap::new(); columns.len()];
    let mut years: HashMap<u64, u64> = HashMap::new();
    let mut months: HashMap<u64, u64> = HashMap::new();
    let mut buffer = String::new();
    let mut grouping = Grouping::new(threshold);
    for (segment, docs) in by_segment {
        let fast = searcher.segment_reader(segment).fast_fields();
        if let Ok(near) = fast.u64(&name(fields.near)) {
            for &doc in &docs {
                grouping.add(Signature::from_values(near.values_for_doc(doc)));
            }
        }
        let year_column = fast.u64(&name(fields.years))?;
        for year in docs.iter().flat_map(|&doc| year_column.values_for_doc(doc)) {
            *years.entry(year).or_default() += 1;
        }
        let date_column = fast.u64(&name(fields.dates))?;
        let mut of_doc: Vec<u64> = Vec::new();
        for &doc in &docs {
            // A document counts once a month, however many of its days it writes.
            of_doc.clear();
            of_doc.extend(
                date_column
                    .values_for_doc(doc)
                    .filter(|key| key / 100 % 100 != 0)
                    .map(|key| key / 100),
            );
            of_doc.sort_unstable();
            of_doc.dedup();
            for month in &of_doc {
                *months.entry(*month).or_default() += 1;
            }
        }
        for ((field, first_only), counts) in columns.iter().zip(&mut counts) {
            let Some(column) = fast.str(&name(*field))? else {
                continue;
            };
            // Counted by term ordinal, and each ordinal read once: reading a string
            // decompresses a block of the column's dictionary.
            let mut ords: HashMap<u64, u64> = HashMap::new();
            for &doc in &docs {
                let values = column
                    .term_ords(doc)
                    .take(if *first_only { 1 } else { usize::MAX });
                for ord in values {
                    *ords.entry(ord).or_default() += 1;
                }
            }
            for (ord, count) in ords {
                buffer.clear();
                if column.ord_to_str(ord, &mut buffer)? {
                    *counts.entry(buffer.clone()).or_default() += count;
                }
            }
        }
    }
    fn largest_first<K: Ord>(map: HashMap<K, u64>) -> Vec<(K, u64)> {
        let mut v: Vec<(K, u64)> = map.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
    let mut counts = counts.into_iter().map(largest_first);
    let langs = counts.next().unwrap_or_default();
    let folders = counts.next().unwrap_or_default();
    let entities = Kind::ALL
        .into_iter()
        .zip(counts)
        .map(|(kind, mut values)| {
            values.truncate(ENTITY_VALUES);
            (kind, values)
        })
        .collect();
    let months = largest_first(months)
        .into_iter()
        .map(|(month, count)| (format!("{:04}-{:02}", month / 100, month % 100), count))
        .collect();
    Ok(Facets {
        langs,
        years: largest_first(years),
        months,
        folders,
        tags: Vec::new(),
        names: Vec::new(),
        entities,
        near: grouping.groups(),
    })
}

#[cfg(test)]
mod tests {
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{TantivyDocument, Term, doc};

    use super::*;
    use crate::store::Store;

    #[test]
    fn counts_languages_years_and_folders_of_what_matches() -> Result<()> {
        let store = Store::in_ram();
        let f = &store.fields;
        let mut writer = store.index.writer_with_num_threads(1, 15_000_000)?;
        for (body, langs, years, folder) in [
            (
                "maizuru",
                &["en", "ja"][..],
                &[1945u64, 1956][..],
                "letters",
            ),
            ("maizuru", &["en"], &[1945], "letters"),
            ("maizuru", &["ru"], &[], "reports"),
            ("nakhodka", &["ru"], &[1946], "reports"),
        ] {
            let mut document: TantivyDocument = doc!(f.body => body, f.folder => folder);
            for lang in langs {
                document.add_text(f.langs, lang);
            }
            for year in years {
                document.add_u64(f.years, *year);
            }
            writer.add_document(document)?;
            // One segment per document: counts are summed across segments.
            writer.commit()?;
        }
        let searcher = store.reader()?.searcher();
        let maizuru = TermQuery::new(
            Term::from_field_text(f.body, "maizuru"),
            IndexRecordOption::Basic,
        );
        let counted = count(&searcher, f, &maizuru, Threshold::default())?;
        assert_eq!(
            counted.langs,
            [
                ("en".to_string(), 2),
                ("ja".to_string(), 1),
                ("ru".to_string(), 1)
            ],
            "largest first, ties by name"
        );
        assert_eq!(counted.years, [(1945, 2), (1956, 1)]);
        assert_eq!(
            counted.folders,
            [("letters".to_string(), 2), ("reports".to_string(), 1)]
        );
        let all = count(&searcher, f, &AllQuery, Threshold::default())?;
        assert_eq!(
            all.folders,
            [("letters".to_string(), 2), ("reports".to_string(), 2)]
        );
        Ok(())
    }
}
