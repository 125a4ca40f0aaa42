//! Typed `u32` ids for everything a function owns.
//!
//! Why ids and not pointers or `Rc`s: every entity lives in a per-function arena (`Vec`), and an
//! id is an index into it. That makes the IR trivially `Clone`/`PartialEq`, keeps it free of
//! borrow-checker knots (a pass can hold ids while mutating the function), and lets passes keep
//! *side tables* indexed by id (`Vec<T>` sized to the arena) instead of hash maps. Ids are never
//! reused or renumbered by passes, so the text format *is* the id: `v3` is `Value(3)` in memory,
//! in the printer, in the parser and in a pass's debug output alike. A distinct type per kind
//! makes it impossible to index the value arena with a block id.

use std::fmt;

macro_rules! entity {
    ($(#[$doc:meta])* $name:ident, $prefix:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(pub u32);

        impl $name {
            /// The arena index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The id for arena index `i`.
            pub fn new(i: usize) -> Self {
                Self(u32::try_from(i).expect("entity arena overflow"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", $prefix, self.0)
            }
        }
    };
}

entity!(
    /// An SSA value: a block parameter or an instruction result. Text `v3`.
    Value,
    "v"
);
entity!(
    /// A basic block. Text `bb2`.
    Block,
    "bb"
);
entity!(
    /// A frame state shared by every exit that leaves at the same bytecode point. Text `fs1`.
    FrameStateId,
    "fs"
);
entity!(
    /// A slot of the binding table (an object the loader resolves at import). Text `b0`.
    BindingId,
    "b"
);
entity!(
    /// An instruction. Has no text form: instructions are identified by position.
    Inst,
    "inst"
);
