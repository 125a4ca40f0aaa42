//! Byte offsets of the CPython 3.11 (x86-64) structures the profiler reads directly: the
//! sampler cannot call the C API inside a signal handler, and the harvester reads the live
//! inline caches without copying. Values are from ../shared/research/cpython311-internals.md §2
//! and §7; [`check`] re-verifies the ones that can be observed from Python at start-up, and the
//! profiler refuses to sample or harvest if any disagrees.

/// `PyThreadState.cframe` (`_PyCFrame *`).
pub const TSTATE_CFRAME: usize = 56;
/// `_PyCFrame.current_frame` (`_PyInterpreterFrame *`).
pub const CFRAME_CURRENT_FRAME: usize = 8;
/// `_PyInterpreterFrame.f_func` (strong `PyFunctionObject *`).
pub const FRAME_FUNC: usize = 0;
/// `_PyInterpreterFrame.f_globals` (borrowed dict).
pub const FRAME_GLOBALS: usize = 8;
/// `_PyInterpreterFrame.f_code`.
pub const FRAME_CODE: usize = 32;
/// `_PyInterpreterFrame.previous`.
pub const FRAME_PREVIOUS: usize = 48;
/// `_PyInterpreterFrame.prev_instr` (`_Py_CODEUNIT *`).
pub const FRAME_PREV_INSTR: usize = 56;
/// `_PyInterpreterFrame.owner` (`char`; 1 = generator).
pub const FRAME_OWNER: usize = 69;
pub const FRAME_OWNED_BY_GENERATOR: u8 = 1;
/// `PyCodeObject.co_warmup` (`short`): counts up from -8; 0 once the code has been quickened.
pub const CODE_WARMUP: usize = 52;
/// `PyCodeObject._co_firsttraceable` (`int`).
pub const CODE_FIRSTTRACEABLE: usize = 168;
/// `PyCodeObject.co_code_adaptive[]`: the live, quickened bytecode with its inline caches.
pub const CODE_ADAPTIVE: usize = 184;
/// `PyCodeObject.co_firstlineno` (`int`), used only by [`check`].
pub const CODE_FIRSTLINENO: usize = 72;
/// `PyFunctionObject.func_version` (`uint32_t`).
pub const FUNC_VERSION: usize = 128;
/// `Py_TPFLAGS_VALID_VERSION_TAG`.
pub const TPFLAGS_VALID_VERSION_TAG: std::ffi::c_ulong = 1 << 19;

/// Reads a `T` at `base + off`.
///
/// # Safety
/// `base + off` must be readable and hold a `T` (callers pass live CPython objects/frames).
pub unsafe fn read<T: Copy>(base: *const u8, off: usize) -> T {
    // SAFETY: forwarded to the caller's contract; unaligned reads are fine on x86-64.
    unsafe { std::ptr::read_unaligned(base.add(off) as *const T) }
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
    let (raw_line, units) = unsafe { (read::<i32>(ptr, CODE_FIRSTLINENO), read::<isize>(ptr, 16)) };
    if raw_line != line {
        return Ok(Err(format!(
            "co_firstlineno at {CODE_FIRSTLINENO}: {raw_line} != {line}"
        )));
    }
    if units as usize * 2 != adaptive.len() {
        return Ok(Err(format!(
            "ob_size {units} != {} code units",
            adaptive.len() / 2
        )));
    }
    // SAFETY: as above; `units * 2` bytes follow `CODE_ADAPTIVE`.
    let raw = unsafe { std::slice::from_raw_parts(ptr.add(CODE_ADAPTIVE), adaptive.len()) };
    if raw != adaptive.as_slice() {
        return Ok(Err(format!("co_code_adaptive at {CODE_ADAPTIVE} differs")));
    }
    Ok(Ok(()))
}

/// `PyTypeObject.tp_flags` (`unsigned long`).
pub const TYPE_FLAGS: usize = 168;
/// `PyTypeObject.tp_version_tag` (`unsigned int`).
pub const TYPE_VERSION_TAG: usize = 384;
