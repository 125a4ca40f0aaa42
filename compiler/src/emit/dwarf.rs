//! DWARF 5 debug info for one object: one compile unit named after the Python source file, a
//! `DW_TAG_subprogram` per function (`s6::module.qualname`, low/high pc) and a line program
//! whose rows map machine code to Python lines, so gdb and perf show `file.py:LINE`.

use std::path::Path;

use gimli::write::{
    Address, AttributeValue, DwarfUnit, LineProgram, LineString, Range, RangeList, Sections,
};

use super::relocwriter::RelocVec;
use super::{EmitError, FunctionCode};

const PRODUCER: &str = concat!("s6c ", env!("CARGO_PKG_VERSION"));

/// Writes the sections; `Address::Symbol { symbol: i }` in the relocations means function `i`.
pub(crate) fn write(
    source: &str,
    functions: &[FunctionCode],
) -> Result<Sections<RelocVec>, EmitError> {
    let enc = gimli::Encoding {
        format: gimli::Format::Dwarf32,
        version: 5,
        address_size: 8,
    };
    let path = Path::new(source);
    let dir = path
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_owned());

    let mut dwarf = DwarfUnit::new(enc);
    let comp_dir = LineString::new(dir.as_bytes(), enc, &mut dwarf.line_strings);
    let comp_file = LineString::new(file_name.as_bytes(), enc, &mut dwarf.line_strings);
    dwarf.unit.line_program = LineProgram::new(
        enc,
        gimli::LineEncoding::default(),
        comp_dir,
        None,
        comp_file,
        None,
    );
    let dir_id = dwarf.unit.line_program.default_directory();
    let file_string = LineString::new(file_name.as_bytes(), enc, &mut dwarf.line_strings);
    let file = dwarf.unit.line_program.add_file(file_string, dir_id, None);

    let mut ranges = Vec::with_capacity(functions.len());
    for (i, f) in functions.iter().enumerate() {
        let start = Address::Symbol {
            symbol: i,
            addend: 0,
        };
        let len = f.code.len() as u64;
        let lp = &mut dwarf.unit.line_program;
        lp.begin_sequence(Some(start));
        // Every pc of the function has a row: the prologue (before the first source row)
        // takes the first line. The first real row carries `prologue_end`, so that gdb's
        // `break s6::f` stops where the body starts instead of skipping the whole first line
        // (which it would if the line began at offset 0 and ran on past the prologue).
        let rows: Vec<(u32, u32)> = f
            .rows
            .iter()
            .filter(|r| r.line != 0)
            .map(|r| (r.offset, r.line))
            .collect();
        if let Some(&(first_offset, first_line)) = rows.first()
            && first_offset != 0
        {
            let row = lp.row();
            row.address_offset = 0;
            row.file = file;
            row.line = u64::from(first_line);
            lp.generate_row();
        }
        let mut last_line = 0;
        for (i, (offset, line)) in rows.into_iter().enumerate() {
            if i > 0 && line == last_line {
                continue;
            }
            last_line = line;
            let row = lp.row();
            row.address_offset = u64::from(offset);
            row.file = file;
            row.line = u64::from(line);
            row.prologue_end = i == 0;
            lp.generate_row();
        }
        lp.end_sequence(len);
        ranges.push(Range::StartLength {
            begin: start,
            length: len,
        });

        let root = dwarf.unit.root();
        let sp = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let name = dwarf.strings.add(f.symbol.as_bytes());
        let first_line = f.rows.iter().map(|r| r.line).find(|&l| l != 0).unwrap_or(0);
        let e = dwarf.unit.get_mut(sp);
        e.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
        e.set(gimli::DW_AT_external, AttributeValue::Flag(true));
        e.set(
            gimli::DW_AT_decl_file,
            AttributeValue::FileIndex(Some(file)),
        );
        e.set(
            gimli::DW_AT_decl_line,
            AttributeValue::Udata(u64::from(first_line)),
        );
        e.set(gimli::DW_AT_low_pc, AttributeValue::Address(start));
        e.set(gimli::DW_AT_high_pc, AttributeValue::Udata(len));
    }
    let range_list = dwarf.unit.ranges.add(RangeList(ranges));
    let root = dwarf.unit.root();
    let producer = dwarf.strings.add(PRODUCER);
    let name = dwarf.strings.add(source.as_bytes());
    let comp_dir = dwarf.strings.add(dir.as_bytes());
    let e = dwarf.unit.get_mut(root);
    e.set(gimli::DW_AT_producer, AttributeValue::StringRef(producer));
    e.set(
        gimli::DW_AT_language,
        AttributeValue::Language(gimli::DW_LANG_Python),
    );
    e.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
    e.set(gimli::DW_AT_comp_dir, AttributeValue::StringRef(comp_dir));
    e.set(
        gimli::DW_AT_low_pc,
        AttributeValue::Address(Address::Constant(0)),
    );
    e.set(
        gimli::DW_AT_ranges,
        AttributeValue::RangeListRef(range_list),
    );

    let mut sections = Sections::new(RelocVec::default());
    dwarf.write(&mut sections)?;
    Ok(sections)
}
