//! Frame-slot addressing for the helpers' operands (see the module doc of `helpers`); the
//! other frame fields are read through `evaluator::cpy`, whose offsets come from
//! `s6_py311::layout`.

use pyo3_ffi::PyObject;

use crate::evaluator::cpy;

pub use pyo3_ffi::_PyInterpreterFrame as Frame;

/// `f->localsplus + index`.
///
/// # Safety
/// `f` is a live frame and `index < co_nlocalsplus + co_stacksize`.
#[inline]
pub unsafe fn slot(f: *mut Frame, index: u32) -> *mut *mut PyObject {
    // SAFETY: `localsplus` is an inline array of the live frame; the caller bounds the index.
    unsafe { cpy::localsplus(f).add(index as usize) }
}
