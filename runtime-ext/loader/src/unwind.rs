//! Registers a loaded object's `.eh_frame` with the process unwinder, so that C++/Rust
//! unwinders, `backtrace()` and in-process profilers walk through native frames.
//!
//! Two unwinders implement `__register_frame` with different contracts: libgcc takes a whole
//! `.eh_frame` section ending in a zero length word; LLVM libunwind takes one FDE per call. As
//! wasmtime does, LLVM libunwind is recognised by its `__unw_add_dynamic_fde` export.

use std::sync::OnceLock;

type FrameFn = unsafe extern "C" fn(*const u8);

struct Unwinder {
    register: FrameFn,
    deregister: FrameFn,
    per_fde: bool,
}

fn lookup(name: &std::ffi::CStr) -> *mut libc::c_void {
    // SAFETY: dlsym with a NUL-terminated name; RTLD_DEFAULT searches the global scope.
    unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) }
}

fn unwinder() -> Option<&'static Unwinder> {
    static UNWINDER: OnceLock<Option<Unwinder>> = OnceLock::new();
    UNWINDER
        .get_or_init(|| {
            let register = lookup(c"__register_frame");
            let deregister = lookup(c"__deregister_frame");
            if register.is_null() || deregister.is_null() {
                return None;
            }
            // SAFETY: both symbols have the C signature `void f(const void *)` in libgcc and
            // LLVM libunwind alike.
            let (register, deregister) = unsafe {
                (
                    std::mem::transmute::<*mut libc::c_void, FrameFn>(register),
                    std::mem::transmute::<*mut libc::c_void, FrameFn>(deregister),
                )
            };
            let per_fde = !lookup(c"__unw_add_dynamic_fde").is_null();
            Some(Unwinder {
                register,
                deregister,
                per_fde,
            })
        })
        .as_ref()
}

/// What was handed to the unwinder; deregistered (in reverse order) on drop.
pub(crate) struct Registration {
    unwinder: &'static Unwinder,
    entries: Vec<usize>,
}

/// Offsets of the FDEs in an `.eh_frame` image (CIEs have id 0); stops at the zero terminator
/// or at anything malformed.
pub(crate) fn fde_offsets(eh: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut off = 0usize;
    while off + 8 <= eh.len() {
        let len = u32::from_le_bytes(eh[off..off + 4].try_into().unwrap_or_default());
        if len == 0 || len == u32::MAX {
            break;
        }
        let id = u32::from_le_bytes(eh[off + 4..off + 8].try_into().unwrap_or_default());
        if id != 0 {
            out.push(off);
        }
        match off.checked_add(4 + len as usize) {
            Some(next) if next <= eh.len() => off = next,
            _ => break,
        }
    }
    out
}

/// Checks a relocated `.eh_frame` (at address `eh_addr`) before the unwinder sees it: every
/// CIE and FDE parses, every CFA program runs, and every FDE covers only `text`. A corrupt
/// table would otherwise crash some later, unrelated unwind in the process.
pub(crate) fn validate(eh: &[u8], eh_addr: u64, text: std::ops::Range<u64>) -> Result<(), String> {
    use gimli::{BaseAddresses, CieOrFde, EhFrame, LittleEndian, UnwindContext, UnwindSection};
    let section = EhFrame::new(eh, LittleEndian);
    let bases = BaseAddresses::default()
        .set_eh_frame(eh_addr)
        .set_text(text.start);
    let mut ctx = UnwindContext::new();
    let mut entries = section.entries(&bases);
    let err = |e: gimli::Error| format!(".eh_frame: {e}");
    while let Some(entry) = entries.next().map_err(err)? {
        match entry {
            CieOrFde::Cie(cie) => {
                let mut ins = cie.instructions(&section, &bases);
                while ins.next().map_err(err)?.is_some() {}
            }
            CieOrFde::Fde(partial) => {
                let fde = partial
                    .parse(|s, b, o| s.cie_from_offset(b, o))
                    .map_err(err)?;
                let (start, len) = (fde.initial_address(), fde.len());
                if start < text.start || start.checked_add(len).is_none_or(|end| end > text.end) {
                    return Err(format!(
                        ".eh_frame: FDE {start:#x}+{len:#x} outside the code"
                    ));
                }
                let mut rows = fde.rows(&section, &bases, &mut ctx).map_err(err)?;
                while rows.next_row().map_err(err)?.is_some() {}
            }
        }
    }
    Ok(())
}

/// Registers `eh` (a relocated `.eh_frame` followed by a zero word, in memory that outlives
/// the returned registration). `None` when the process has no dynamic unwinder registry.
///
/// # Safety
/// `eh` must stay mapped and unchanged until the registration is dropped, and its FDEs must
/// describe code that stays mapped as long.
pub(crate) unsafe fn register(eh: &[u8]) -> Option<Registration> {
    let unwinder = unwinder()?;
    let base = eh.as_ptr() as usize;
    let entries: Vec<usize> = if unwinder.per_fde {
        fde_offsets(eh).into_iter().map(|o| base + o).collect()
    } else {
        vec![base]
    };
    for &e in &entries {
        // SAFETY: `e` points at a complete, relocated FDE (or the whole terminated section),
        // as the caller guarantees.
        unsafe { (unwinder.register)(e as *const u8) };
    }
    Some(Registration { unwinder, entries })
}

impl Drop for Registration {
    fn drop(&mut self) {
        for &e in self.entries.iter().rev() {
            // SAFETY: `e` was registered by `register` and its memory is still mapped (the
            // region is unmapped after this drop).
            unsafe { (self.unwinder.deregister)(e as *const u8) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_cie_and_fdes() {
        let mut eh = Vec::new();
        // CIE: length 12, id 0, 8 bytes body.
        eh.extend_from_slice(&12u32.to_le_bytes());
        eh.extend_from_slice(&0u32.to_le_bytes());
        eh.extend_from_slice(&[0; 8]);
        // FDE: length 8, id = CIE pointer (non-zero), 4 bytes body.
        eh.extend_from_slice(&8u32.to_le_bytes());
        eh.extend_from_slice(&20u32.to_le_bytes());
        eh.extend_from_slice(&[0; 4]);
        eh.extend_from_slice(&0u32.to_le_bytes());
        assert_eq!(fde_offsets(&eh), vec![16]);
        // A length running past the end stops the walk instead of reading out of bounds.
        eh[16] = 200;
        assert_eq!(fde_offsets(&eh), vec![16]);
        assert!(fde_offsets(&eh[..5]).is_empty());
    }
}
