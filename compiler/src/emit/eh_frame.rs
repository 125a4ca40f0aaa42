//! `.eh_frame` from Cranelift's System V unwind info: one CIE, one FDE per function, FDE
//! addresses pc-relative (`DW_EH_PE_pcrel | DW_EH_PE_sdata4`, i.e. `R_X86_64_PC32`) so the
//! section needs no absolute relocation (no TEXTREL when linked into a PIE), terminated by a
//! zero word as libgcc's `__register_frame` expects.

use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::isa::unwind::UnwindInfo;
use gimli::write::{Address, EhFrame, FrameTable, Writer};

use super::relocwriter::RelocVec;
use super::{EmitError, FunctionCode};

/// Writes the table; `Address::Symbol { symbol: i }` in the relocations means function `i`.
pub(crate) fn write(
    isa: &dyn TargetIsa,
    functions: &[FunctionCode],
) -> Result<RelocVec, EmitError> {
    let mut cie = isa
        .create_systemv_cie()
        .ok_or_else(|| EmitError::NoUnwind("<cie>".into()))?;
    cie.fde_address_encoding = gimli::constants::DW_EH_PE_pcrel | gimli::constants::DW_EH_PE_sdata4;
    let mut table = FrameTable::default();
    let cie_id = table.add_cie(cie);
    for (i, f) in functions.iter().enumerate() {
        match &f.unwind {
            Some(UnwindInfo::SystemV(u)) => table.add_fde(
                cie_id,
                u.to_fde(Address::Symbol {
                    symbol: i,
                    addend: 0,
                }),
            ),
            _ => return Err(EmitError::NoUnwind(f.symbol.clone())),
        }
    }
    let mut eh = EhFrame(RelocVec::default());
    table.write_eh_frame(&mut eh)?;
    let mut out = eh.0;
    // Terminator: a zero-length entry.
    out.w.write_u32(0)?;
    Ok(out)
}
