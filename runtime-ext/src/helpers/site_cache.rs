//! Per-site caches for global loads, attribute loads and stores, and method loads: what 3.11's
//! specializing interpreter keeps in its inline caches, kept by native code in runs of
//! `SITE_CACHE_WORDS` binding slots that the loader leaves zeroed (`s6_profiles::abi`). Code
//! built ahead of time cannot carry the interpreter's process-local numbers (type versions,
//! dict versions, key indices), so each site fills its cache the first time it runs and checks
//! it every time after, relying on exactly the invariants the interpreter's specialized
//! instructions rely on:
//!
//! * a type's `tp_version_tag` is never reused, and is reset to 0 whenever the type or
//!   anything in its MRO changes (`PyType_Modified`): an equal non-zero version means the same
//!   type with the same attributes, `tp_getattro`/`tp_setattro` and `tp_dictoffset`;
//! * a dict's `ma_version_tag` (PEP 509) is drawn from one global counter on every change: an
//!   equal tag means the very same dict with the same keys and values, so a value cached with
//!   it is still referenced by that dict;
//! * a key is in at most one entry of a dict's keys (deletion clears the entry): if entry `i`
//!   of a dict holds the key `name` now, its value is `d[name]` now, whatever else changed;
//! * a heap type's shared keys (`ht_cached_keys`) live as long as the type and only grow by
//!   appending (deleting an instance attribute empties its value, not its key): a name's index
//!   is fixed, every instance's values array covers every index, and an unchanged entry count
//!   means no name was added.
//!
//! A cache that does not match takes the uncached path, the same C-API call the uncached
//! helper makes, and refills itself only when it can prove the result came from where the
//! cache will look next time. A cache holds no references. Attribute and method caches are
//! polymorphic (one entry per receiver type, replaced in turn when full): a method of a base
//! class sees every subclass at one site. Under `S6_DEOPT_STRESS=N` every Nth lookup misses on
//! purpose, so the differential stress runs check the uncached path and the refill too.

use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

use pyo3_ffi::*;
use s6_py311::layout::{ascii, dict, dict_keys, method, object, type_obj};

use super::_PyObject_GetMethod;
use super::frame::Frame;
use super::names::s6_rt_load_global;
use crate::evaluator::cpy::{f_builtins, f_globals};

unsafe extern "C" {
    /// Borrowed or NULL, never an exception; may assign the type a version tag.
    fn _PyType_Lookup(t: *mut PyObject, name: *mut PyObject) -> *mut PyObject;
    /// The address of `obj`'s `__dict__` slot, or NULL (for a managed dict it materializes
    /// the dict: only called for other types).
    fn _PyObject_GetDictPtr(obj: *mut PyObject) -> *mut *mut PyObject;
}

/// `_PyType_Lookup` for a type pointer.
///
/// # Safety
/// GIL held; `tp` a live type; `name` a str.
unsafe fn type_lookup(tp: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe { _PyType_Lookup(tp.cast(), name) }
}

/// Whether attribute access on `tp`'s instances is the generic one (no `__getattribute__` or
/// `__getattr__` of its own).
///
/// # Safety
/// `tp` a live type.
unsafe fn generic_getattr(tp: *mut PyTypeObject) -> bool {
    // SAFETY: per the contract.
    unsafe {
        (*tp)
            .tp_getattro
            .is_some_and(|g| std::ptr::fn_addr_eq(g, PyObject_GenericGetAttr as getattrofunc))
    }
}

/// Whether attribute stores on `tp`'s instances are the generic ones (no `__setattr__`).
///
/// # Safety
/// `tp` a live type.
unsafe fn generic_setattr(tp: *mut PyTypeObject) -> bool {
    // SAFETY: per the contract.
    unsafe {
        (*tp)
            .tp_setattro
            .is_some_and(|s| std::ptr::fn_addr_eq(s, PyObject_GenericSetAttr as setattrofunc))
    }
}

unsafe extern "C" {
    /// The type of bound methods (`types.MethodType`).
    static mut PyMethod_Type: PyTypeObject;
    fn PyMethod_New(func: *mut PyObject, self_: *mut PyObject) -> *mut PyObject;
}

/// Words after the header.
const WORDS: usize = s6_profiles::abi::SITE_CACHE_WORDS - 1;

/// One site's cache: `kind` says what `words` hold (0: empty); polymorphic kinds hold `count`
/// entries, and `victim` is the one a new entry replaces when all are taken.
#[repr(C)]
pub struct SiteCache {
    kind: u32,
    count: u16,
    victim: u16,
    words: [usize; WORDS],
}

const _: () = assert!(std::mem::size_of::<SiteCache>() == 8 * s6_profiles::abi::SITE_CACHE_WORDS);

// The kinds and their entries: the native ABI contract (generated code reads them too).
use s6_profiles::abi::site_cache::{
    ATTR_INSTANCE_VALUE, BUILTIN, CLASS_ATTR, CLASS_VALUE, CLASSMETHOD_DESCR, GLOBAL, IN_DICT,
    INLINE_ENTRIES, METHOD, METHOD_DICT_OK, MODULE_ATTR, NO_DICT, OFFSET_DICT, PROPERTY, SLOT,
    STATICMETHOD_DESCR, STORE_INSTANCE_VALUE, UNCACHEABLE,
};
const _: () =
    assert!(std::mem::offset_of!(SiteCache, kind) as i32 == s6_profiles::abi::site_cache::KIND);
const _: () =
    assert!(std::mem::offset_of!(SiteCache, words) as i32 == s6_profiles::abi::site_cache::ENTRY);

impl SiteCache {
    /// The entries of a polymorphic kind, `per` words each.
    #[inline(always)]
    fn entries(&self, per: usize) -> impl Iterator<Item = &[usize]> {
        self.words.chunks_exact(per).take(self.count as usize)
    }

    /// The entry (of `per` words) for type version `version`, moved to the front when it lies
    /// beyond the [`INLINE_ENTRIES`] that generated code checks: entries for versions a type
    /// had before (a class given attributes while its module ran, `Vector.ZERO = Vector(..)`)
    /// stay in the cache, and a live version found after them would otherwise call the helper
    /// at every visit.
    #[inline(always)]
    fn find(&mut self, per: usize, version: u32) -> Option<&[usize]> {
        self.find_within(per, version, INLINE_ENTRIES)
    }

    /// [`Self::find`] for a kind whose first `inline` entries generated code checks.
    #[inline(always)]
    fn find_within(&mut self, per: usize, version: u32, inline: usize) -> Option<&[usize]> {
        let i = self
            .entries(per)
            .position(|e| (e[0] >> 32) as u32 == version)?;
        let i = if i >= inline {
            let (front, back) = self.words.split_at_mut(i * per);
            front[..per].swap_with_slice(&mut back[..per]);
            0
        } else {
            i
        };
        Some(&self.words[i * per..(i + 1) * per])
    }

    /// The cache at `cache`, emptied first when a stress point fires (`S6_DEOPT_STRESS=N`), so
    /// that stress runs take the uncached path and the refill at every Nth site visit.
    ///
    /// # Safety
    /// `cache` is a site's cache, not aliased for the returned lifetime.
    #[inline(always)]
    unsafe fn checked<'a>(cache: *mut SiteCache) -> &'a mut SiteCache {
        // SAFETY: per the contract.
        let c = unsafe { &mut *cache };
        if crate::evaluator::exits::stress_fires() {
            c.clear();
        }
        c
    }

    /// Empties the cache. Its words become zero: generated code compares the type versions of
    /// the first `INLINE_ENTRIES` entries without reading `count`, so a word outside the
    /// entries in use must hold no version (0, which it checks the receiver's is not) and
    /// nothing of another kind.
    fn clear(&mut self) {
        self.kind = 0;
        self.count = 0;
        self.victim = 0;
        self.words = [0; WORDS];
    }

    /// Makes the cache monomorphic `kind` holding `vals` (the other words zero, as [`clear`]
    /// says why).
    fn set(&mut self, kind: u32, vals: &[usize]) {
        self.kind = kind;
        self.count = 1;
        self.victim = 0;
        self.words[..vals.len()].copy_from_slice(vals);
        self.words[vals.len()..].fill(0);
    }

    /// Adds (or updates, for the same type version) an entry of polymorphic `kind`.
    fn add(&mut self, kind: u32, version: u32, vals: &[usize]) {
        let per = vals.len();
        let slots = WORDS / per;
        if self.kind != kind {
            self.clear();
            self.kind = kind;
        }
        let same = self
            .entries(per)
            .position(|e| (e[0] >> 32) as u32 == version);
        let i = match same {
            Some(i) => i,
            None if (self.count as usize) < slots => {
                self.count += 1;
                self.count as usize - 1
            }
            None => {
                let i = self.victim as usize % slots;
                self.victim = ((i + 1) % slots) as u16;
                i
            }
        };
        self.words[i * per..(i + 1) * per].copy_from_slice(vals);
    }
}

/// `version << 32 | low`: the first word of an entry.
#[inline(always)]
fn tagged(version: u32, low: u32) -> usize {
    ((version as usize) << 32) | low as usize
}

/// # Safety
/// `p + off` is a readable `T` of a live object.
#[inline(always)]
unsafe fn field<T: Copy>(p: *const PyObject, off: i32) -> T {
    // SAFETY: per the contract.
    unsafe { *(p as *const u8).offset(off as isize).cast::<T>() }
}

/// The valid version tag of `tp`, or 0.
///
/// # Safety
/// `tp` a live type.
#[inline(always)]
unsafe fn type_version(tp: *mut PyTypeObject) -> u32 {
    // SAFETY: both fields lie in every PyTypeObject.
    unsafe {
        let flags: u64 = field(tp.cast(), type_obj::TP_FLAGS);
        if flags & type_obj::TPFLAGS_VALID_VERSION_TAG == 0 {
            return 0;
        }
        field(tp.cast(), type_obj::TP_VERSION_TAG)
    }
}

/// # Safety
/// `d` a live dict.
#[inline(always)]
unsafe fn dict_tag(d: *mut PyObject) -> u64 {
    // SAFETY: per the contract.
    unsafe { field(d, dict::MA_VERSION_TAG) }
}

/// The values array of an instance of a `Py_TPFLAGS_MANAGED_DICT` type (NULL once its
/// `__dict__` was materialized).
///
/// # Safety
/// `obj` a live instance of a type with `Py_TPFLAGS_MANAGED_DICT`.
#[inline(always)]
unsafe fn managed_values(obj: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: such objects have the values and dict pointers just below the header.
    unsafe { field(obj, object::MANAGED_VALUES) }
}

/// # Safety
/// As for `managed_values`.
#[inline(always)]
unsafe fn managed_dict(obj: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe { field(obj, object::MANAGED_DICT) }
}

/// # Safety
/// `tp` a live type.
unsafe fn has_managed_dict(tp: *mut PyTypeObject) -> bool {
    // SAFETY: per the contract.
    unsafe { field::<u64>(tp.cast(), type_obj::TP_FLAGS) & type_obj::TPFLAGS_MANAGED_DICT != 0 }
}

/// The shared keys of a heap type with managed dicts (NULL for any other type).
///
/// # Safety
/// `tp` a live type.
unsafe fn shared_keys(tp: *mut PyTypeObject) -> *const u8 {
    // SAFETY: `ht_cached_keys` exists in heap types, and only they have managed dicts.
    unsafe {
        let heap = field::<u64>(tp.cast(), type_obj::TP_FLAGS) & Py_TPFLAGS_HEAPTYPE != 0;
        if !has_managed_dict(tp) || !heap {
            return ptr::null();
        }
        field(tp.cast(), type_obj::HT_CACHED_KEYS)
    }
}

/// # Safety
/// `keys` live shared keys.
unsafe fn nentries(keys: *const u8) -> usize {
    // SAFETY: per the contract.
    unsafe { field::<isize>(keys.cast(), dict_keys::DK_NENTRIES) as usize }
}

/// Index of `name` among the shared keys, if present. Pure: the keys are exact str (they are
/// never general keys), compared by identity, then by value (which runs no Python code).
///
/// # Safety
/// GIL held; `keys` live shared keys; `name` an exact str.
unsafe fn shared_key_index(keys: *const u8, name: *mut PyObject) -> Option<usize> {
    // SAFETY: split keys hold `PyDictUnicodeEntry {key, value}` entries after the index table.
    unsafe {
        if field::<u8>(keys.cast(), dict_keys::DK_KIND) == dict_keys::KIND_GENERAL {
            return None;
        }
        let log2_index_bytes = field::<u8>(keys.cast(), dict_keys::DK_LOG2_INDEX_BYTES);
        let entries = keys
            .offset(dict_keys::DK_INDICES as isize)
            .add(1usize << log2_index_bytes) as *const [*mut PyObject; 2];
        let hash = str_hash(name);
        (0..nentries(keys)).find(|&i| {
            let key = (*entries.add(i))[0];
            key == name
                || (!key.is_null()
                    && PyUnicode_CheckExact(key) != 0
                    && (hash == -1 || str_hash(key) == -1 || str_hash(key) == hash)
                    && PyUnicode_Compare(key, name) == 0)
        })
    }
}

/// The cached hash of an exact str (-1 when not computed yet).
///
/// # Safety
/// `s` a live exact str.
#[inline(always)]
unsafe fn str_hash(s: *mut PyObject) -> isize {
    // SAFETY: every str starts with `PyASCIIObject`.
    unsafe { field(s, ascii::HASH) }
}

/// Whether `d` is an exact dict whose keys are all str, so that looking up or storing a str
/// key runs no Python code (no `__eq__`, no `__hash__` of a key).
///
/// # Safety
/// GIL held; `d` NULL or live.
unsafe fn is_pure_dict(d: *mut PyObject) -> bool {
    // SAFETY: `ma_keys` of a live exact dict.
    unsafe {
        if d.is_null() || PyDict_CheckExact(d) == 0 {
            return false;
        }
        let keys: *const PyObject = field(d, dict::MA_KEYS);
        field::<u8>(keys, dict_keys::DK_KIND) != dict_keys::KIND_GENERAL
    }
}

/// `d[name]` if `d` is a pure dict (see [`is_pure_dict`]); borrowed, or NULL.
///
/// # Safety
/// GIL held; `name` an exact str.
unsafe fn pure_dict_get(d: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        if !is_pure_dict(d) {
            return ptr::null_mut();
        }
        PyDict_GetItem(d, name)
    }
}

/// `LOAD_GLOBAL` with a site cache: as `s6_rt_load_global` (new reference, or NULL with an
/// exception set).
///
/// # Safety
/// GIL held; `f` is the running frame; `cache` this site's zero-initialised cache.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_global_cached(
    f: *mut Frame,
    name: *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract; entries and tags are only read from exact dicts.
    unsafe {
        let c = SiteCache::checked(cache);
        let (g, b) = (f_globals(f), f_builtins(f));
        let exact = PyDict_CheckExact(g) != 0 && PyDict_CheckExact(b) != 0;
        if exact {
            let v = global_hit(c, g, b, name);
            if !v.is_null() {
                Py_INCREF(v);
                return v;
            }
        }
        let before = exact.then(|| (dict_tag(g), dict_tag(b)));
        let v = s6_rt_load_global(f, name);
        c.clear();
        // Cached only if the lookup changed neither dict (a key's `__eq__` could have).
        if !v.is_null()
            && let Some((tg, tb)) = before
            && dict_tag(g) == tg
            && dict_tag(b) == tb
            && !cache_global(c, g, name, v)
        {
            cache_builtin(c, g, b, name, v);
        }
        v
    }
}

/// Sets a `GLOBAL` cache for `name` when `v` is the value of `g`'s entry for it (and that
/// entry has a versioned slot); returns whether `g` has that entry.
///
/// # Safety
/// GIL held; `g` a live exact dict; `name` an exact str.
unsafe fn cache_global(
    c: &mut SiteCache,
    g: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) -> bool {
    // SAFETY: per the contract.
    unsafe {
        let Some(i) = entry_index(g, name, v) else {
            return false;
        };
        if let Some(slot) = versioned_slot(g, i) {
            c.set(GLOBAL, &[slot]);
        }
        true
    }
}

/// Sets a `BUILTIN` cache for `name`, found as `v` in the builtins `b` and absent from the
/// globals `g` (whose keys version the cache keeps).
///
/// # Safety
/// GIL held; `g` and `b` live exact dicts; `name` an exact str.
unsafe fn cache_builtin(
    c: &mut SiteCache,
    g: *mut PyObject,
    b: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) {
    // SAFETY: per the contract.
    unsafe {
        if let Some(version) = keys_version(g)
            && let Some(i) = entry_index(b, name, v)
            && let Some(slot) = versioned_slot(b, i)
        {
            c.set(BUILTIN, &[version as usize, slot]);
        }
    }
}

/// The global load of code inlined into another function (`passes::inline` in the compiler):
/// `name` in the called function's own globals, else in its builtins (`func` is the function,
/// which holds both), a new reference, when finding it runs no code (both exact dicts whose
/// keys are all str); NULL *without* an exception otherwise, or when it is missing (the real
/// call then raises the `NameError`). Fills the cache as `s6_rt_load_global_cached` does.
///
/// # Safety
/// GIL held; `func` a live function; `cache` this site's cache; `name` an exact str.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_probe_global_cached(
    func: *mut PyObject,
    name: *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract; the dicts are read only when their keys are all str.
    unsafe {
        let c = SiteCache::checked(cache);
        let fo = func as *mut PyFunctionObject;
        let (g, b) = ((*fo).func_globals, (*fo).func_builtins);
        if !is_pure_dict(g) || !is_pure_dict(b) {
            return ptr::null_mut();
        }
        let v = global_hit(c, g, b, name);
        if !v.is_null() {
            Py_INCREF(v);
            return v;
        }
        c.clear();
        let v = PyDict_GetItem(g, name);
        if !v.is_null() {
            cache_global(c, g, name, v);
            Py_INCREF(v);
            return v;
        }
        let v = PyDict_GetItem(b, name);
        if v.is_null() {
            return v;
        }
        cache_builtin(c, g, b, name, v);
        Py_INCREF(v);
        v
    }
}

/// The value a `GLOBAL` or `BUILTIN` cache finds for `name` (borrowed), or NULL. A `GLOBAL`
/// cache holds a [`versioned_slot`] of the globals: while their keys keep that version (as
/// 3.11's `LOAD_GLOBAL_MODULE` relies on), the entry that had `name` still has it, and the
/// value slot is where it was. A `BUILTIN` cache also needs `name` to be absent from the
/// globals: known while the globals' keys have the version they had when it was absent
/// (rebinding a global keeps it, adding or deleting one resets it), and otherwise probed once
/// and the new version kept; then the builtin is read through its own versioned slot.
///
/// # Safety
/// GIL held; `g` and `b` live exact dicts; `name` an exact str.
#[inline(always)]
unsafe fn global_hit(
    c: &mut SiteCache,
    g: *mut PyObject,
    b: *mut PyObject,
    name: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: per the contract.
    unsafe {
        match c.kind {
            GLOBAL => slot_value(g, c.words[0]),
            BUILTIN => {
                if keys_version_now(g) as usize != c.words[0] {
                    if !pure_absent(g, name) {
                        return ptr::null_mut();
                    }
                    match keys_version(g) {
                        Some(version) => c.words[0] = version as usize,
                        None => return ptr::null_mut(),
                    }
                }
                slot_value(b, c.words[1])
            }
            _ => ptr::null_mut(),
        }
    }
}

/// `dk_version << 32 | byte offset of the value of entry i from the keys object`, for entry
/// `i` of the exact dict `d` with all-str keys and its values in its keys (not split): what a
/// `GLOBAL` or `BUILTIN` cache keeps, and what generated code checks (version) and reads
/// (slot). None for a split or non-str-keyed dict, or once this runtime has no versions left.
///
/// A keys object with a given non-zero version is the one it was given to, or a copy of it
/// (`clone_combined_dict_keys` copies the version with the layout), both with `name` in
/// entry `i` (adding or deleting a key resets the version to 0; only non-split keys get
/// versions here, and 3.11 gives out versions once).
///
/// # Safety
/// GIL held; `d` a live exact dict; `i` one of its entries.
unsafe fn versioned_slot(d: *mut PyObject, i: usize) -> Option<usize> {
    // SAFETY: per the contract.
    unsafe {
        let keys: *const u8 = field(d, dict::MA_KEYS);
        let split = !field::<*mut PyObject>(d, dict::MA_VALUES).is_null();
        let general = field::<u8>(keys.cast(), dict_keys::DK_KIND) == dict_keys::KIND_GENERAL;
        if split || general || i >= nentries(keys) {
            return None;
        }
        let (entries, size) = dict_entries(keys);
        let slot = entries.add(i * size + size_of::<usize>()).offset_from(keys) as usize;
        let version = keys_version(d)?;
        Some((version as usize) << 32 | slot)
    }
}

/// The value in the slot of a [`versioned_slot`] word of the exact dict `d` (borrowed; NULL
/// when the keys have another version, or the value was deleted).
///
/// # Safety
/// `d` a live exact dict.
#[inline(always)]
unsafe fn slot_value(d: *mut PyObject, word: usize) -> *mut PyObject {
    // SAFETY: a matching version means the slot is a value slot of these keys.
    unsafe {
        let keys: *const u8 = field(d, dict::MA_KEYS);
        if keys_version_now(d) as usize != word >> 32 {
            return ptr::null_mut();
        }
        *(keys.add(word as u32 as usize) as *const *mut PyObject)
    }
}

/// The index of the entry of the exact dict `d` whose key is `name` (by identity) and whose
/// value is `v`.
///
/// # Safety
/// `d` a live exact dict.
unsafe fn entry_index(d: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> Option<usize> {
    // SAFETY: per the contract.
    unsafe {
        (0..nentries(field(d, dict::MA_KEYS)))
            .find(|&i| dict_entry(d, i).is_some_and(|(key, value)| key == name && value == v))
    }
}

/// The `dk_version` of `d`'s keys as it is (0: none assigned since their last change).
///
/// # Safety
/// `d` a live exact dict.
#[inline(always)]
unsafe fn keys_version_now(d: *mut PyObject) -> u32 {
    // SAFETY: `ma_keys` of a live exact dict.
    unsafe {
        field(
            field::<*const PyObject>(d, dict::MA_KEYS),
            dict_keys::DK_VERSION,
        )
    }
}

/// Key versions this runtime assigns, counting down from the top of the `u32` range.
static NEXT_KEYS_VERSION: AtomicU32 = AtomicU32::new(u32::MAX);

/// The lowest version this runtime assigns: below it, a builtin is not cached.
const LOWEST_KEYS_VERSION: u32 = 1 << 31;

/// A non-zero version for the current keys of `d` (what `_PyDictKeys_GetVersionForCurrentState`
/// does, which 3.11 does not export), or None once this runtime has used up its range.
///
/// 3.11 keeps `dk_version` equal while the keys are (rebinding a value keeps it; adding,
/// deleting or resizing resets it to 0, and a copied keys object has the same keys) and hands
/// out versions from one counter counting up from 2 that stops at the top of the range; the
/// interpreter's `LOAD_GLOBAL_MODULE`/`LOAD_GLOBAL_BUILTIN` rely on that. Versions given out
/// here count down from `u32::MAX` to `2^31`, so the two could only meet after more than two
/// billion key versions in one process, and a version is never given twice.
///
/// # Safety
/// GIL held; `d` a live exact dict.
unsafe fn keys_version(d: *mut PyObject) -> Option<u32> {
    // SAFETY: per the contract; the GIL serializes writers of `dk_version`.
    unsafe {
        let keys: *mut u8 = field(d, dict::MA_KEYS);
        let at = keys.add(dict_keys::DK_VERSION as usize) as *mut u32;
        if *at == 0 {
            let v = NEXT_KEYS_VERSION
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                    (v > LOWEST_KEYS_VERSION).then(|| v - 1)
                })
                .ok()?;
            *at = v;
        }
        Some(*at)
    }
}

/// True when `name` is certainly not a key of `d`: an exact dict whose keys are all str, so
/// that the lookup runs no Python code and cannot fail.
///
/// # Safety
/// GIL held; `name` an exact str.
unsafe fn pure_absent(d: *mut PyObject, name: *mut PyObject) -> bool {
    // SAFETY: `ma_keys` of a live exact dict.
    unsafe {
        let keys: *const PyObject = field(d, dict::MA_KEYS);
        field::<u8>(keys, dict_keys::DK_KIND) != dict_keys::KIND_GENERAL
            && PyDict_GetItemWithError(d, name).is_null()
            && PyErr_Occurred().is_null()
    }
}

/// A module attribute from a `MODULE_ATTR` cache (new reference), or NULL.
///
/// # Safety
/// GIL held; `owner` live.
#[inline(always)]
unsafe fn module_hit(c: &SiteCache, owner: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; an equal tag means the dict still holds the value.
    unsafe {
        if c.kind != MODULE_ATTR || Py_TYPE(owner) != &raw mut PyModule_Type {
            return ptr::null_mut();
        }
        let d = PyModule_GetDict(owner);
        if d.is_null() || dict_tag(d) as usize != c.words[0] {
            return ptr::null_mut();
        }
        let v = c.words[1] as *mut PyObject;
        Py_INCREF(v);
        v
    }
}

/// The entries of a dict's keys object and the size of one (`(hash,) key, value`).
///
/// # Safety
/// `keys` live dict keys.
#[inline(always)]
unsafe fn dict_entries(keys: *const u8) -> (*const u8, usize) {
    // SAFETY: entries follow the index table, whose size is `1 << dk_log2_index_bytes`.
    unsafe {
        let log2_index_bytes = field::<u8>(keys.cast(), dict_keys::DK_LOG2_INDEX_BYTES);
        let entries = keys
            .offset(dict_keys::DK_INDICES as isize)
            .add(1usize << log2_index_bytes);
        let general = field::<u8>(keys.cast(), dict_keys::DK_KIND) == dict_keys::KIND_GENERAL;
        if general {
            (entries, dict_keys::SIZEOF_ENTRY as usize)
        } else {
            (entries, dict_keys::SIZEOF_UNICODE_ENTRY as usize)
        }
    }
}

/// `(key, value)` of entry `i` of the exact dict `d` (the value from `ma_values` for a split
/// dict), or None when `i` is past its entries.
///
/// # Safety
/// `d` a live exact dict.
#[inline(always)]
unsafe fn dict_entry(d: *mut PyObject, i: usize) -> Option<(*mut PyObject, *mut PyObject)> {
    // SAFETY: `i` is checked against `dk_nentries`; split dicts keep values in `ma_values`.
    unsafe {
        let keys: *const u8 = field(d, dict::MA_KEYS);
        if i >= nentries(keys) {
            return None;
        }
        let (entries, size) = dict_entries(keys);
        let entry = entries.add(i * size) as *const *mut PyObject;
        let key_at = if size == dict_keys::SIZEOF_ENTRY as usize {
            1
        } else {
            0
        };
        let key = *entry.add(key_at);
        let values: *mut *mut PyObject = field(d, dict::MA_VALUES);
        let value = if values.is_null() {
            *entry.add(key_at + 1)
        } else {
            *values.add(i)
        };
        Some((key, value))
    }
}

/// The key index an instance-value cache holds for `owner`'s type, if any.
///
/// # Safety
/// `owner` live.
#[inline(always)]
unsafe fn cached_index(c: &mut SiteCache, kind: u32, owner: *mut PyObject) -> Option<usize> {
    // SAFETY: per the contract.
    unsafe {
        if c.kind != kind {
            return None;
        }
        let version = type_version(Py_TYPE(owner));
        if version == 0 {
            return None;
        }
        c.find(1, version).map(|e| e[0] as u32 as usize)
    }
}

/// `LOAD_ATTR` with a site cache: as `PyObject_GetAttr(owner, name)` (new reference, or NULL
/// with an exception set); `owner` borrowed.
///
/// # Safety
/// GIL held; `cache` this site's cache; `name` an exact str from `co_names`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_attr_cached(
    owner: *mut PyObject,
    name: *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract and the invariants of the module doc.
    unsafe {
        let c = SiteCache::checked(cache);
        if let Some(at) = cached_index(c, ATTR_INSTANCE_VALUE, owner) {
            if at as u32 == UNCACHEABLE {
                return PyObject_GetAttr(owner, name);
            }
            if at as u32 == PROPERTY {
                return property_get(owner, name);
            }
            if at as u32 & CLASS_VALUE == CLASS_VALUE {
                return class_value(owner, name, (at as u32 & !CLASS_VALUE) as usize);
            }
            let v = own_value(owner, name, at);
            if !v.is_null() {
                Py_INCREF(v);
                return v;
            }
        }
        let v = module_hit(c, owner);
        if !v.is_null() {
            return v;
        }
        let v = class_hit(c, owner);
        if !v.is_null() {
            return v;
        }
        let v = PyObject_GetAttr(owner, name);
        if !v.is_null() {
            fill_load_attr(c, owner, name, v);
        }
        v
    }
}

/// The instance's own value at the place an `ATTR_INSTANCE_VALUE` entry names (`at`: a slot,
/// an index of the inline values, or a hinted entry of a materialized `__dict__`), borrowed;
/// NULL when it is not there. Runs no code: a `__dict__` is read only when its keys are all
/// str.
///
/// # Safety
/// GIL held; `owner` live, of the type the entry was filled for; `name` an exact str.
unsafe fn own_value(owner: *mut PyObject, name: *mut PyObject, at: usize) -> *mut PyObject {
    // SAFETY: per the contract; the entry's layout is the owner type's.
    unsafe {
        if at as u32 & SLOT != 0 {
            *slot_at(owner, at)
        } else if at as u32 & IN_DICT == 0 {
            let values = managed_values(owner);
            if values.is_null() {
                ptr::null_mut()
            } else {
                *values.add(at)
            }
        } else if managed_values(owner).is_null() {
            // In the materialized `__dict__`: at the hinted entry (where the name was when the
            // cache was filled, as 3.11's LOAD_ATTR_WITH_HINT), else by name, since instances
            // of one type may add their attributes in different orders.
            let d = managed_dict(owner);
            if !is_pure_dict(d) {
                ptr::null_mut()
            } else {
                match dict_entry(d, at & !(IN_DICT as usize)) {
                    Some((key, value)) if key == name => value,
                    _ => PyDict_GetItem(d, name),
                }
            }
        } else {
            ptr::null_mut()
        }
    }
}

/// The attribute load of inlined code (`passes::inline` in the compiler): what
/// `s6_rt_load_attr_cached` would return when running no code can find it (an instance value,
/// slot or `__dict__` entry the cache names, a module's global, a class constant read through
/// an instance or through the class itself when its metatype is `type`), a new reference;
/// NULL *without* an exception for anything else (a property, another descriptor with
/// `__get__`, a missing attribute, `__getattr__`, a name the metatype has, a class with another
/// metatype or a type with its own `__getattribute__`), where the caller gives up the inlined code and makes the
/// real call, which does the full lookup. A miss fills the cache, as the load does, from what
/// [`pure_lookup`] finds.
///
/// # Safety
/// GIL held; `cache` this site's cache; `name` an exact str.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_probe_attr_cached(
    owner: *mut PyObject,
    name: *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract and the invariants of the module doc.
    unsafe {
        let c = SiteCache::checked(cache);
        if let Some(at) = cached_index(c, ATTR_INSTANCE_VALUE, owner) {
            let at32 = at as u32;
            if at32 == UNCACHEABLE || at32 == PROPERTY {
                return ptr::null_mut();
            }
            let v = if at32 & CLASS_VALUE == CLASS_VALUE {
                let tp = Py_TYPE(owner);
                let n = (at32 & !CLASS_VALUE) as usize;
                if managed_values(owner).is_null() || nentries(shared_keys(tp)) != n {
                    ptr::null_mut()
                } else {
                    match type_lookup(tp, name) {
                        v if !v.is_null() && (*Py_TYPE(v)).tp_descr_get.is_none() => v,
                        _ => ptr::null_mut(),
                    }
                }
            } else {
                own_value(owner, name, at)
            };
            if !v.is_null() {
                Py_INCREF(v);
            }
            return v;
        }
        let v = module_hit(c, owner);
        if !v.is_null() {
            return v;
        }
        let v = pure_lookup(owner, name);
        if !v.is_null() {
            fill_load_attr(c, owner, name, v);
            Py_INCREF(v);
        }
        v
    }
}

/// `getattr(owner, name)` when finding it runs no code (borrowed), else NULL without an
/// exception: the generic lookup of `_PyObject_GenericGetAttrWithDict` restricted to what
/// needs no call. The type's attribute must have no `__get__` (a data descriptor would win
/// over the instance; a method or property would run or bind); the instance's own value is
/// read from its values array through the shared keys or from its `__dict__` when every key
/// there is a str; a module's value from its dict when its type has nothing of that name; a
/// class's value from its MRO when the metatype is `type` and has nothing of that name.
///
/// # Safety
/// GIL held; `owner` live; `name` an exact str.
unsafe fn pure_lookup(owner: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; every read is of a live object's own fields.
    unsafe {
        let tp = Py_TYPE(owner);
        if tp == &raw mut PyType_Type {
            // A class's own attribute (`Direction.FORWARD`), as `type_getattro` finds it when
            // the metatype `type` has nothing of that name: the value in the class's MRO,
            // unless it has a `__get__` (a function, property or classmethod would bind).
            if !type_lookup(tp, name).is_null() {
                return ptr::null_mut();
            }
            let v = type_lookup(owner.cast(), name);
            if v.is_null() || (*Py_TYPE(v)).tp_descr_get.is_some() {
                return ptr::null_mut();
            }
            return v;
        }
        if !generic_getattr(tp) && tp != &raw mut PyModule_Type {
            return ptr::null_mut();
        }
        let descr = type_lookup(tp, name);
        if !descr.is_null() && (*Py_TYPE(descr)).tp_descr_get.is_some() {
            return ptr::null_mut();
        }
        if tp == &raw mut PyModule_Type {
            if !descr.is_null() {
                return ptr::null_mut();
            }
            return pure_dict_get(PyModule_GetDict(owner), name);
        }
        let own = if has_managed_dict(tp) {
            let values = managed_values(owner);
            if !values.is_null() {
                let keys = shared_keys(tp);
                if keys.is_null() {
                    return ptr::null_mut();
                }
                match shared_key_index(keys, name) {
                    Some(i) => *values.add(i),
                    None => ptr::null_mut(),
                }
            } else {
                let d = managed_dict(owner);
                if !d.is_null() && !is_pure_dict(d) {
                    return ptr::null_mut();
                }
                pure_dict_get(d, name)
            }
        } else if field::<isize>(tp.cast(), type_obj::TP_DICTOFFSET) != 0 {
            return ptr::null_mut();
        } else {
            ptr::null_mut()
        };
        if own.is_null() { descr } else { own }
    }
}

/// A class attribute from a `CLASS_ATTR` cache (new reference), or NULL.
///
/// # Safety
/// GIL held; `owner` live.
#[inline(always)]
unsafe fn class_hit(c: &mut SiteCache, owner: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; an equal version means the class's dicts still hold the value.
    unsafe {
        if c.kind != CLASS_ATTR || Py_TYPE(owner) != &raw mut PyType_Type {
            return ptr::null_mut();
        }
        let version = type_version(owner.cast());
        if version == 0 {
            return ptr::null_mut();
        }
        // Generated code checks the first entry: a class that rebound an attribute since (a
        // new version) has its live entry moved there.
        match c.find_within(2, version, 1) {
            // `classmethod.__get__(None, cls)` of a function: the function bound to the class.
            Some(e) if e[0] as u32 == CLASSMETHOD_DESCR => {
                match descr_function(e[1] as *mut PyObject, CLASSMETHOD_DESCR) {
                    Some(f) => PyMethod_New(f, owner),
                    None => ptr::null_mut(),
                }
            }
            // `staticmethod.__get__`: its callable, whatever it is.
            Some(e) if e[0] as u32 == STATICMETHOD_DESCR => {
                match descr_function(e[1] as *mut PyObject, STATICMETHOD_DESCR) {
                    Some(f) => {
                        Py_INCREF(f);
                        f
                    }
                    None => ptr::null_mut(),
                }
            }
            Some(e) if type_version(Py_TYPE(e[1] as *mut PyObject)) == e[0] as u32 => {
                let v = e[1] as *mut PyObject;
                Py_INCREF(v);
                v
            }
            _ => ptr::null_mut(),
        }
    }
}

/// The callable of a `classmethod` (`mark` `CLASSMETHOD_DESCR`: only an exact function,
/// whose `__get__` binds it to the class as `PyMethod_New` would) or of a `staticmethod`
/// (`STATICMETHOD_DESCR`: any callable), read where their `__func__` member says; `None` for
/// an uninitialized one (`__new__` without `__init__`) or another kind of callable.
///
/// # Safety
/// GIL held; `d` a live object of exactly that descriptor type.
unsafe fn descr_function(d: *mut PyObject, mark: u32) -> Option<*mut PyObject> {
    // SAFETY: per the contract; the offset is that of the descriptor type's own `__func__`
    // member (`T_OBJECT`), which lies inside every instance of it.
    unsafe {
        let tp = if mark == CLASSMETHOD_DESCR {
            &raw mut PyClassMethod_Type
        } else {
            &raw mut PyStaticMethod_Type
        };
        let offset = func_member_offset(tp)?;
        let f = *(d as *mut u8).add(offset).cast::<*mut PyObject>();
        if f.is_null() || (mark == CLASSMETHOD_DESCR && Py_TYPE(f) != &raw mut PyFunction_Type) {
            return None;
        }
        Some(f)
    }
}

/// The byte offset of the `__func__` member of `classmethod` or `staticmethod` (their structs
/// are private to `funcobject.c`; the member descriptor says where the callable is), found once.
///
/// # Safety
/// GIL held; `tp` is `PyClassMethod_Type` or `PyStaticMethod_Type`.
#[allow(deprecated)] // `T_OBJECT`: what `classmethod.__func__` is declared as in 3.11.
unsafe fn func_member_offset(tp: *mut PyTypeObject) -> Option<usize> {
    static OFFSETS: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];
    // SAFETY: per the contract.
    unsafe {
        let slot = &OFFSETS[usize::from(tp == &raw mut PyStaticMethod_Type)];
        match slot.load(Ordering::Relaxed) {
            0 => {}
            u32::MAX => return None,
            n => return Some(n as usize),
        }
        let name = PyUnicode_InternFromString(c"__func__".as_ptr());
        if name.is_null() {
            PyErr_Clear();
            return None;
        }
        let d = type_lookup(tp, name);
        Py_DECREF(name);
        let found = (!d.is_null() && Py_TYPE(d) == &raw mut PyMemberDescr_Type)
            .then(|| &*(*(d as *mut PyMemberDescrObject)).d_member)
            .filter(|m| m.type_code == _Py_T_OBJECT || m.type_code == Py_T_OBJECT_EX)
            .and_then(|m| u32::try_from(m.offset).ok())
            .filter(|&o| o >= object::SIZEOF_OBJECT as u32 && o != u32::MAX);
        slot.store(found.unwrap_or(u32::MAX), Ordering::Relaxed);
        found.map(|o| o as usize)
    }
}

/// `LOAD_METHOD` of a classmethod on a class, from a `CLASS_ATTR` cache: the function and the
/// class as the method and its `self` (what calling the bound method passes), without making
/// the bound method; `None` when the cache says otherwise.
///
/// # Safety
/// GIL held; `obj` live.
unsafe fn classmethod_hit(c: &SiteCache, obj: *mut PyObject) -> Option<*mut PyObject> {
    // SAFETY: per the contract; an equal version means the class still holds the descriptor.
    unsafe {
        if c.kind != CLASS_ATTR || Py_TYPE(obj) != &raw mut PyType_Type {
            return None;
        }
        let version = type_version(obj.cast());
        let e = c
            .entries(2)
            .find(|e| version != 0 && (e[0] >> 32) as u32 == version)?;
        if e[0] as u32 != CLASSMETHOD_DESCR {
            return None;
        }
        descr_function(e[1] as *mut PyObject, CLASSMETHOD_DESCR)
    }
}

/// Caches `v = getattr(owner, name)` for a class `owner` whose metaclass is exactly `type`,
/// when `type_getattro` found it in the class's MRO and returns it as it is: no attribute of
/// that name on `type` itself, and a value without `__get__`, or a plain function (whose
/// `__get__` on a class returns the function).
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str.
unsafe fn fill_class_attr(
    c: &mut SiteCache,
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) {
    // SAFETY: per the contract.
    unsafe {
        let cls: *mut PyTypeObject = owner.cast();
        if !type_lookup(&raw mut PyType_Type, name).is_null() {
            return;
        }
        let d = type_lookup(cls, name);
        if d != v {
            // A classmethod of a function (`v` its bound method) or a staticmethod (`v` its
            // callable): the descriptor is cached, its callable read at each hit.
            let mark = if d.is_null() {
                return;
            } else if Py_TYPE(d) == &raw mut PyClassMethod_Type {
                CLASSMETHOD_DESCR
            } else if Py_TYPE(d) == &raw mut PyStaticMethod_Type {
                STATICMETHOD_DESCR
            } else {
                return;
            };
            let Some(f) = descr_function(d, mark) else {
                return;
            };
            let gives_v = if mark == CLASSMETHOD_DESCR {
                Py_TYPE(v) == &raw mut PyMethod_Type
                    && field::<*mut PyObject>(v, method::IM_FUNC) == f
                    && field::<*mut PyObject>(v, method::IM_SELF) == owner
            } else {
                v == f
            };
            let version = type_version(cls);
            if gives_v && version != 0 {
                c.add(CLASS_ATTR, version, &[tagged(version, mark), d as usize]);
            }
            return;
        }
        let vt = Py_TYPE(v);
        if (*vt).tp_descr_get.is_some() && vt != &raw mut PyFunction_Type {
            return;
        }
        // Any lookup gives the value's type a version tag if it can have one (the result does
        // not matter: `type_getattro` asks the `tp_descr_get` slot, checked above).
        type_lookup(vt, name);
        let (version, value_version) = (type_version(cls), type_version(vt));
        if version != 0 && value_version != 0 {
            c.add(
                CLASS_ATTR,
                version,
                &[tagged(version, value_version), v as usize],
            );
        }
    }
}

/// Caches where `PyObject_GetAttr(owner, name)` just found `v`, when that place can be checked
/// cheaply next time.
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str.
unsafe fn fill_load_attr(
    c: &mut SiteCache,
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) {
    // SAFETY: per the contract.
    unsafe {
        let tp = Py_TYPE(owner);
        if tp == &raw mut PyModule_Type {
            let d = PyModule_GetDict(owner);
            if pure_dict_get(d, name) == v {
                c.set(MODULE_ATTR, &[dict_tag(d) as usize, v as usize]);
            } else {
                c.clear();
            }
            return;
        }
        if tp == &raw mut PyType_Type {
            fill_class_attr(c, owner, name, v);
            return;
        }
        if !generic_getattr(tp) {
            return;
        }
        let at = match instance_value_index(owner, name, v, Access::Load) {
            Some(index) => index as u32,
            None => match in_instance_dict(owner, name, v, Access::Load) {
                Some(hint) => IN_DICT | hint,
                None => match slot_offset(owner, name, v) {
                    Some(offset) => SLOT | offset,
                    // A class constant read through an instance: the type's value while the
                    // instance does not have the name.
                    None if let Some(n) = class_value_shape(owner, name, v) => CLASS_VALUE | n,
                    // The type has the attribute (and it is no plain slot): no instance of this
                    // version can be read from a place, so say so once (and whether it is a
                    // property, whose getter the helper then calls directly).
                    None => match type_lookup(tp, name) {
                        d if d.is_null() => return,
                        d if Py_TYPE(d) == &raw mut PyProperty_Type => PROPERTY,
                        _ => UNCACHEABLE,
                    },
                },
            },
        };
        let version = type_version(tp);
        if version == 0 {
            return;
        }
        c.add(ATTR_INSTANCE_VALUE, version, &[tagged(version, at)]);
    }
}

/// `getattr(owner, name)` where the site cache says the type's attribute is an exact
/// `property` (`PROPERTY`): its getter is called as a direct call (`direct::call_binding`: its
/// frame pushed here, native code or the interpreter as for any call) instead of through
/// `property.__get__` and the vectorcall of the function. That is what
/// `_PyObject_GenericGetAttrWithDict` does for a data descriptor on a type without
/// `__getattribute__` or `__getattr__` of its own (the cache was filled only for such a type,
/// and the version it checked says the type is unchanged). The getter is read from the
/// property at each load (`property.__init__` can replace it); without one,
/// `PyObject_GetAttr` raises as CPython does.
///
/// # Safety
/// GIL held; `owner` live; `name` an exact str.
unsafe fn property_get(owner: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: per the contract; `prop_get` is read from a live exact `property`, and the
    // getter and `owner` are owned (increfed) while `call_binding` may consume them.
    unsafe {
        let tp = Py_TYPE(owner);
        let d = type_lookup(tp, name);
        if !d.is_null() && Py_TYPE(d) == &raw mut PyProperty_Type && owner != Py_None() {
            let fget: *mut PyObject = field(d, s6_py311::layout::property::PROP_GET);
            if !fget.is_null() {
                Py_INCREF(fget);
                Py_INCREF(owner);
                let args = [owner];
                if let Some(r) =
                    crate::evaluator::direct::call_binding(fget, args.as_ptr(), 1, ptr::null_mut())
                {
                    return r;
                }
                Py_DECREF(owner);
                Py_DECREF(fget);
            }
        }
        PyObject_GetAttr(owner, name)
    }
}

/// `CLASS_VALUE`'s shape (the shared keys' entry count) when `v`, what `getattr(owner, name)`
/// gave, is the type's own value for `name`, without `__get__`, and `owner` cannot have the
/// name itself: its dict is not materialized and the name is not among the shared keys.
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str; `owner`'s type has generic getattr.
unsafe fn class_value_shape(
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
) -> Option<u32> {
    // SAFETY: per the contract; `managed_values` only for managed-dict types.
    unsafe {
        let tp = Py_TYPE(owner);
        let keys = shared_keys(tp);
        if keys.is_null()
            || type_lookup(tp, name) != v
            || (*Py_TYPE(v)).tp_descr_get.is_some()
            || managed_values(owner).is_null()
            || shared_key_index(keys, name).is_some()
        {
            return None;
        }
        u32::try_from(nentries(keys))
            .ok()
            .filter(|&n| n & CLASS_VALUE == 0)
    }
}

/// A `CLASS_VALUE` hit: the type's value for `name` (new reference) when `owner` still cannot
/// have the name itself (its dict not materialized, the shared keys still `n` long) and the
/// value still has no `__get__` (its class could have gained one without changing the owner's
/// type version); else the generic lookup.
///
/// # Safety
/// GIL held; `owner` live, of the type version the entry was made for; `name` an exact str.
unsafe fn class_value(owner: *mut PyObject, name: *mut PyObject, n: usize) -> *mut PyObject {
    // SAFETY: per the contract: the version says the type has managed dicts and shared keys.
    unsafe {
        let tp = Py_TYPE(owner);
        if !managed_values(owner).is_null() && nentries(shared_keys(tp)) == n {
            let v = type_lookup(tp, name);
            if !v.is_null() && (*Py_TYPE(v)).tp_descr_get.is_none() {
                Py_INCREF(v);
                return v;
            }
        }
        PyObject_GetAttr(owner, name)
    }
}

/// Which access a cache entry serves: what on the type can take precedence over the instance.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// A load: any class attribute (the instance's value wins only while it has one).
    Load,
    /// A store: only a class attribute whose type has `__set__`. One whose type is immutable
    /// and has no `__set__` (`None`, a number, a function: a dataclass field's default) lets
    /// the store reach the instance, and keeps doing so while the type's version holds (the
    /// attribute is not rebound, and its immutable type cannot gain `__set__`), as 3.11's
    /// `STORE_ATTR_INSTANCE_VALUE` specializes for `NON_DESCRIPTOR` and `ABSENT` alike.
    Store,
}

/// Whether something on `tp` takes precedence over the instance for `access` to `name`.
///
/// # Safety
/// GIL held; `tp` a live type; `name` a str.
unsafe fn type_takes_precedence(
    tp: *mut PyTypeObject,
    name: *mut PyObject,
    access: Access,
) -> bool {
    // SAFETY: per the contract; the type of a live object.
    unsafe {
        let d = type_lookup(tp, name);
        if d.is_null() {
            return false;
        }
        let dt = Py_TYPE(d);
        access == Access::Load
            || (*dt).tp_flags & Py_TPFLAGS_IMMUTABLETYPE == 0
            || (*dt).tp_descr_set.is_some()
    }
}

/// The index of `name` in `owner`'s values when `v` is that value and nothing on the type
/// can take precedence for `access`, and the type has a valid version to check that by.
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str.
unsafe fn instance_value_index(
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
    access: Access,
) -> Option<usize> {
    // SAFETY: per the contract; `managed_values` only for managed-dict types.
    unsafe {
        let tp = Py_TYPE(owner);
        let keys = shared_keys(tp);
        if keys.is_null() || type_takes_precedence(tp, name, access) || type_version(tp) == 0 {
            return None;
        }
        let values = managed_values(owner);
        if values.is_null() {
            return None;
        }
        let index = shared_key_index(keys, name)?;
        (*values.add(index) == v).then_some(index)
    }
}

/// When `v` is `name`'s value in `owner`'s materialized `__dict__` (an exact dict with str
/// keys, so that a lookup by name runs no Python code) and nothing on the type can take
/// precedence (as `instance_value_index`), the index of its entry there (a hint: instances of
/// that type version keep `name` in their dict, usually at the same entry).
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str.
unsafe fn in_instance_dict(
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
    access: Access,
) -> Option<u32> {
    // SAFETY: per the contract; `managed_dict` only for managed-dict types.
    unsafe {
        let tp = Py_TYPE(owner);
        if !has_managed_dict(tp) || type_takes_precedence(tp, name, access) || type_version(tp) == 0
        {
            return None;
        }
        let d = managed_dict(owner);
        if !managed_values(owner).is_null() || pure_dict_get(d, name) != v {
            return None;
        }
        let hint = (0..nentries(field(d, dict::MA_KEYS)))
            .find(|&i| dict_entry(d, i).is_some_and(|(key, value)| key == name && value == v))?;
        u32::try_from(hint).ok().filter(|&h| h < SLOT)
    }
}

/// The object pointer a `SLOT | offset` entry designates in `owner`.
///
/// # Safety
/// `at` came from [`slot_offset`] for `owner`'s type (same version).
#[inline(always)]
unsafe fn slot_at(owner: *mut PyObject, at: usize) -> *mut *mut PyObject {
    // SAFETY: per the contract, the offset lies inside every instance of that type.
    unsafe { (owner as *mut u8).add(at & !(SLOT as usize)).cast() }
}

/// The byte offset of the `__slots__` member `name` of `owner`'s type when `v` is its value:
/// the type's attribute is a plain member descriptor for an object slot (`T_OBJECT_EX`, no
/// flags: not read-only, no audit), which takes precedence over any instance `__dict__`, as
/// 3.11's `LOAD_ATTR_SLOT` / `STORE_ATTR_SLOT` require.
///
/// # Safety
/// GIL held; `owner` and `v` live; `name` an exact str.
unsafe fn slot_offset(owner: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> Option<u32> {
    // SAFETY: per the contract; `d_member` of a live member descriptor.
    unsafe {
        let tp = Py_TYPE(owner);
        let d = type_lookup(tp, name);
        if d.is_null() || Py_TYPE(d) != &raw mut PyMemberDescr_Type || type_version(tp) == 0 {
            return None;
        }
        let m = &*(*(d as *mut PyMemberDescrObject)).d_member;
        let offset = u32::try_from(m.offset).ok()?;
        let fits = offset >= object::SIZEOF_OBJECT as u32 && offset < SLOT;
        if m.type_code != Py_T_OBJECT_EX || m.flags != 0 || !fits {
            return None;
        }
        (*slot_at(owner, offset as usize) == v).then_some(offset)
    }
}

/// Records that key `index` got a value, as 3.11's `_PyDictValues_AddToInsertionOrder`: a
/// values array is preceded by a byte prefix (its size in the last byte, the number of keys
/// with values in the one before, their indices in insertion order before that), which is
/// what `__dict__` and `vars()` list attributes in.
///
/// # Safety
/// `values` a live instance values array whose key `index` had no value.
unsafe fn add_to_insertion_order(values: *mut *mut PyObject, index: usize) {
    // SAFETY: the prefix has room for one byte per key the values can hold; `index` < that.
    unsafe {
        let count = (values as *mut u8).sub(2);
        let n = *count as usize + 1;
        *count.sub(n) = index as u8;
        *count = n as u8;
    }
}

/// `STORE_ATTR` with a site cache: as `PyObject_SetAttr(owner, name, v)` (0, or -1 with an
/// exception set); nothing stolen.
///
/// # Safety
/// GIL held; `cache` this site's cache; `name` an exact str from `co_names`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_store_attr_cached(
    owner: *mut PyObject,
    name: *mut PyObject,
    v: *mut PyObject,
    cache: *mut SiteCache,
) -> i32 {
    // SAFETY: per the contract; as the interpreter's STORE_ATTR_INSTANCE_VALUE.
    unsafe {
        let c = SiteCache::checked(cache);
        if let Some(index) = cached_index(c, STORE_INSTANCE_VALUE, owner) {
            if index as u32 & SLOT != 0 {
                let slot = slot_at(owner, index);
                let old = *slot;
                Py_INCREF(v);
                *slot = v;
                Py_XDECREF(old);
                return 0;
            }
            if index as u32 & IN_DICT != 0 {
                let d = managed_dict(owner);
                if managed_values(owner).is_null() && is_pure_dict(d) {
                    return PyDict_SetItem(d, name, v);
                }
            }
            let values = managed_values(owner);
            if index as u32 & IN_DICT == 0 && !values.is_null() {
                let slot = values.add(index);
                let old = *slot;
                Py_INCREF(v);
                *slot = v;
                if old.is_null() {
                    add_to_insertion_order(values, index);
                } else {
                    Py_DECREF(old);
                }
                return 0;
            }
        }
        let r = PyObject_SetAttr(owner, name, v);
        // The type now (the store may have run code that reassigned `__class__`).
        let tp = Py_TYPE(owner);
        if r == 0 && generic_setattr(tp) {
            let at = match instance_value_index(owner, name, v, Access::Store) {
                Some(index) => Some(index as u32),
                None => slot_offset(owner, name, v)
                    .map(|offset| SLOT | offset)
                    .or(in_instance_dict(owner, name, v, Access::Store).map(|hint| IN_DICT | hint)),
            };
            if let Some(at) = at {
                let version = type_version(tp);
                c.add(STORE_INSTANCE_VALUE, version, &[tagged(version, at)]);
            }
        }
        r
    }
}

/// `STORE_GLOBAL` with a site cache: as `s6_rt_store_global` (0, or -1 with an exception
/// set). The store itself is always `PyDict_SetItem`; afterwards, when the globals are an
/// exact dict with str keys and the name's entry holds the value stored, the cache keeps that
/// entry's versioned slot (kind `GLOBAL`, as for a load), which generated code stores into
/// while the keys keep their version.
///
/// # Safety
/// GIL held; `f` is the running frame; `cache` this site's zero-initialised cache.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_store_global_cached(
    f: *mut Frame,
    name: *mut PyObject,
    v: *mut PyObject,
    cache: *mut SiteCache,
) -> i32 {
    // SAFETY: per the contract; entries are only read from pure dicts.
    unsafe {
        let c = SiteCache::checked(cache);
        let g = f_globals(f);
        let r = PyDict_SetItem(g, name, v);
        c.clear();
        if r == 0
            && is_pure_dict(g)
            && let Some(i) = entry_index(g, name, v)
            && let Some(slot) = versioned_slot(g, i)
        {
            c.set(GLOBAL, &[slot]);
        }
        r
    }
}

/// `LOAD_METHOD` with a site cache: as `s6_rt_load_method` (steals `obj`; returns the upper
/// stack value and writes the lower one).
///
/// # Safety
/// GIL held; `lower` writable; `cache` this site's cache; `name` an exact str.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_load_method_cached(
    obj: *mut PyObject,
    name: *mut PyObject,
    lower: *mut *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract and the invariants of the module doc; as the interpreter's
    // LOAD_METHOD_WITH_VALUES / _NO_DICT / _MODULE.
    unsafe {
        let c = SiteCache::checked(cache);
        let tp = Py_TYPE(obj);
        if c.kind == METHOD {
            let version = type_version(tp);
            if version != 0
                && let Some(e) = c.find(2, version)
            {
                let shape = e[0] as u32;
                let hit = if shape == NO_DICT {
                    true
                } else if shape == OFFSET_DICT {
                    offset_dict_lacks(obj, name)
                } else {
                    let d = managed_dict(obj);
                    if d.is_null() {
                        nentries(shared_keys(tp)) == (shape & !METHOD_DICT_OK) as usize
                    } else {
                        shape & METHOD_DICT_OK != 0
                            && is_pure_dict(d)
                            && PyDict_GetItemWithError(d, name).is_null()
                    }
                };
                if hit {
                    let meth = e[1] as *mut PyObject;
                    Py_INCREF(meth);
                    *lower = meth;
                    return obj;
                }
            }
        }
        if let Some(f) = classmethod_hit(c, obj) {
            // [function, class]: the call passes the class first, as the bound method would.
            Py_INCREF(f);
            *lower = f;
            return obj;
        }
        let mut v = module_hit(c, obj);
        if v.is_null() {
            v = class_hit(c, obj);
        }
        if !v.is_null() {
            *lower = ptr::null_mut();
            Py_DECREF(obj);
            return v;
        }
        let mut meth = ptr::null_mut();
        let found = _PyObject_GetMethod(obj, name, &mut meth);
        if meth.is_null() {
            *lower = ptr::null_mut();
            Py_DECREF(obj);
            return ptr::null_mut();
        }
        if found != 0 {
            fill_method(c, obj, name, meth);
            *lower = meth;
            obj
        } else {
            let tp = Py_TYPE(obj);
            if tp == &raw mut PyModule_Type || tp == &raw mut PyType_Type {
                fill_load_attr(c, obj, name, meth);
            }
            *lower = ptr::null_mut();
            Py_DECREF(obj);
            meth
        }
    }
}

/// The method load of inlined code (`passes::inline` in the compiler): what
/// `s6_rt_load_method_cached` returns (`obj` with `*lower` the method, or the attribute with
/// `*lower` NULL; `obj` consumed either way) when finding it runs no code: a cache hit, or a
/// method of the type that the instance does not shadow, or a value [`pure_lookup`] finds.
/// Anything else (a property, a descriptor with `__get__`, `__getattr__`, a missing name)
/// gives NULL *without* an exception, `obj` released, and the caller gives up the inlined
/// code and makes the real call. A method found fills the cache as the load does.
///
/// # Safety
/// GIL held; `lower` writable; `cache` this site's cache; `name` an exact str; `obj` not the
/// last reference to its object (the caller still holds it: releasing it runs no finalizer).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_probe_method_cached(
    obj: *mut PyObject,
    name: *mut PyObject,
    lower: *mut *mut PyObject,
    cache: *mut SiteCache,
) -> *mut PyObject {
    // SAFETY: per the contract; the lookups are those of `_PyObject_GetMethod` minus every
    // one that could call code.
    unsafe {
        let c = SiteCache::checked(cache);
        *lower = ptr::null_mut();
        let tp = Py_TYPE(obj);
        if generic_getattr(tp) && tp != &raw mut PyModule_Type {
            let descr = type_lookup(tp, name);
            if !descr.is_null()
                && PyType_HasFeature(Py_TYPE(descr), Py_TPFLAGS_METHOD_DESCRIPTOR) != 0
                && !shadowed(obj, name)
            {
                fill_method(c, obj, name, descr);
                Py_INCREF(descr);
                *lower = descr;
                return obj;
            }
        }
        let v = pure_lookup(obj, name);
        if !v.is_null() {
            Py_INCREF(v);
        }
        Py_DECREF(obj);
        v
    }
}

/// Whether `obj`'s own attributes may hold `name` (over its type's method): true unless its
/// values, its managed `__dict__` (a pure dict) or its `tp_dictoffset` dict are known not to.
///
/// # Safety
/// GIL held; `obj` live, of a type with the generic `__getattribute__`; `name` an exact str.
unsafe fn shadowed(obj: *mut PyObject, name: *mut PyObject) -> bool {
    // SAFETY: per the contract; reads of the instance's own fields.
    unsafe {
        let tp = Py_TYPE(obj);
        if has_managed_dict(tp) {
            let values = managed_values(obj);
            if !values.is_null() {
                let keys = shared_keys(tp);
                return keys.is_null()
                    || shared_key_index(keys, name).is_some_and(|i| !(*values.add(i)).is_null());
            }
            let d = managed_dict(obj);
            return !d.is_null() && (!is_pure_dict(d) || !PyDict_GetItem(d, name).is_null());
        }
        (*tp).tp_dictoffset != 0 && !offset_dict_lacks(obj, name)
    }
}

/// For an instance of a type that keeps its `__dict__` at `tp_dictoffset` (not a managed
/// dict: C types such as `io.BytesIO`, as 3.11's `LOAD_METHOD_WITH_DICT`): whether that dict
/// is absent or an exact dict without `name`, so a method of the type is what a lookup finds.
///
/// # Safety
/// GIL held; `obj` live, of a type with a non-zero `tp_dictoffset` and no managed dict; `name`
/// an exact str.
unsafe fn offset_dict_lacks(obj: *mut PyObject, name: *mut PyObject) -> bool {
    // SAFETY: per the contract; `_PyObject_GetDictPtr` only computes the slot's address for
    // such a type (it materializes nothing).
    unsafe {
        let slot = _PyObject_GetDictPtr(obj);
        if slot.is_null() {
            return false;
        }
        let d = *slot;
        d.is_null() || (is_pure_dict(d) && PyDict_GetItemWithError(d, name).is_null())
    }
}

/// Caches the method `_PyObject_GetMethod` found on `obj`'s type, when no instance can shadow
/// it without the cache noticing.
///
/// # Safety
/// GIL held; `obj` and `meth` live; `name` an exact str.
unsafe fn fill_method(
    c: &mut SiteCache,
    obj: *mut PyObject,
    name: *mut PyObject,
    meth: *mut PyObject,
) {
    // SAFETY: per the contract.
    unsafe {
        let tp = Py_TYPE(obj);
        if !generic_getattr(tp) || type_lookup(tp, name) != meth {
            return;
        }
        let version = type_version(tp);
        if version == 0 {
            return;
        }
        let shape = if has_managed_dict(tp) {
            let keys = shared_keys(tp);
            if keys.is_null() || shared_key_index(keys, name).is_some() {
                return;
            }
            // Also good for instances with a materialized `__dict__`, as long as their dict
            // does not have the name (checked at every hit).
            let d = managed_dict(obj);
            let with_dict = if d.is_null() {
                0
            } else if is_pure_dict(d) && PyDict_GetItemWithError(d, name).is_null() {
                METHOD_DICT_OK
            } else {
                return;
            };
            (nentries(keys) as u32 & !METHOD_DICT_OK) | with_dict
        } else if (*tp).tp_dictoffset == 0 {
            NO_DICT
        } else if offset_dict_lacks(obj, name) {
            OFFSET_DICT
        } else {
            return;
        };
        c.add(METHOD, version, &[tagged(version, shape), meth as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> SiteCache {
        SiteCache {
            kind: 0,
            count: 0,
            victim: 0,
            words: [0; WORDS],
        }
    }

    fn versions(c: &SiteCache, per: usize) -> Vec<u32> {
        c.entries(per).map(|e| (e[0] >> 32) as u32).collect()
    }

    #[test]
    fn an_entry_found_beyond_the_inline_ones_moves_to_the_front() {
        for per in [1, 2] {
            let mut c = empty();
            // Versions a class had while its module ran, then the one it keeps.
            for version in 1..=6u32 {
                let vals: Vec<usize> = (0..per).map(|w| tagged(version, w as u32)).collect();
                c.add(METHOD, version, &vals);
            }
            assert_eq!(versions(&c, per), [1, 2, 3, 4, 5, 6]);
            // Within the inline entries: found where it is.
            assert_eq!(
                c.find(per, 3).map(|e| e.to_vec()),
                Some((0..per).map(|w| tagged(3, w as u32)).collect())
            );
            assert_eq!(versions(&c, per), [1, 2, 3, 4, 5, 6]);
            // Beyond them: swapped with the first entry, whole (both words of a method entry).
            let found = c.find(per, 6).map(|e| e.to_vec());
            assert_eq!(found, Some((0..per).map(|w| tagged(6, w as u32)).collect()));
            assert_eq!(versions(&c, per), [6, 2, 3, 4, 5, 1]);
            assert_eq!(
                c.entries(per).last().unwrap()[per - 1],
                tagged(1, per as u32 - 1)
            );
            assert!(c.find(per, 7).is_none());
            assert_eq!(versions(&c, per), [6, 2, 3, 4, 5, 1]);
        }
    }

    #[test]
    fn a_kind_checked_once_inline_gets_its_found_entry_first() {
        // A class attribute: the class had version 1 when the site first read it, 2 now.
        let mut c = empty();
        c.add(CLASS_ATTR, 1, &[tagged(1, 9), 100]);
        c.add(CLASS_ATTR, 2, &[tagged(2, 9), 200]);
        assert_eq!(c.find_within(2, 2, 1).map(|e| e[1]), Some(200));
        assert_eq!(versions(&c, 2), [2, 1]);
        assert_eq!(c.find_within(2, 2, 1).map(|e| e[1]), Some(200));
        assert_eq!(versions(&c, 2), [2, 1]);
    }
}
