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

/// What is known about the Python type of an `obj` value: a set of *atoms* (exact builtin
/// types, their user subclasses, everything else), optionally narrowed to the exact instances
/// of one class named by a binding. The lattice follows Cinder's `hir::Type`: a value typed
/// `FloatExact` is a `float` and not a subclass; `Float` is a float or any subclass;
/// `Object` (the top, printed as nothing) is any object.
///
/// It says nothing about NULL: a call result is typed by what it is when it is not NULL, and
/// `check_null` separates the two. Only `obj` values carry a Python type; for every other
/// machine type it is [`PyType::OBJECT`] and unused.
///
/// Text: `v3:FloatExact`, `v4:Long`, `v5:Exact[b2]` (exact instances of the class in binding
/// `b2`), `v6:StrExact|NoneType`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct PyType {
    bits: u32,
    /// Exact class (binding index): only with `bits == OTHER`.
    class: Option<u32>,
}

macro_rules! atoms {
    ($( $(#[$doc:meta])* $name:ident = $bit:expr, $text:literal; )*) => {
        impl PyType {
            $( $(#[$doc])* pub const $name: PyType = PyType { bits: 1 << $bit, class: None }; )*
            /// Every atom with its text name, in bit order.
            const ATOMS: &'static [(PyType, &'static str)] = &[ $( (PyType::$name, $text), )* ];
        }
    };
}

atoms! {
    /// `None`.
    NONE_TYPE = 0, "NoneType";
    /// `True`/`False` (`bool` has no subclasses).
    BOOL = 1, "Bool";
    LONG_EXACT = 2, "LongExact";
    /// An instance of a user subclass of `int` (not `bool`).
    LONG_USER = 3, "LongUser";
    FLOAT_EXACT = 4, "FloatExact";
    FLOAT_USER = 5, "FloatUser";
    STR_EXACT = 6, "StrExact";
    STR_USER = 7, "StrUser";
    BYTES_EXACT = 8, "BytesExact";
    TUPLE_EXACT = 9, "TupleExact";
    TUPLE_USER = 10, "TupleUser";
    LIST_EXACT = 11, "ListExact";
    LIST_USER = 12, "ListUser";
    DICT_EXACT = 13, "DictExact";
    DICT_USER = 14, "DictUser";
    SET_EXACT = 15, "SetExact";
    FROZENSET_EXACT = 16, "FrozenSetExact";
    /// A plain Python function (`types.FunctionType`).
    FUNC = 17, "Func";
    /// A class whose metaclass is exactly `type`.
    TYPE_EXACT = 18, "TypeExact";
    SLICE = 19, "Slice";
    RANGE = 20, "Range";
    /// Any object of a type not named above (user classes, other builtins, subclasses of
    /// bytes/set/...).
    OTHER = 21, "Other";
}

const ALL_BITS: u32 = (1 << 22) - 1;

impl PyType {
    /// Any object: the top of the lattice.
    pub const OBJECT: PyType = PyType {
        bits: ALL_BITS,
        class: None,
    };
    /// No object at all (the bottom: only in unreachable code).
    pub const BOTTOM: PyType = PyType {
        bits: 0,
        class: None,
    };
    /// `int` or a subclass, `bool` included.
    pub const LONG: PyType = PyType::LONG_EXACT
        .union(PyType::LONG_USER)
        .union(PyType::BOOL);
    pub const FLOAT: PyType = PyType::FLOAT_EXACT.union(PyType::FLOAT_USER);
    pub const STR: PyType = PyType::STR_EXACT.union(PyType::STR_USER);
    pub const TUPLE: PyType = PyType::TUPLE_EXACT.union(PyType::TUPLE_USER);
    pub const LIST: PyType = PyType::LIST_EXACT.union(PyType::LIST_USER);
    pub const DICT: PyType = PyType::DICT_EXACT.union(PyType::DICT_USER);

    /// Named unions, tried in this order when printing.
    const NAMED: &'static [(PyType, &'static str)] = &[
        (PyType::OBJECT, "Object"),
        (PyType::BOTTOM, "Bottom"),
        (PyType::LONG, "Long"),
        (PyType::FLOAT, "Float"),
        (PyType::STR, "Str"),
        (PyType::TUPLE, "Tuple"),
        (PyType::LIST, "List"),
        (PyType::DICT, "Dict"),
    ];

    /// Exact instances of the class in binding `binding` (a `type` binding).
    pub const fn exact_class(binding: u32) -> PyType {
        PyType {
            bits: PyType::OTHER.bits,
            class: Some(binding),
        }
    }

    /// The exact type of a builtin named `module.qualname`, if it is one of the atoms.
    pub fn of_builtin_name(name: &str) -> Option<PyType> {
        Some(match name {
            "builtins.NoneType" => PyType::NONE_TYPE,
            "builtins.bool" => PyType::BOOL,
            "builtins.int" => PyType::LONG_EXACT,
            "builtins.float" => PyType::FLOAT_EXACT,
            "builtins.str" => PyType::STR_EXACT,
            "builtins.bytes" => PyType::BYTES_EXACT,
            "builtins.tuple" => PyType::TUPLE_EXACT,
            "builtins.list" => PyType::LIST_EXACT,
            "builtins.dict" => PyType::DICT_EXACT,
            "builtins.set" => PyType::SET_EXACT,
            "builtins.frozenset" => PyType::FROZENSET_EXACT,
            "builtins.function" => PyType::FUNC,
            "builtins.type" => PyType::TYPE_EXACT,
            "builtins.slice" => PyType::SLICE,
            "builtins.range" => PyType::RANGE,
            _ => return None,
        })
    }

    /// The exact class binding, if narrowed to one.
    pub fn class(self) -> Option<u32> {
        self.class
    }

    /// Set union (the lattice join).
    pub const fn union(self, other: PyType) -> PyType {
        let class = match (self.class, other.class) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), None) if other.bits == 0 => Some(a),
            (None, Some(b)) if self.bits == 0 => Some(b),
            _ => None,
        };
        PyType {
            bits: self.bits | other.bits,
            class,
        }
    }

    /// Set intersection (the lattice meet).
    pub fn meet(self, other: PyType) -> PyType {
        let bits = self.bits & other.bits;
        match (self.class, other.class) {
            (Some(a), Some(b)) if a != b => PyType::BOTTOM,
            (Some(c), _) | (_, Some(c)) if bits == PyType::OTHER.bits => PyType {
                bits,
                class: Some(c),
            },
            (Some(_), _) | (_, Some(_)) => PyType::BOTTOM,
            _ => PyType { bits, class: None },
        }
    }

    /// `self` ⊆ `other`.
    pub fn is_subtype_of(self, other: PyType) -> bool {
        self.bits & !other.bits == 0
            && match other.class {
                None => true,
                Some(c) => self.bits == 0 || self.class == Some(c),
            }
    }

    /// Exactly one atom (or one exact class): the object's type is known.
    pub fn is_exact(self) -> bool {
        self.bits.count_ones() == 1 && (self.bits != PyType::OTHER.bits || self.class.is_some())
    }

    pub fn is_object(self) -> bool {
        self == PyType::OBJECT
    }

    /// Parses the text form (`FloatExact`, `Long`, `Exact[b2]`, `A|B`).
    pub fn from_name(s: &str) -> Option<PyType> {
        let mut out = PyType::BOTTOM;
        for part in s.split('|') {
            let t = if let Some(n) = part
                .strip_prefix("Exact[b")
                .and_then(|r| r.strip_suffix(']'))
            {
                PyType::exact_class(n.parse().ok()?)
            } else {
                PyType::NAMED
                    .iter()
                    .chain(PyType::ATOMS)
                    .find(|(_, name)| *name == part)?
                    .0
            };
            out = out.union(t);
        }
        Some(out)
    }
}

impl fmt::Display for PyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = self.class {
            return write!(f, "Exact[b{c}]");
        }
        if let Some((_, name)) = PyType::NAMED.iter().find(|(t, _)| t == self) {
            return f.write_str(name);
        }
        // Largest named unions first, then the remaining atoms.
        let mut rest = *self;
        let mut parts = Vec::new();
        for (t, name) in PyType::NAMED[2..].iter().chain(PyType::ATOMS) {
            if t.bits != 0 && t.bits & !rest.bits == 0 {
                parts.push(*name);
                rest.bits &= !t.bits;
            }
        }
        f.write_str(&parts.join("|"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let cases = [
            PyType::OBJECT,
            PyType::FLOAT_EXACT,
            PyType::LONG,
            PyType::exact_class(3),
            PyType::STR_EXACT.union(PyType::NONE_TYPE),
            PyType::LONG.union(PyType::FLOAT_EXACT),
            PyType::BOTTOM,
        ];
        for t in cases {
            let text = t.to_string();
            assert_eq!(PyType::from_name(&text), Some(t), "{text}");
        }
        assert_eq!(PyType::LONG.to_string(), "Long");
        assert_eq!(
            PyType::LONG.union(PyType::FLOAT_EXACT).to_string(),
            "Long|FloatExact"
        );
    }

    #[test]
    fn lattice_laws() {
        let a = PyType::exact_class(1);
        let b = PyType::exact_class(2);
        assert_eq!(a.union(b), PyType::OTHER);
        assert_eq!(a.meet(b), PyType::BOTTOM);
        assert_eq!(a.meet(PyType::OBJECT), a);
        assert!(a.is_subtype_of(PyType::OTHER));
        assert!(!PyType::OTHER.is_subtype_of(a));
        assert!(PyType::BOOL.is_subtype_of(PyType::LONG));
        assert!(PyType::FLOAT_EXACT.is_exact());
        assert!(!PyType::OTHER.is_exact());
        assert!(a.is_exact());
        assert_eq!(PyType::LONG.meet(PyType::FLOAT), PyType::BOTTOM);
        assert_eq!(PyType::BOTTOM.union(a), a);
    }
}
