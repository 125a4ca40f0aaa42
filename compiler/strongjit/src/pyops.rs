//! Python-level operations: the instructions the optimizer reasons about before they become
//! C-API calls.
//!
//! `v = py.add a, b, fs3 @12` is CPython's `BINARY_OP (+)` at bytecode index 12: the same
//! contract as the generic call it stands for (operands borrowed, a new reference or an error
//! status as result, may run Python code), plus the frame state *before* the instruction
//! (`fs3`: its operands still on the stack), so that a pass may replace it with guards that
//! deopt there and re-run it in the interpreter. `legalize` turns every `py.*` that no pass
//! specialized into its generic call ([`PyOp::generic`]); nothing after `legalize` sees one.
//!
//! Why not specialize in the translator: the feedback travels in the IR (`feedback @12 ...`),
//! so `specialize` is a pass with text-in/text-out tests, and an unspecialized build (the
//! generic variant) is the same pipeline without it.

use crate::types::Type;

/// `BINARY_OP` oparg names in `ceval.c`'s `binary_ops[]` order (0..13), then the in-place forms.
const BINARY_NAMES: [&str; 26] = [
    "add",
    "and",
    "floordiv",
    "lshift",
    "matmul",
    "mul",
    "mod",
    "or",
    "pow",
    "rshift",
    "sub",
    "truediv",
    "xor",
    "iadd",
    "iand",
    "ifloordiv",
    "ilshift",
    "imatmul",
    "imul",
    "imod",
    "ior",
    "ipow",
    "irshift",
    "isub",
    "itruediv",
    "ixor",
];

/// The C-API function of each `BINARY_OP` oparg; `None` for the power operators, whose third
/// argument (`None`) the `s6_rt_binary_op` helper supplies.
const BINARY_CALLEES: [Option<&str>; 26] = [
    Some("PyNumber_Add"),
    Some("PyNumber_And"),
    Some("PyNumber_FloorDivide"),
    Some("PyNumber_Lshift"),
    Some("PyNumber_MatrixMultiply"),
    Some("PyNumber_Multiply"),
    Some("PyNumber_Remainder"),
    Some("PyNumber_Or"),
    None,
    Some("PyNumber_Rshift"),
    Some("PyNumber_Subtract"),
    Some("PyNumber_TrueDivide"),
    Some("PyNumber_Xor"),
    Some("PyNumber_InPlaceAdd"),
    Some("PyNumber_InPlaceAnd"),
    Some("PyNumber_InPlaceFloorDivide"),
    Some("PyNumber_InPlaceLshift"),
    Some("PyNumber_InPlaceMatrixMultiply"),
    Some("PyNumber_InPlaceMultiply"),
    Some("PyNumber_InPlaceRemainder"),
    Some("PyNumber_InPlaceOr"),
    None,
    Some("PyNumber_InPlaceRshift"),
    Some("PyNumber_InPlaceSubtract"),
    Some("PyNumber_InPlaceTrueDivide"),
    Some("PyNumber_InPlaceXor"),
];

/// `COMPARE_OP` oparg names (`Py_LT` .. `Py_GE`).
const COMPARE_NAMES: [&str; 6] = ["lt", "le", "eq", "ne", "gt", "ge"];

/// The arithmetic of a `BINARY_OP`, in-place or not (the in-place forms differ only for
/// mutable objects, never for the ints and floats a pass specializes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum NumOp {
    Add,
    And,
    FloorDiv,
    Lshift,
    MatMul,
    Mul,
    Mod,
    Or,
    Pow,
    Rshift,
    Sub,
    TrueDiv,
    Xor,
}

const NUM_OPS: [NumOp; 13] = [
    NumOp::Add,
    NumOp::And,
    NumOp::FloorDiv,
    NumOp::Lshift,
    NumOp::MatMul,
    NumOp::Mul,
    NumOp::Mod,
    NumOp::Or,
    NumOp::Pow,
    NumOp::Rshift,
    NumOp::Sub,
    NumOp::TrueDiv,
    NumOp::Xor,
];

/// One Python-level operation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PyOp {
    /// `BINARY_OP` with this oparg (0..=25): `v = py.add a, b, fs`.
    Binary(u8),
    /// `COMPARE_OP` with this oparg (0..=5): `v = py.lt a, b, fs`.
    Compare(u8),
    /// Truth of a value, as `PyObject_IsTrue`: `r:i32 = py.truth v, fs` (1, 0, or -1 on error).
    Truth,
    /// `BINARY_SUBSCR`: `v = py.getitem container, key, fs`.
    GetItem,
    /// `STORE_SUBSCR`: `r:i32 = py.setitem container, key, value, fs` (0, or -1 on error).
    SetItem,
    /// `UNARY_NEGATIVE`: `v = py.neg a, fs`.
    Neg,
    /// `UNARY_INVERT`: `v = py.invert a, fs`.
    Invert,
    /// `CALL n` without keyword names: `v = py.call.n m_or_null, c_or_self, a1, .., an, fs`
    /// (the stack as `PRECALL`/`CALL` see it). Unlike the other operations it *consumes* its
    /// operands, as the frame-slot call helper does.
    Call(u8),
}

impl PyOp {
    /// Every operation, for the parser and tests.
    pub fn all() -> Vec<PyOp> {
        let mut v: Vec<PyOp> = (0..26).map(PyOp::Binary).collect();
        v.extend((0..6).map(PyOp::Compare));
        v.extend([
            PyOp::Truth,
            PyOp::GetItem,
            PyOp::SetItem,
            PyOp::Neg,
            PyOp::Invert,
        ]);
        v.extend((0..=u8::MAX).map(PyOp::Call));
        v
    }

    /// The text after `py.`.
    pub fn name(self) -> &'static str {
        match self {
            PyOp::Binary(k) => BINARY_NAMES[k as usize],
            PyOp::Compare(k) => COMPARE_NAMES[k as usize],
            PyOp::Truth => "truth",
            PyOp::GetItem => "getitem",
            PyOp::SetItem => "setitem",
            PyOp::Neg => "neg",
            PyOp::Invert => "invert",
            PyOp::Call(_) => "call",
        }
    }

    /// The text after `py.`: the name, and for calls the argument count (`call.2`).
    pub fn text(self) -> String {
        match self {
            PyOp::Call(n) => format!("call.{n}"),
            _ => self.name().to_string(),
        }
    }

    /// Parses [`PyOp::text`].
    pub fn from_name(s: &str) -> Option<PyOp> {
        if let Some(n) = s.strip_prefix("call.") {
            return n.parse().ok().map(PyOp::Call);
        }
        PyOp::all()
            .into_iter()
            .find(|op| !matches!(op, PyOp::Call(_)) && op.name() == s)
    }

    /// Whether the operation consumes (steals) its operands instead of borrowing them.
    pub fn consumes(self) -> bool {
        matches!(self, PyOp::Call(_))
    }

    /// Number of value operands.
    pub fn arity(self) -> usize {
        match self {
            PyOp::Binary(_) | PyOp::Compare(_) | PyOp::GetItem => 2,
            PyOp::SetItem => 3,
            PyOp::Truth | PyOp::Neg | PyOp::Invert => 1,
            PyOp::Call(n) => n as usize + 2,
        }
    }

    /// The result's machine type: a new reference (`obj`, NULL on error) or a status (`i32`,
    /// negative on error).
    pub fn result_type(self) -> Type {
        match self {
            PyOp::Truth | PyOp::SetItem => Type::I32,
            _ => Type::Obj,
        }
    }

    /// The arithmetic of a `BINARY_OP`, and whether it is the in-place form.
    pub fn num_op(self) -> Option<(NumOp, bool)> {
        match self {
            PyOp::Binary(k) => Some((NUM_OPS[(k % 13) as usize], k >= 13)),
            _ => None,
        }
    }

    /// The generic call that implements it: callee name and extra trailing `i32` immediate
    /// argument, if any (the compare op, or the `BINARY_OP` oparg for the power helper).
    pub fn generic(self) -> (&'static str, Option<i32>) {
        match self {
            PyOp::Binary(k) => match BINARY_CALLEES[k as usize] {
                Some(name) => (name, None),
                None => ("s6_rt_binary_op", Some(i32::from(k))),
            },
            PyOp::Compare(k) => ("PyObject_RichCompare", Some(i32::from(k))),
            PyOp::Truth => ("PyObject_IsTrue", None),
            PyOp::GetItem => ("PyObject_GetItem", None),
            PyOp::SetItem => ("PyObject_SetItem", None),
            PyOp::Neg => ("PyNumber_Negative", None),
            PyOp::Invert => ("PyNumber_Invert", None),
            // Through the frame's value-stack slots (see `passes::legalize`).
            PyOp::Call(_) => ("s6_rt_call", None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        let all = PyOp::all();
        for op in &all {
            assert_eq!(PyOp::from_name(&op.text()), Some(*op));
            if matches!(op, PyOp::Call(_)) {
                continue;
            }
            let (callee, _) = op.generic();
            let c = crate::callees::lookup(callee).expect("generic callee in the table");
            assert_eq!(c.ret, Some(op.result_type()), "{}", op.name());
        }
        let mut names: Vec<_> = all.iter().map(|o| o.text()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn in_place_forms_share_the_arithmetic() {
        assert_eq!(PyOp::Binary(0).num_op(), Some((NumOp::Add, false)));
        assert_eq!(PyOp::Binary(13).num_op(), Some((NumOp::Add, true)));
        assert_eq!(PyOp::Binary(23).num_op(), Some((NumOp::Sub, true)));
        assert_eq!(PyOp::Binary(8).generic(), ("s6_rt_binary_op", Some(8)));
    }
}
