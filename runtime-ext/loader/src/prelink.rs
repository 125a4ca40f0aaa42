//! Prelinking: `s6c build` applies, in the object file it writes, the relocations of `.text`
//! whose values do not depend on where the object is mapped. An s6 object's code reaches every
//! symbol through a GOT slot (`R_X86_64_GOTPCREL`), and the loader puts the GOT at a distance
//! from the code that only the object itself decides ([`crate::layout`]), so each such field is
//! the same number wherever the object lands. A prelinked object's `.text` also starts on a
//! page of the file, so the loader can map those pages straight from the file, read and
//! execute only: nothing is copied or written, only the pages that run are read in, and every
//! process using the cache shares them through the page cache. Only the GOT, `.eh_frame` and
//! the binding table are filled per process.
//!
//! The loader does not take a prelinked object's word for it: it recomputes every field and
//! maps the code from the file only when all of them match ([`text_is_prelinked`]); otherwise
//! (another page size, an object written by another tool) it copies and relocates the code as
//! for any object. An object whose `.text` has other relocation kinds is not prelinked.

use crate::elf::{Group, Parsed, parse};
use crate::error::Result;
use crate::loaded::{Plan, plan};
use crate::reloc::{self, Field, Kind};

/// The page size prelinked objects are laid out for (x86-64 Linux); a process with another
/// page size copies their code.
pub const PRELINK_PAGE: usize = 4096;

/// Visits the fields of the object's one code section, `visit(offset, field)`, when the object
/// can be prelinked under `plan`: one code section with contents, at a page boundary of the
/// file and of the mapping, whose relocations are all GOT-relative, and no call stubs. Returns
/// the section's index, or `None` when the object cannot be prelinked or `visit` said stop.
fn visit_text_fields(
    parsed: &Parsed<'_>,
    plan: &Plan,
    mut visit: impl FnMut(usize, Field) -> bool,
) -> Option<usize> {
    let mut exec = parsed
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.group == Group::Exec);
    let (text, sec) = exec.next()?;
    if exec.next().is_some()
        || sec.data.is_none()
        || !sec.file_offset.is_multiple_of(PRELINK_PAGE as u64)
        || !plan.stub_slot.is_empty()
        || plan.layout.section_offset[text] != Some(0)
    {
        return None;
    }
    for set in parsed.relocs.iter().filter(|r| r.target == text) {
        for r in &set.relocs {
            if r.kind != Kind::GotPcRel {
                return None;
            }
            let slot = plan.got_slot.get(r.sym)?;
            let target = (plan.layout.got + slot * 8) as u64;
            let field = reloc::encode(r.kind, target, r.addend, r.offset).ok()?;
            if !visit(r.offset as usize, field) {
                return None;
            }
        }
    }
    Some(text)
}

/// Applies the position-independent relocations of `.text` in the object `bytes` (see the
/// module doc); returns whether the object is now prelinked. `bytes` stays a valid relocatable
/// object (its relocation entries are kept; RELA fields are not read by linkers).
pub fn prelink(bytes: &mut [u8]) -> Result<bool> {
    let (file_offset, fields) = {
        let parsed = parse(bytes)?;
        let plan = plan(&parsed, PRELINK_PAGE)?;
        let mut fields = Vec::new();
        match visit_text_fields(&parsed, &plan, |at, f| {
            fields.push((at, f));
            true
        }) {
            None => return Ok(false),
            Some(text) => (parsed.sections[text].file_offset as usize, fields),
        }
    };
    for (at, f) in fields {
        f.write(bytes, file_offset + at);
    }
    Ok(true)
}

/// The code section's index when its bytes already hold every field `plan` gives them.
pub(crate) fn text_is_prelinked(parsed: &Parsed<'_>, plan: &Plan) -> Option<usize> {
    let data = parsed
        .sections
        .iter()
        .find(|s| s.group == Group::Exec)?
        .data?;
    visit_text_fields(parsed, plan, |at, f| f.matches(data, at))
}
