//! SSSOM/TSV: the metadata block (YAML, each line behind `#`), then a
//! header row and one tab-separated row per mapping. Values never hold a
//! tab or a line break (they are replaced by spaces), and the YAML values
//! are quoted by the YAML emitter's rules (JSON strings are valid YAML).

use std::io::{self, Write};

use crate::report::sssom::{COLUMNS, MappingSet};

fn cell(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if crate::text::is_forbidden(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn quoted(text: &str) -> String {
    serde_json::to_string(&cell(text)).unwrap_or_else(|_| "\"\"".to_string())
}

/// Writes `set` as SSSOM/TSV.
pub fn write(w: &mut dyn Write, set: &MappingSet) -> io::Result<()> {
    writeln!(w, "#curie_map:")?;
    for (prefix, expansion) in &set.curie_map {
        writeln!(w, "#  {}: {}", prefix, quoted(expansion))?;
    }
    writeln!(w, "#mapping_set_id: {}", quoted(&set.id))?;
    writeln!(w, "#mapping_set_title: {}", quoted(&set.title))?;
    writeln!(w, "#mapping_set_description: {}", quoted(&set.description))?;
    writeln!(w, "#license: {}", quoted(&set.license))?;
    writeln!(w, "{}", COLUMNS.join("\t"))?;
    for r in &set.rows {
        let cells = [
            &r.subject_id,
            &r.subject_label,
            &r.predicate_id,
            &r.object_id,
            &r.object_label,
            &r.mapping_justification,
            &r.subject_source,
            &r.object_source,
            &r.object_source_version,
            &r.comment,
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        writeln!(w, "{}", line.join("\t"))?;
    }
    Ok(())
}
