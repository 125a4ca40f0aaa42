//! The cache manifest: what `s6c build` wrote into a cache directory and what the runtime may
//! load from it. Written and checked with the same header discipline as profiles (magic,
//! format version, ABI stamp, CRC32); each object file is also pinned by a hash of its bytes so
//! that a missing or altered object is refused rather than loaded.

use serde::{Deserialize, Serialize};

use crate::model::{AbiStamp, CodeKey, TypeName};

/// The manifest's file name inside a cache directory.
pub const MANIFEST_FILE: &str = "manifest.s6m";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Interpreter the code was compiled for (copied from the profile).
    pub abi: AbiStamp,
    /// `abi::NATIVE_ABI_VERSION` of the compiler that wrote the objects.
    pub native_abi: u32,
    /// One relocatable object per source module.
    pub objects: Vec<ObjectEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectEntry {
    /// File name relative to the cache directory, e.g. `__main__.o`.
    pub file: String,
    /// `crate::hash::fnv1a64` of the object's bytes.
    pub hash: u64,
    /// Module name and its source file (as in `CodeKey`).
    pub module: String,
    pub source: String,
    /// Number of pointer-sized slots of the object's binding table.
    pub binding_slots: u32,
    pub functions: Vec<FunctionEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionEntry {
    pub key: CodeKey,
    /// Symbol of the entry point in the object (`abi::function_symbol`).
    pub symbol: String,
    /// Slots of the object's binding table this function uses, with what each must hold.
    pub bindings: Vec<BindingEntry>,
    /// Every place the function can leave native code, indexed by `exit_site`.
    pub exits: Vec<ExitSite>,
    /// Code units of its bytecode (`len(co_code) // 2`, CPython's `Py_SIZE(code)`): with the
    /// first line, what the runtime's prefilter compares without hashing a string.
    pub code_units: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BindingEntry {
    pub slot: u32,
    pub binding: Binding,
}

/// What a binding slot holds once the loader has filled it. A binding that cannot be resolved
/// leaves the slot NULL; generated code treats a NULL slot as a failed guard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Binding {
    /// A type by `module.qualname` (for type guards).
    Type(TypeName),
    /// A builtin by name (`len`), for identity guards on calls.
    Builtin(String),
    /// Any object by `module.qualname`, where the part after the module goes through class
    /// attributes (`builtins.list.append`, `math.sqrt`): identity guards on calls.
    Object(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitSite {
    /// Code-unit index of the instruction the exit belongs to.
    pub index: u32,
    pub kind: ExitKind,
    /// Human-readable reason (`"type guard: expected builtins.int"`, `"unsupported: IMPORT_STAR"`).
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitKind {
    /// A guard failed or the compiler chose not to handle an instruction: resume at `index`.
    Deopt,
    /// An exception is set: the interpreter unwinds from `index`.
    Error,
}
