//! The machine-level types of strongjit values.

use std::fmt;

/// Type of an SSA value. There is no "boxed int" etc.: Python-level types are facts that guards
/// establish, not IR types.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    /// `PyObject*`. Whether a particular use owns a reference is stated by the instruction or
    /// callee contract, not by the type.
    Obj,
    I64,
    I32,
    /// Also the boolean type: 0 or 1.
    I8,
    F64,
    /// A raw pointer that is not a Python object (thread state, frame, stack buffer).
    Ptr,
}

impl Type {
    /// All types, in text-format order.
    pub const ALL: [Type; 6] = [
        Type::Obj,
        Type::I64,
        Type::I32,
        Type::I8,
        Type::F64,
        Type::Ptr,
    ];

    /// The text form (`obj`, `i64`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Type::Obj => "obj",
            Type::I64 => "i64",
            Type::I32 => "i32",
            Type::I8 => "i8",
            Type::F64 => "f64",
            Type::Ptr => "ptr",
        }
    }

    /// Parses the text form.
    pub fn from_name(s: &str) -> Option<Type> {
        Type::ALL.into_iter().find(|t| t.name() == s)
    }

    /// `i64`, `i32` or `i8`.
    pub fn is_int(self) -> bool {
        matches!(self, Type::I64 | Type::I32 | Type::I8)
    }

    /// Pointer-sized address types (`obj` and `ptr`): can be loaded from, compared, be NULL.
    pub fn is_pointer(self) -> bool {
        matches!(self, Type::Obj | Type::Ptr)
    }

    /// Size in bytes.
    pub fn bytes(self) -> u32 {
        match self {
            Type::Obj | Type::I64 | Type::F64 | Type::Ptr => 8,
            Type::I32 => 4,
            Type::I8 => 1,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
