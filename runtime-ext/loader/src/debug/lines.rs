//! Decodes the relocated `.debug_line` of an object into (address, file, line) rows: the
//! Python source positions that the jitdump DEBUG_INFO records carry to perf.

use gimli::{EndianSlice, LittleEndian, SectionId};

use super::image::Image;
use crate::elf::Parsed;

/// One row of the line table at its final address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineRow {
    pub(crate) address: u64,
    pub(crate) file: String,
    pub(crate) line: u32,
}

type Slice<'a> = EndianSlice<'a, LittleEndian>;

/// All rows of all line programs, sorted by address; end-of-sequence rows are dropped.
pub(crate) fn decode(parsed: &Parsed<'_>, image: &Image) -> Result<Vec<LineRow>, gimli::Error> {
    let dwarf = gimli::Dwarf::load(|id: SectionId| -> Result<Slice<'_>, gimli::Error> {
        let data = parsed
            .section_index(id.name())
            .map_or(&[][..], |i| image.section(parsed, i));
        Ok(EndianSlice::new(data, LittleEndian))
    })?;
    let mut out = Vec::new();
    let mut units = dwarf.units();
    while let Some(header) = units.next()? {
        let unit = dwarf.unit(header)?;
        let Some(program) = unit.line_program.clone() else {
            continue;
        };
        let mut rows = program.rows();
        while let Some((header, row)) = rows.next_row()? {
            if row.end_sequence() {
                continue;
            }
            let Some(line) = row.line() else { continue };
            let file = match row.file(header) {
                Some(f) => {
                    let name = dwarf
                        .attr_string(&unit, f.path_name())?
                        .to_string_lossy()
                        .into_owned();
                    let dir = match f.directory(header) {
                        Some(d) => dwarf.attr_string(&unit, d)?.to_string_lossy().into_owned(),
                        None => String::new(),
                    };
                    if name.starts_with('/') || dir.is_empty() {
                        name
                    } else {
                        format!("{dir}/{name}")
                    }
                }
                None => String::new(),
            };
            out.push(LineRow {
                address: row.address(),
                file,
                line: u32::try_from(line.get()).unwrap_or(u32::MAX),
            });
        }
    }
    out.sort_by_key(|r| r.address);
    Ok(out)
}
