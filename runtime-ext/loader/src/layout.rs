//! Where each part of an object goes inside its one mapping:
//!
//! ```text
//! [ exec: text sections, call stubs ] [ ro: rodata, .eh_frame + zero word, GOT ] [ rw: bindings, data ]
//!   page-aligned, RX                     page-aligned, R after relocation          RW
//! ```
//!
//! Keeping everything in one mapping keeps every internal reference (calls to stubs, GOT loads,
//! `.eh_frame`'s pc-relative FDE addresses) within rel32 reach.

use std::ops::Range;

use crate::elf::{Group, Parsed};
use crate::error::{LoadError, Result};

/// Bytes of one call stub: `jmp *[rip+0]; .quad target` padded to 16.
pub(crate) const STUB_SIZE: usize = 16;
/// The largest object we map.
const MAX_TOTAL: usize = 1 << 30;

pub(crate) struct Layout {
    /// Offset of each loaded section in the region, by section index.
    pub(crate) section_offset: Vec<Option<usize>>,
    pub(crate) stubs: usize,
    pub(crate) got: usize,
    /// `.eh_frame` offset and length including its zero terminator.
    pub(crate) eh_frame: Option<(usize, usize)>,
    pub(crate) exec: Range<usize>,
    pub(crate) read_only: Range<usize>,
    pub(crate) total: usize,
}

fn align_up(x: usize, a: usize) -> Result<usize> {
    x.checked_add(a - 1)
        .map(|v| v & !(a - 1))
        .filter(|&v| v <= MAX_TOTAL)
        .ok_or_else(|| LoadError::Unsupported("object too large".into()))
}

pub(crate) fn compute(
    parsed: &Parsed<'_>,
    n_stubs: usize,
    n_got: usize,
    page: usize,
) -> Result<Layout> {
    let mut section_offset = vec![None; parsed.sections.len()];
    let mut eh_frame = None;
    let mut at = 0usize;
    let mut place = |group: Group, at: &mut usize, eh: &mut Option<(usize, usize)>| -> Result<()> {
        for (i, s) in parsed.sections.iter().enumerate() {
            if s.group != group {
                continue;
            }
            *at = align_up(*at, s.align as usize)?;
            section_offset[i] = Some(*at);
            let mut len = s.size as usize;
            if s.name == ".eh_frame" {
                if eh.is_some() {
                    return Err(LoadError::Unsupported("two .eh_frame sections".into()));
                }
                // libgcc walks the section until a zero length word.
                len += 4;
                *eh = Some((*at, len));
            }
            *at = align_up(*at + len, 1)?;
        }
        Ok(())
    };
    place(Group::Exec, &mut at, &mut eh_frame)?;
    at = align_up(at, STUB_SIZE)?;
    let stubs = at;
    at = align_up(at + n_stubs * STUB_SIZE, page)?;
    let exec = 0..at;
    place(Group::ReadOnly, &mut at, &mut eh_frame)?;
    at = align_up(at, 8)?;
    let got = at;
    at = align_up(at + n_got * 8, page)?;
    let read_only = exec.end..at;
    place(Group::Writable, &mut at, &mut eh_frame)?;
    at = align_up(at, page)?;
    let total = at.max(page);
    Ok(Layout {
        section_offset,
        stubs,
        got,
        eh_frame,
        exec,
        read_only,
        total,
    })
}
