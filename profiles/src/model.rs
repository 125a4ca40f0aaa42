//! The profile's data model: what one profiling run learned about a program.
//!
//! Everything here is *portable*: no process address, type version tag, dict-keys version or
//! function version survives into it. The profiler translates those in-process into names
//! (`module.qualname` of a type, attribute and global names, callee code keys) so that a profile
//! taken on one machine can drive a build on another, and so that `s6c build` needs no Python.
//!
//! Changing any type here changes the postcard encoding: bump `format::FORMAT_VERSION` (and
//! `format::MANIFEST_VERSION` for `CodeKey`, which manifests hold too).

use serde::{Deserialize, Serialize};

/// Identity of the interpreter a profile or cache was made for. A mismatch in any field means
/// "refuse": bytecode, caches and struct layouts are only valid for the build that made them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbiStamp {
    /// `sys.version`, e.g. `3.11.7 (main, ...) [GCC 12.2.0]`.
    pub python_version: String,
    /// `sys.hexversion`.
    pub hexversion: u32,
    /// `importlib.util.MAGIC_NUMBER` as a little-endian u16 (3495 for 3.11).
    pub bytecode_magic: u16,
    /// `sys.implementation.cache_tag` + `SOABI` + `platform.python_build()`: enough to tell two
    /// builds of the same version apart (Debian's 3.11.2 vs a pyenv 3.11.7, debug builds, ...).
    pub build_id: String,
}

/// A stable name for one code object, valid across processes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CodeKey {
    /// `co_filename` as the interpreter saw it when the module was imported.
    pub filename: String,
    /// `__name__` of the module whose globals the function runs in (`__main__` for the script).
    pub module: String,
    /// `co_qualname` (unique within a module except for redefinitions; `firstlineno` separates those).
    pub qualname: String,
    pub firstlineno: u32,
    /// `crate::hash::marshal_hash` of `marshal.dumps(code, hash::MARSHAL_VERSION)`; the same bytes
    /// are in `CodeProfile::marshal`.
    pub marshal_hash: u64,
}

/// Everything learned about one code object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeProfile {
    pub key: CodeKey,
    /// `marshal.dumps(code, hash::MARSHAL_VERSION)`: de-specialized bytecode and all constants, so the compiler needs no Python.
    pub marshal: Vec<u8>,
    /// True when the code lives outside the program's own files (stdlib, site-packages).
    pub is_library: bool,
    /// Sampler hits with this code on top of the stack.
    pub self_samples: u64,
    /// Sampler hits with this code anywhere on the stack (counted once per sample).
    pub inclusive_samples: u64,
    /// Per-instruction feedback, sorted by `index`.
    pub sites: Vec<SiteFeedback>,
}

/// What the specializing interpreter decided at one instruction, over the snapshots taken.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteFeedback {
    /// Code-unit index of the instruction (not of its EXTENDED_ARG prefix); `2 * index` is the byte offset.
    pub index: u32,
    /// Base opcode name, e.g. `BINARY_OP`.
    pub base_op: String,
    /// Distinct observations with how many snapshots saw each; more than one means polymorphic.
    pub observations: Vec<Observation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub count: u32,
    pub feedback: Feedback,
}

/// `module.qualname` of a type, e.g. `builtins.int` or `__main__.Point`.
pub type TypeName = String;

/// One decision of CPython's specializer, with process-local numbers replaced by names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feedback {
    /// Quickened but not specialized: the specializer failed `backoff` times in a row
    /// (polymorphic or unsupported site).
    Adaptive { backoff: u8 },
    /// Specialized on operand types: `BINARY_OP_ADD_INT` (int, int), `COMPARE_OP_FLOAT_JUMP`,
    /// `BINARY_SUBSCR_LIST_INT` (list, int), `STORE_SUBSCR_DICT`, `UNPACK_SEQUENCE_TWO_TUPLE`, ...
    /// `missed`: operands of other types reached the specialized form since it was specialized
    /// (its miss counter was below its start value), so other types occur there too.
    Operands {
        op: String,
        types: Vec<TypeName>,
        missed: bool,
    },
    /// Attribute load/store or method load on instances of `receiver`.
    Attr {
        op: String,
        receiver: TypeName,
        name: String,
        how: AttrKind,
    },
    /// `LOAD_GLOBAL_MODULE` / `LOAD_GLOBAL_BUILTIN`; `value` names what the global held when
    /// the profiler looked, when that is a builtin function or a module (else None).
    Global {
        op: String,
        name: String,
        builtin: bool,
        value: Option<Callee>,
    },
    /// `CALL_PY_*`, `PRECALL_*`, `BINARY_SUBSCR_GETITEM`: what was called.
    Call { op: String, callee: Callee },
}

/// How an attribute was found, mirroring the specialized `LOAD_ATTR_*`/`LOAD_METHOD_*` forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttrKind {
    /// In the instance's inline values (`LOAD_ATTR_INSTANCE_VALUE`), at this index of the shared keys.
    InstanceValue { index: u16 },
    /// A `__slots__` member at this byte offset (`LOAD_ATTR_SLOT`).
    Slot { offset: u16 },
    /// In the instance `__dict__`, with this entry index as a hint (`LOAD_ATTR_WITH_HINT`).
    DictHint { hint: u16 },
    /// A module attribute (`LOAD_ATTR_MODULE`, `LOAD_METHOD_MODULE`).
    Module,
    /// A method found on the class (`LOAD_METHOD_WITH_VALUES`/`WITH_DICT`/`NO_DICT`).
    Method { descr: Callee },
    /// An attribute of a class object itself (`LOAD_METHOD_CLASS`).
    ClassAttr { descr: Callee },
}

/// A callee named portably.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Callee {
    /// A Python function, by its code key.
    Code(CodeKey),
    /// A builtin function or method descriptor by `module.qualname` (`builtins.len`, `builtins.list.append`).
    Builtin(String),
    /// A class being called (`PRECALL_BUILTIN_CLASS`, ...).
    Type(TypeName),
    /// A module by its `__name__` (the value of a global such as `math`).
    Module(String),
    /// The specializer recorded only the kind of callee (e.g. `PRECALL_NO_KW_BUILTIN_O`).
    Unknown,
}

/// One profiling run (or several, merged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The command line that was profiled (`sys.argv` of each merged run, first run first).
    pub runs: Vec<Vec<String>>,
    /// Sampling interval in microseconds of CPU time.
    pub sample_interval_us: u32,
    /// Samples taken in total, including those that found no Python frame.
    pub total_samples: u64,
    /// How many cache snapshots were taken (the denominator of `Observation::count`).
    pub snapshots: u32,
    /// Every code object that ran, sorted by key.
    pub code: Vec<CodeProfile>,
}
