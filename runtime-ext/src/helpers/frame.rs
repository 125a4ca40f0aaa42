//! Raw access to a `_PyInterpreterFrame` and its code object for the helpers: 3.11 has no public
//! API for frames, so the offsets come from `s6_py311::layout` (the one place that knows them).

use pyo3_ffi::PyObject;
use s6_py311::layout::frame;

/// An opaque `_PyInterpreterFrame`.
#[repr(C)]
pub struct Frame {
    _private: [u8; 0],
}

/// Reads the pointer-sized field at `off` of `base`.
///
/// # Safety
/// `base + off` must be a readable, aligned pointer field.
#[inline]
unsafe fn field(base: *const u8, off: i32) -> *mut PyObject {
    // SAFETY: the caller guarantees the field exists (offsets from s6_py311::layout).
    unsafe { *(base.offset(off as isize) as *const *mut PyObject) }
}

/// `f->localsplus + index`.
///
/// # Safety
/// `f` is a live frame and `index < co_nlocalsplus + co_stacksize`.
#[inline]
pub unsafe fn slot(f: *mut Frame, index: u32) -> *mut *mut PyObject {
    // SAFETY: localsplus is an inline array at LOCALSPLUS; the caller bounds the index.
    unsafe {
        (f as *mut u8)
            .offset(frame::LOCALSPLUS as isize)
            .cast::<*mut PyObject>()
            .add(index as usize)
    }
}

/// `f->f_globals` (borrowed).
///
/// # Safety
/// `f` is a live frame.
#[inline]
pub unsafe fn globals(f: *mut Frame) -> *mut PyObject {
    // SAFETY: F_GLOBALS is a pointer field of every frame.
    unsafe { field(f as *const u8, frame::F_GLOBALS) }
}

/// `f->f_builtins` (borrowed).
///
/// # Safety
/// `f` is a live frame.
#[inline]
pub unsafe fn builtins(f: *mut Frame) -> *mut PyObject {
    // SAFETY: F_BUILTINS is a pointer field of every frame.
    unsafe { field(f as *const u8, frame::F_BUILTINS) }
}

/// `f->f_locals` (borrowed, NULL for optimized functions).
///
/// # Safety
/// `f` is a live frame.
#[inline]
pub unsafe fn locals(f: *mut Frame) -> *mut PyObject {
    // SAFETY: F_LOCALS is a pointer field of every frame.
    unsafe { field(f as *const u8, frame::F_LOCALS) }
}

/// `f->f_func` (borrowed).
///
/// # Safety
/// `f` is a live frame.
#[inline]
pub unsafe fn func(f: *mut Frame) -> *mut PyObject {
    // SAFETY: F_FUNC is a pointer field of every frame.
    unsafe { field(f as *const u8, frame::F_FUNC) }
}
