//! Reads a written object back and disassembles one function (iced-x86, Intel syntax),
//! annotated with the bytecode index and `file:line` of each source row (from `.s6.srcmap`)
//! and the symbol each relocated instruction refers to. Backs `s6c inspect asm`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget};

use super::SRCMAP_SECTION;
use super::srcmap;

/// The listing of `symbol` in the object `bytes`; `source` names the Python file for the
/// `file:line` annotations, `source_line(line)` may give the text of a line.
pub fn disassemble(
    bytes: &[u8],
    symbol: &str,
    source: &str,
    source_line: &dyn Fn(u32) -> Option<String>,
) -> Result<String, String> {
    let file = object::File::parse(bytes).map_err(|e| format!("not an object file: {e}"))?;
    let sym = file
        .symbols()
        .find(|s| s.name() == Ok(symbol) && s.is_definition())
        .ok_or_else(|| format!("symbol `{symbol}` is not defined in the object"))?;
    let text_index = sym
        .section_index()
        .ok_or("function symbol has no section")?;
    let text = file
        .section_by_index(text_index)
        .map_err(|e| e.to_string())?;
    let data = text.data().map_err(|e| e.to_string())?;
    let (start, size) = (sym.address(), sym.size());
    let end = start
        .checked_add(size)
        .ok_or("function symbol lies outside its section")?;
    let code = usize::try_from(start)
        .ok()
        .zip(usize::try_from(end).ok())
        .and_then(|(s, e)| data.get(s..e))
        .ok_or("function symbol lies outside its section")?;

    // Relocated fields, by .text offset.
    let mut relocs: BTreeMap<u64, String> = BTreeMap::new();
    for (off, r) in text.relocations() {
        if let RelocationTarget::Symbol(i) = r.target() {
            let name = file
                .symbol_by_index(i)
                .ok()
                .and_then(|s| s.name().ok().map(str::to_owned));
            relocs.insert(off, name.unwrap_or_default());
        }
    }
    let rows = file
        .section_by_name(SRCMAP_SECTION)
        .and_then(|s| s.data().ok())
        .and_then(srcmap::decode)
        .unwrap_or_default();
    let rows: BTreeMap<u64, srcmap::SrcRecord> = rows
        .into_iter()
        .filter(|r| (start..end).contains(&u64::from(r.text_offset)))
        .map(|r| (u64::from(r.text_offset), r))
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "{symbol}: {size} bytes");
    let mut decoder = Decoder::with_ip(64, code, start, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut insn = Instruction::default();
    let mut text_buf = String::new();
    let mut last_row: Option<(u32, u32)> = None;
    while decoder.can_decode() {
        decoder.decode_out(&mut insn);
        let ip = insn.ip();
        if let Some((_, r)) = rows.range(..=ip).next_back()
            && last_row != Some((r.index, r.line))
        {
            last_row = Some((r.index, r.line));
            let src = source_line(r.line)
                .map(|s| format!("  {}", s.trim()))
                .unwrap_or_default();
            let _ = writeln!(out, "  ; @{} {}:{}{}", r.index, source, r.line, src);
        }
        text_buf.clear();
        formatter.format(&insn, &mut text_buf);
        let note = relocs
            .range(ip..ip + insn.len() as u64)
            .next()
            .map(|(_, n)| format!("  ; {n}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {:6x}:  {text_buf}{note}", ip - start);
    }
    Ok(out)
}
