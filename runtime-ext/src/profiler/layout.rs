//! Raw reads of CPython 3.11 structures for the profiler: the sampler cannot call the C API
//! inside a signal handler, and the harvester reads the live inline caches without copying.
//! Offsets come from `s6_py311::layout` (the one place that knows 3.11); [`check`] re-verifies
//! the code-object ones against what the running interpreter reports, and the profiler refuses
//! to sample or harvest if any disagrees.

use s6_py311::layout::code;

/// Reads a `T` at `base + off`.
///
/// # Safety
/// `base + off` must be readable and hold a `T` (callers pass live CPython objects/frames).
pub unsafe fn read<T: Copy>(base: *const u8, off: i32) -> T {
    // SAFETY: forwarded to the caller's contract; unaligned reads are fine on x86-64.
    unsafe { std::ptr::read_unaligned(base.offset(off as isize) as *const T) }
}

/// Checks the code-object offsets against what Python reports for `code`: `co_firstlineno`,
/// the number of code units and the `_co_code_adaptive` bytes. Err names the first mismatch.
pub fn check(code: &pyo3::Bound<'_, pyo3::PyAny>) -> pyo3::PyResult<Result<(), String>> {
    use pyo3::prelude::*;
    let ptr = code.as_ptr() as *const u8;
    let line: i32 = code.getattr("co_firstlineno")?.extract()?;
    let adaptive: Vec<u8> = code.getattr("_co_code_adaptive")?.extract()?;
    // SAFETY: `code` is a live code object (the caller checked its type); the offsets below lie
    // within its header and its `ob_size` code units.
    let (raw_line, units) = unsafe {
        (
            read::<i32>(ptr, code::CO_FIRSTLINENO),
            read::<isize>(ptr, code::OB_SIZE),
        )
    };
    if raw_line != line {
        return Ok(Err(format!(
            "co_firstlineno at {}: {raw_line} != {line}",
            code::CO_FIRSTLINENO
        )));
    }
    if units as usize * 2 != adaptive.len() {
        return Ok(Err(format!(
            "ob_size {units} != {} code units",
            adaptive.len() / 2
        )));
    }
    // SAFETY: as above; `units * 2` bytes follow `CO_CODE_ADAPTIVE`.
    let raw = unsafe {
        std::slice::from_raw_parts(ptr.offset(code::CO_CODE_ADAPTIVE as isize), adaptive.len())
    };
    if raw != adaptive.as_slice() {
        return Ok(Err(format!(
            "co_code_adaptive at {} differs",
            code::CO_CODE_ADAPTIVE
        )));
    }
    Ok(Ok(()))
}
