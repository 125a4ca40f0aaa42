//! gdb's JIT interface: each loaded object's debugger image is linked into the list that
//! `__jit_debug_descriptor` heads, and `__jit_debug_register_code` (on which gdb keeps a
//! breakpoint) is called after every change.
//!
//! Both symbols are defined *weak* (in assembly, since Rust has no stable weak linkage) so that
//! another JIT in the process (LLVM, numba, wasmtime) can provide them too; when several
//! definitions exist gdb reads each objfile's own descriptor, and a shared one is kept
//! consistent because every change happens under one lock and walks the list generically.

use std::sync::Mutex;

use super::image::Image;

#[repr(C)]
struct JitCodeEntry {
    next: *mut JitCodeEntry,
    prev: *mut JitCodeEntry,
    symfile_addr: *const u8,
    symfile_size: u64,
}

#[repr(C)]
struct JitDescriptor {
    version: u32,
    action_flag: u32,
    relevant_entry: *mut JitCodeEntry,
    first_entry: *mut JitCodeEntry,
}

const JIT_REGISTER_FN: u32 = 1;
const JIT_UNREGISTER_FN: u32 = 2;

// The gdb convention: `void __jit_debug_register_code(void)` that is never inlined and does
// nothing, and `struct jit_descriptor __jit_debug_descriptor = { 1, 0, 0, 0 }`.
std::arch::global_asm!(
    ".pushsection .text.__jit_debug_register_code,\"ax\",@progbits",
    ".weak __jit_debug_register_code",
    ".type __jit_debug_register_code,@function",
    "__jit_debug_register_code:",
    "nop",
    "ret",
    ".size __jit_debug_register_code, .-__jit_debug_register_code",
    ".popsection",
    ".pushsection .data.__jit_debug_descriptor,\"aw\",@progbits",
    ".weak __jit_debug_descriptor",
    ".type __jit_debug_descriptor,@object",
    ".p2align 3",
    "__jit_debug_descriptor:",
    ".long 1",
    ".long 0",
    ".quad 0",
    ".quad 0",
    ".size __jit_debug_descriptor, 24",
    ".popsection",
);

unsafe extern "C" {
    fn __jit_debug_register_code();
    static mut __jit_debug_descriptor: JitDescriptor;
}

/// Serialises every change to the descriptor's list.
static LOCK: Mutex<()> = Mutex::new(());

/// One image linked into gdb's list; unlinked on drop.
pub(crate) struct Registration {
    entry: *mut JitCodeEntry,
    _image: Box<[u8]>,
}

// SAFETY: the entry is only touched under `LOCK`; the image bytes are immutable.
unsafe impl Send for Registration {}
// SAFETY: as above.
unsafe impl Sync for Registration {}

pub(crate) fn register(image: Image) -> Registration {
    let image = image.bytes.into_boxed_slice();
    let entry = Box::into_raw(Box::new(JitCodeEntry {
        next: std::ptr::null_mut(),
        prev: std::ptr::null_mut(),
        symfile_addr: image.as_ptr(),
        symfile_size: image.len() as u64,
    }));
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: the descriptor and the entries in its list are only modified under `LOCK`;
    // `entry` is a fresh, valid allocation that lives until `Registration::drop`.
    unsafe {
        let d = &raw mut __jit_debug_descriptor;
        (*entry).next = (*d).first_entry;
        if !(*d).first_entry.is_null() {
            (*(*d).first_entry).prev = entry;
        }
        (*d).first_entry = entry;
        (*d).relevant_entry = entry;
        (*d).action_flag = JIT_REGISTER_FN;
        __jit_debug_register_code();
        (*d).action_flag = 0;
    }
    Registration {
        entry,
        _image: image,
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: `self.entry` is linked in the list (by `register`) and only modified under
        // `LOCK`; after unlinking it is freed exactly once here.
        unsafe {
            let d = &raw mut __jit_debug_descriptor;
            let e = self.entry;
            if (*e).prev.is_null() {
                (*d).first_entry = (*e).next;
            } else {
                (*(*e).prev).next = (*e).next;
            }
            if !(*e).next.is_null() {
                (*(*e).next).prev = (*e).prev;
            }
            (*d).relevant_entry = e;
            (*d).action_flag = JIT_UNREGISTER_FN;
            __jit_debug_register_code();
            (*d).action_flag = 0;
            (*d).relevant_entry = std::ptr::null_mut();
            drop(Box::from_raw(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_links_and_drop_unlinks() {
        let a = register(Image::raw(vec![1, 2, 3]));
        let b = register(Image::raw(vec![4]));
        let first = |_: &()| {
            // SAFETY: read under LOCK (taken by the caller).
            unsafe { __jit_debug_descriptor.first_entry }
        };
        {
            let g = LOCK.lock().unwrap();
            let mut n = 0;
            let mut e = first(&g);
            let mut seen = (false, false);
            while !e.is_null() {
                seen.0 |= e == a.entry;
                seen.1 |= e == b.entry;
                n += 1;
                // SAFETY: entries in the list are live while LOCK is held.
                e = unsafe { (*e).next };
            }
            assert!(seen.0 && seen.1 && n >= 2);
            // SAFETY: as above.
            assert_eq!(unsafe { __jit_debug_descriptor.version }, 1);
        }
        let (ea, eb) = (a.entry, b.entry);
        drop(a);
        drop(b);
        let g = LOCK.lock().unwrap();
        let mut e = first(&g);
        while !e.is_null() {
            assert!(e != ea && e != eb);
            // SAFETY: as above.
            e = unsafe { (*e).next };
        }
    }
}
