//! The verifier: checks every structural and typing rule of the IR and reports all violations
//! with their location. Passes must keep functions valid; the pass manager runs this after every
//! pass in debug builds.
//!
//! Checked: layout (blocks defined once, non-empty, exactly one terminator at the end, each
//! instruction in one place); entry block `(ptr, ptr)` without predecessors; value definitions
//! match the arenas; every use is a defined value whose definition dominates it (instruction
//! operands, branch arguments and the stack of every frame state an exit uses); branch
//! arguments against block parameters (count and types); operand types per opcode and per
//! callee signature; immediates in range (`iconst` width, local indices); frame states (defined
//! values of type obj, depth within `stacksize`, parents exist without cycles); bindings exist.
//! Not checked: reference-count balance and nullness (contracts, not typing).

use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{Block, FrameStateId, Inst, Value};
use crate::function::{BindingKind, Function, SITE_CACHE_WORDS, ValueDef};
use crate::instructions::{Opcode, Operands, result_types};
use crate::types::Type;
use crate::write::inst_to_string;
use std::fmt;

/// The class of a verifier error (tests match on it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ErrorKind {
    /// Block list / instruction placement problems.
    Layout,
    /// Missing, misplaced or duplicate terminator.
    Terminator,
    /// Entry block signature or a jump to the entry.
    Entry,
    /// A use of a value nothing (live) defines, or a definition that disagrees with the arena.
    Undefined,
    /// A definition does not dominate its use.
    Dominance,
    /// Block arguments do not match the target's parameters.
    BranchArgs,
    /// Operand or result types, or operand shape, are wrong for the opcode.
    Type,
    /// Call arity or argument types differ from the callee table.
    Callee,
    /// An immediate is out of range.
    Immediate,
    /// A bad frame-state reference or frame state.
    FrameState,
    /// A reference to a binding that does not exist.
    Binding,
}

/// One violation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifierError {
    pub kind: ErrorKind,
    /// Where: `bb2: v5 = iadd v1, v2`, `fs3`, `bb1`, or `function`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for VerifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{:?}]", self.location, self.message, self.kind)
    }
}

/// All violations found in a function.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub struct VerifierErrors(pub Vec<VerifierError>);

impl fmt::Display for VerifierErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}

impl VerifierErrors {
    /// Whether any error has this kind.
    pub fn has(&self, kind: ErrorKind) -> bool {
        self.0.iter().any(|e| e.kind == kind)
    }
}

/// Verifies `f`, returning every violation found.
pub fn verify(f: &Function) -> Result<(), VerifierErrors> {
    let mut v = Verifier {
        f,
        errors: Vec::new(),
        inst_block: vec![None; f.insts.len()],
        inst_pos: vec![0; f.insts.len()],
        in_layout: vec![false; f.blocks.len()],
    };
    v.run();
    // The bodies the inliner may copy in are checked as functions of their own.
    for c in &f.inline_callees {
        if let Err(VerifierErrors(errors)) = verify(&c.body) {
            v.errors.extend(errors.into_iter().map(|mut e| {
                e.location = format!("inline @{}: {}", c.at, e.location);
                e
            }));
        }
    }
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(VerifierErrors(v.errors))
    }
}

struct Verifier<'a> {
    f: &'a Function,
    errors: Vec<VerifierError>,
    /// Block and position of each instruction in the layout.
    inst_block: Vec<Option<Block>>,
    inst_pos: Vec<usize>,
    /// Per block id: whether it is in the layout.
    in_layout: Vec<bool>,
}

/// Where a use happens: at instruction `inst` (in its block), for dominance purposes.
#[derive(Clone, Copy)]
struct UseSite {
    block: Block,
    pos: usize,
}

impl<'a> Verifier<'a> {
    fn err(&mut self, kind: ErrorKind, location: String, message: String) {
        self.errors.push(VerifierError {
            kind,
            location,
            message,
        });
    }

    fn at_inst(&self, b: Block, i: Inst) -> String {
        format!("{b}: {}", inst_to_string(self.f, i))
    }

    fn run(&mut self) {
        let f = self.f;
        if !self.layout() {
            return;
        }
        let cfg = ControlFlowGraph::compute(f);
        let dom = DominatorTree::compute(f, &cfg);
        self.entry(&cfg);
        self.definitions();
        self.frame_states();
        for &b in &f.layout {
            for (pos, &i) in f.block(b).insts.iter().enumerate() {
                self.inst(b, pos, i, &dom);
            }
        }
    }

    /// Blocks and instructions are placed once; terminators only and always at block ends.
    /// Returns false if the layout is too broken to check anything else.
    fn layout(&mut self) -> bool {
        let f = self.f;
        if f.layout.is_empty() {
            self.err(ErrorKind::Layout, "function".into(), "no blocks".into());
            return false;
        }
        let mut seen = vec![false; f.blocks.len()];
        let mut ok = true;
        for &b in &f.layout {
            if b.index() >= f.blocks.len() {
                self.err(
                    ErrorKind::Layout,
                    "function".into(),
                    format!("layout names {b}, which does not exist"),
                );
                ok = false;
                continue;
            }
            if std::mem::replace(&mut seen[b.index()], true) {
                self.err(
                    ErrorKind::Layout,
                    format!("{b}"),
                    "block appears twice in the layout".into(),
                );
                ok = false;
            }
            let insts = &f.block(b).insts;
            for (pos, &i) in insts.iter().enumerate() {
                if i.index() >= f.insts.len() {
                    self.err(
                        ErrorKind::Layout,
                        format!("{b}"),
                        format!("{i} does not exist"),
                    );
                    ok = false;
                    continue;
                }
                if self.inst_block[i.index()].is_some() {
                    self.err(
                        ErrorKind::Layout,
                        format!("{b}"),
                        format!("{i} is placed twice"),
                    );
                    ok = false;
                }
                self.inst_block[i.index()] = Some(b);
                self.inst_pos[i.index()] = pos;
            }
        }
        if !ok {
            return false;
        }
        self.in_layout = seen.clone();
        for &b in &f.layout {
            let insts = &f.block(b).insts;
            match insts.last() {
                None => self.err(
                    ErrorKind::Terminator,
                    format!("{b}"),
                    "empty block (needs a terminator)".into(),
                ),
                Some(&last) if !f.inst(last).opcode.is_terminator() => {
                    let loc = self.at_inst(b, last);
                    self.err(
                        ErrorKind::Terminator,
                        loc,
                        "block does not end in a terminator".into(),
                    )
                }
                _ => {}
            }
            for &i in insts.iter().rev().skip(1) {
                if f.inst(i).opcode.is_terminator() {
                    let loc = self.at_inst(b, i);
                    self.err(
                        ErrorKind::Terminator,
                        loc,
                        "terminator in the middle of a block".into(),
                    );
                }
            }
            for &i in insts {
                for s in f.inst(i).operands.successors() {
                    if !seen.get(s.block.index()).copied().unwrap_or(false) {
                        let loc = self.at_inst(b, i);
                        self.err(
                            ErrorKind::Layout,
                            loc,
                            format!("target {} is not in the layout", s.block),
                        );
                    }
                }
            }
        }
        // Successor blocks outside the layout would break the CFG computations below.
        !self.errors.iter().any(|e| e.kind == ErrorKind::Layout)
    }

    fn entry(&mut self, cfg: &ControlFlowGraph) {
        let f = self.f;
        let entry = f.layout[0];
        let tys: Vec<Type> = f
            .block(entry)
            .params
            .iter()
            .map(|&p| f.value_type(p))
            .collect();
        if tys != [Type::Ptr, Type::Ptr] {
            let shown: Vec<String> = tys.iter().map(|t| t.to_string()).collect();
            self.err(
                ErrorKind::Entry,
                format!("{entry}"),
                format!(
                    "entry block params must be (ptr, ptr), found ({})",
                    shown.join(", ")
                ),
            );
        }
        if !cfg.preds(entry).is_empty() {
            self.err(
                ErrorKind::Entry,
                format!("{entry}"),
                "the entry block cannot be a branch target".into(),
            );
        }
    }

    /// Arena definitions agree with where values appear, and result types with the opcode.
    fn definitions(&mut self) {
        let f = self.f;
        for &b in &f.layout {
            for (i, &p) in f.block(b).params.iter().enumerate() {
                if f.values.get(p.index()).map(|d| d.def) != Some(ValueDef::Param(b, i as u32)) {
                    self.err(
                        ErrorKind::Undefined,
                        format!("{b}"),
                        format!("param {p} is not recorded as param {i} of {b}"),
                    );
                }
            }
            for &p in &f.block(b).params {
                if f.value_type(p) != Type::Obj && !f.pytype(p).is_object() {
                    self.err(
                        ErrorKind::Type,
                        format!("{b}"),
                        format!("{p}: only obj values have a Python type"),
                    );
                }
            }
            for &i in &f.block(b).insts {
                let d = f.inst(i);
                for &r in &d.results {
                    if f.value_type(r) != Type::Obj && !f.pytype(r).is_object() {
                        let loc = self.at_inst(b, i);
                        self.err(
                            ErrorKind::Type,
                            loc,
                            format!("{r}: only obj values have a Python type"),
                        );
                    }
                }
                for (k, &r) in d.results.iter().enumerate() {
                    if f.values.get(r.index()).map(|d| d.def) != Some(ValueDef::Result(i, k as u32))
                    {
                        let loc = self.at_inst(b, i);
                        self.err(
                            ErrorKind::Undefined,
                            loc,
                            format!("result {r} is not recorded as this instruction's result {k}"),
                        );
                    }
                }
            }
        }
    }

    /// Is `v` defined by a param or result that is in the layout? Returns its defining block
    /// and position (params: position 0, before all instructions... encoded as `None`).
    fn def_site(&self, v: Value) -> Option<(Block, Option<usize>)> {
        let f = self.f;
        match f.values.get(v.index())?.def {
            ValueDef::Param(b, i) => {
                let placed = self.in_layout.get(b.index()).copied().unwrap_or(false)
                    && f.block(b).params.get(i as usize) == Some(&v);
                placed.then_some((b, None))
            }
            ValueDef::Result(inst, k) => {
                let b = (*self.inst_block.get(inst.index())?)?;
                (f.inst(inst).results.get(k as usize) == Some(&v))
                    .then_some((b, Some(self.inst_pos[inst.index()])))
            }
            ValueDef::Detached => None,
        }
    }

    /// Checks that `v` is defined and dominates the use.
    fn check_use(
        &mut self,
        v: Value,
        site: UseSite,
        dom: &DominatorTree,
        loc: &dyn Fn() -> String,
    ) -> bool {
        let Some((db, dpos)) = self.def_site(v) else {
            self.err(ErrorKind::Undefined, loc(), format!("{v} is not defined"));
            return false;
        };
        if !dom.is_reachable(site.block) {
            return true; // dominance is vacuous in unreachable code
        }
        let ok = if db == site.block {
            dpos.is_none_or(|p| p < site.pos)
        } else {
            dom.dominates(db, site.block)
        };
        if !ok {
            self.err(
                ErrorKind::Dominance,
                loc(),
                format!("{v} does not dominate this use"),
            );
        }
        true
    }

    fn frame_states(&mut self) {
        let f = self.f;
        for (id, fs) in f.live_frame_states() {
            for &v in &fs.stack {
                if self.def_site(v).is_none() {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!("{v} is not defined"),
                    );
                } else if !matches!(
                    f.value_type(v),
                    Type::Obj | Type::F64 | Type::I64 | Type::I8
                ) {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!(
                            "stack value {v} has type {}, not obj (or f64/i64/i8 to box)",
                            f.value_type(v)
                        ),
                    );
                }
            }
            for &k in &fs.borrowed {
                let ok = fs
                    .stack
                    .get(k as usize)
                    .is_some_and(|&v| self.def_site(v).is_some() && f.value_type(v) == Type::Obj);
                if !ok {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!("borrowed position {k} is not an obj stack entry"),
                    );
                }
            }
            if !fs.borrowed.windows(2).all(|w| w[0] < w[1]) {
                self.err(
                    ErrorKind::FrameState,
                    format!("{id}"),
                    "borrowed positions are not sorted and distinct".into(),
                );
            }
            for &(slot, v) in &fs.locals {
                if self.def_site(v).is_none() {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!("local {slot}: {v} is not defined"),
                    );
                } else if !matches!(f.value_type(v), Type::F64 | Type::I64 | Type::I8) {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!(
                            "local {slot}: {v} has type {}, not f64/i64/i8 (stale locals are unboxed)",
                            f.value_type(v)
                        ),
                    );
                }
                if slot >= f.nlocalsplus {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!(
                            "local {slot} is out of range (nlocalsplus {})",
                            f.nlocalsplus
                        ),
                    );
                }
            }
            if !fs.locals.windows(2).all(|w| w[0].0 < w[1].0) {
                self.err(
                    ErrorKind::FrameState,
                    format!("{id}"),
                    "locals are not sorted by slot and distinct".into(),
                );
            }
            if fs.abandon.is_none() && fs.stack.len() > f.stacksize as usize {
                self.err(
                    ErrorKind::FrameState,
                    format!("{id}"),
                    format!(
                        "stack depth {} exceeds stacksize {}",
                        fs.stack.len(),
                        f.stacksize
                    ),
                );
            }
            // An abandon target is a block of the function that takes no parameters.
            if let Some(b) = fs.abandon
                && (!f.layout.contains(&b) || !f.block(b).params.is_empty())
            {
                self.err(
                    ErrorKind::FrameState,
                    format!("{id}"),
                    format!("abandon target {b} is not a parameterless block of the layout"),
                );
            }
            // Parent chain: exists and terminates.
            let mut cur = fs.parent;
            let mut steps = 0;
            while let Some(p) = cur {
                if !self.fs_live(p) {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        format!("parent {p} does not exist"),
                    );
                    break;
                }
                steps += 1;
                if steps > f.frame_states.len() {
                    self.err(
                        ErrorKind::FrameState,
                        format!("{id}"),
                        "cyclic parent chain".into(),
                    );
                    break;
                }
                cur = f.frame_state(p).parent;
            }
        }
    }

    fn fs_live(&self, fs: FrameStateId) -> bool {
        self.f
            .frame_states
            .get(fs.index())
            .is_some_and(|s| s.is_some())
    }

    fn inst(&mut self, b: Block, pos: usize, i: Inst, dom: &DominatorTree) {
        let f = self.f;
        let d = f.inst(i);
        let loc_s = self.at_inst(b, i);
        let loc = || loc_s.clone();
        if d.opcode.format() != d.operands.format() {
            self.err(
                ErrorKind::Type,
                loc(),
                format!(
                    "operands of format {:?} do not fit {}",
                    d.operands.format(),
                    d.opcode
                ),
            );
            return;
        }
        let site = UseSite { block: b, pos };
        let mut all_defined = true;
        for v in d.operands.args() {
            all_defined &= self.check_use(v, site, dom, &loc);
        }
        if let Some(fs) = d.operands.frame_state() {
            if self.fs_live(fs) {
                // The exit hands the stack values over here: they must be available.
                for v in f.frame_state(fs).values() {
                    if self.def_site(v).is_some() {
                        let l = || format!("{} (via {fs})", loc_s);
                        self.check_use(v, site, dom, &l);
                    }
                }
            } else {
                self.err(ErrorKind::FrameState, loc(), format!("{fs} does not exist"));
            }
        }
        if let Operands::GuardType { binding, .. } = d.operands
            && !matches!(f.bindings.get(binding.index()), Some(BindingKind::Type(_)))
        {
            self.err(
                ErrorKind::Binding,
                loc(),
                format!("guard_type needs a `type` binding, {binding} is not one"),
            );
        }
        if let Operands::Binding { binding } = d.operands {
            let i = binding.index();
            if i >= f.bindings.len() {
                self.err(
                    ErrorKind::Binding,
                    loc(),
                    format!("binding {binding} does not exist"),
                );
            } else if d.opcode == Opcode::BindingAddr {
                let words = f.bindings.get(i..i + SITE_CACHE_WORDS);
                if !words.is_some_and(|w| w.iter().all(|k| *k == BindingKind::Cache)) {
                    self.err(
                        ErrorKind::Binding,
                        loc(),
                        format!("binding_addr {binding}: not the first of {SITE_CACHE_WORDS} `cache` slots"),
                    );
                }
            } else if f.bindings[i] == BindingKind::Cache {
                self.err(
                    ErrorKind::Binding,
                    loc(),
                    format!(
                        "load_binding {binding}: a `cache` slot is only addressed, never loaded"
                    ),
                );
            }
        }
        for s in d.operands.successors() {
            let params = &f.block(s.block).params;
            if params.len() != s.args.len() {
                self.err(
                    ErrorKind::BranchArgs,
                    loc(),
                    format!(
                        "{} takes {} argument(s), {} given",
                        s.block,
                        params.len(),
                        s.args.len()
                    ),
                );
            } else if all_defined {
                for (&a, &p) in s.args.iter().zip(params) {
                    if f.value_type(a) != f.value_type(p) {
                        self.err(
                            ErrorKind::BranchArgs,
                            loc(),
                            format!(
                                "argument {a}: {} passed to {p}: {}",
                                f.value_type(a),
                                f.value_type(p)
                            ),
                        );
                    }
                }
            }
        }
        if !all_defined {
            return; // types of undefined values are meaningless
        }
        self.types(i, &loc);
    }

    fn types(&mut self, i: Inst, loc: &dyn Fn() -> String) {
        use Opcode::*;
        let f = self.f;
        let d = f.inst(i);
        let ty = |v: Value| f.value_type(v);
        let mut problems: Vec<(ErrorKind, String)> = Vec::new();
        let mut want = |cond: bool, kind: ErrorKind, msg: &dyn Fn() -> String| {
            if !cond {
                problems.push((kind, msg()));
            }
        };
        let t = ErrorKind::Type;
        match (d.opcode, &d.operands) {
            (Iconst, Operands::IntConst { ty: t0, imm }) => {
                want(t0.is_int(), t, &|| {
                    format!("iconst type must be an integer type, not {t0}")
                });
                let fits = match t0 {
                    Type::I8 => (-128..=255).contains(imm),
                    Type::I32 => (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(imm),
                    _ => true,
                };
                want(fits, ErrorKind::Immediate, &|| {
                    format!("{imm} does not fit in {t0}")
                });
            }
            (
                LoadLocal | StoreLocal | StoreLocalFloat | StoreLocalInt,
                Operands::UImm { imm } | Operands::UImmValue { imm, .. },
            ) => {
                want(*imm < f.nlocalsplus, ErrorKind::Immediate, &|| {
                    format!("local {imm} out of range (nlocalsplus={})", f.nlocalsplus)
                });
                if let Operands::UImmValue { arg, .. } = d.operands {
                    let need = match d.opcode {
                        StoreLocalFloat => Type::F64,
                        StoreLocalInt => Type::I64,
                        _ => Type::Obj,
                    };
                    want(ty(arg) == need, t, &|| {
                        format!("stored value {arg} must be {need}, not {}", ty(arg))
                    });
                }
            }
            (StackAlloc, Operands::UImm { imm }) => want(*imm > 0, ErrorKind::Immediate, &|| {
                "stack_alloc of 0 bytes".into()
            }),
            (Load, Operands::Load { ptr, .. }) => want(ty(*ptr).is_pointer(), t, &|| {
                format!("address {ptr} must be obj or ptr, not {}", ty(*ptr))
            }),
            (
                Store,
                Operands::Store {
                    ty: t0, ptr, value, ..
                },
            ) => {
                want(ty(*ptr).is_pointer(), t, &|| {
                    format!("address {ptr} must be obj or ptr, not {}", ty(*ptr))
                });
                want(ty(*value) == *t0, t, &|| {
                    format!("stored value {value} has type {}, not {t0}", ty(*value))
                });
            }
            (Incref | Decref | Xincref | Xdecref | Return, Operands::Unary { arg }) => {
                want(ty(*arg) == Type::Obj, t, &|| {
                    format!("{arg} must be obj, not {}", ty(*arg))
                })
            }
            (PtrAdd, Operands::Binary { args: [a, b] }) => {
                want(ty(*a).is_pointer() && ty(*b) == Type::I64, t, &|| {
                    format!(
                        "ptr_add takes (obj or ptr, i64), found {} and {}",
                        ty(*a),
                        ty(*b)
                    )
                })
            }
            (Fneg, Operands::Unary { arg }) => want(ty(*arg) == Type::F64, t, &|| {
                format!("{arg} must be f64, not {}", ty(*arg))
            }),
            (
                Iadd | Isub | Imul | Sdiv | Srem | IaddOvf | IsubOvf | ImulOvf | And | Or | Xor
                | Shl | Ashr,
                Operands::Binary { args: [a, b] },
            ) => want(ty(*a).is_int() && ty(*a) == ty(*b), t, &|| {
                format!(
                    "operands must be one integer type, found {} and {}",
                    ty(*a),
                    ty(*b)
                )
            }),
            (Fadd | Fsub | Fmul | Fdiv, Operands::Binary { args: [a, b] })
            | (Fcmp, Operands::FloatCompare { args: [a, b], .. }) => {
                want(ty(*a) == Type::F64 && ty(*b) == Type::F64, t, &|| {
                    format!("operands must be f64, found {} and {}", ty(*a), ty(*b))
                })
            }
            (Icmp, Operands::IntCompare { args: [a, b], .. }) => want(
                (ty(*a).is_int() || ty(*a).is_pointer()) && ty(*a) == ty(*b),
                t,
                &|| {
                    format!(
                        "operands must be one integer or pointer type, found {} and {}",
                        ty(*a),
                        ty(*b)
                    )
                },
            ),
            (Sitofp, Operands::Unary { arg }) => want(ty(*arg).is_int(), t, &|| {
                format!("{arg} must be an integer, not {}", ty(*arg))
            }),
            (Sextend | Uextend | Ireduce, Operands::UnaryTyped { ty: to, arg }) => {
                let from = ty(*arg);
                let ok = from.is_int()
                    && to.is_int()
                    && if d.opcode == Ireduce {
                        to.bytes() < from.bytes()
                    } else {
                        to.bytes() > from.bytes()
                    };
                want(ok, t, &|| format!("cannot {} {from} to {to}", d.opcode));
            }
            (Select, Operands::Ternary { args: [c, a, b] }) => {
                want(ty(*c) == Type::I8, t, &|| {
                    format!("condition {c} must be i8, not {}", ty(*c))
                });
                want(ty(*a) == ty(*b), t, &|| {
                    format!("select arms differ: {} and {}", ty(*a), ty(*b))
                });
            }
            (Call, Operands::Call { callee, args }) => {
                want(
                    crate::callees::lookup(callee.name) == Some(*callee),
                    ErrorKind::Callee,
                    &|| format!("{} is not the callee table's entry", callee.name),
                );
                if args.len() != callee.params.len() {
                    want(false, ErrorKind::Callee, &|| {
                        format!(
                            "{} takes {} argument(s), {} given",
                            callee.name,
                            callee.params.len(),
                            args.len()
                        )
                    });
                } else {
                    for (k, (&a, &p)) in args.iter().zip(callee.params).enumerate() {
                        want(ty(a) == p, ErrorKind::Callee, &|| {
                            format!(
                                "argument {k} of {}: {a} is {}, expected {p}",
                                callee.name,
                                ty(a)
                            )
                        });
                    }
                }
            }
            (CheckNull, Operands::Check { arg, .. }) => want(ty(*arg) == Type::Obj, t, &|| {
                format!("{arg} must be obj, not {}", ty(*arg))
            }),
            (CheckNeg, Operands::Check { arg, .. }) => {
                want(matches!(ty(*arg), Type::I32 | Type::I64), t, &|| {
                    format!("{arg} must be i32 or i64, not {}", ty(*arg))
                })
            }
            (NativeIs, Operands::Symbol { arg, .. }) => want(ty(*arg) == Type::Obj, t, &|| {
                format!("{arg} must be obj, not {}", ty(*arg))
            }),
            (GuardType, Operands::GuardType { arg, .. }) => want(ty(*arg) == Type::Obj, t, &|| {
                format!("{arg} must be obj, not {}", ty(*arg))
            }),
            (UnboxFloat, Operands::Unary { arg }) => want(
                ty(*arg) == Type::Obj && f.pytype(*arg).is_subtype_of(crate::PyType::FLOAT),
                t,
                &|| format!("{arg} must be an obj typed Float, not {}", f.pytype(*arg)),
            ),
            (UnboxInt, Operands::Check { arg, .. }) => want(
                ty(*arg) == Type::Obj && f.pytype(*arg).is_subtype_of(crate::PyType::LONG),
                t,
                &|| format!("{arg} must be an obj typed Long, not {}", f.pytype(*arg)),
            ),
            (UnboxNumber, Operands::Check { arg, .. }) => want(ty(*arg) == Type::Obj, t, &|| {
                format!("{arg} must be obj, not {}", ty(*arg))
            }),
            (ReboxFloat | ReboxInt, Operands::Binary { args: [old, x] }) => {
                let need = if d.opcode == ReboxFloat {
                    Type::F64
                } else {
                    Type::I64
                };
                want(ty(*old) == Type::Obj && ty(*x) == need, t, &|| {
                    format!(
                        "{} takes obj, {need}, not {}, {}",
                        d.opcode.mnemonic(),
                        ty(*old),
                        ty(*x)
                    )
                })
            }
            (BoxFloat | BoxInt | BoxBool, Operands::Unary { arg }) => {
                let need = match d.opcode {
                    BoxFloat => Type::F64,
                    BoxInt => Type::I64,
                    _ => Type::I8,
                };
                want(ty(*arg) == need, t, &|| {
                    format!("{arg} must be {need}, not {}", ty(*arg))
                })
            }
            (Py, Operands::Py { op, args, fs }) => {
                want(args.len() == op.arity(), t, &|| {
                    format!(
                        "py.{} takes {} operand(s), {} given",
                        op.name(),
                        op.arity(),
                        args.len()
                    )
                });
                // Its frame state is the one before it: its operands are on that stack.
                let depth = f
                    .frame_states
                    .get(fs.index())
                    .and_then(Option::as_ref)
                    .map_or(usize::MAX, |s| s.stack.len());
                want(depth >= args.len(), ErrorKind::FrameState, &|| {
                    format!(
                        "py.{}'s frame state {fs} holds {depth} stack value(s), fewer than its {} operands",
                        op.name(),
                        args.len()
                    )
                });
                for a in args {
                    want(ty(*a) == Type::Obj, t, &|| {
                        format!("operand {a} must be obj, not {}", ty(*a))
                    });
                }
            }
            (DeoptIf, Operands::DeoptIf { cond, .. }) | (Branch, Operands::Branch { cond, .. }) => {
                want(ty(*cond) == Type::I8, t, &|| {
                    format!("condition {cond} must be i8, not {}", ty(*cond))
                })
            }
            _ => {}
        }
        // Results: count and types as the opcode defines them.
        match result_types(d.opcode, &d.operands, |v| Some(ty(v))) {
            Some(tys) => {
                let got: Vec<Type> = d.results.iter().map(|&r| ty(r)).collect();
                if got != tys {
                    problems.push((t, format!("results should be {tys:?}, found {got:?}")));
                }
            }
            None => problems.push((t, "result types cannot be determined".into())),
        }
        for (kind, msg) in problems {
            self.err(kind, loc(), msg);
        }
    }
}
