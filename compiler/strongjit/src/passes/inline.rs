//! Inlining of small callees that cannot be seen running.
//!
//! Why: a call from native code to a small Python method (`v.mustBeVector()`, a getter, a
//! predicate) costs a frame push, the callee's prologue and epilogue and a frame pop, often
//! more than the callee's body; and the caller cannot use what the body computes (an unboxed
//! float comes back boxed).
//!
//! What it does: a `py.call` whose site has an entry in [`Function::inline_callees`] (the
//! driver attaches the callee's IR after its own pipeline when the profile saw that one Python
//! function called there) gets the callee's body in place of the call, behind a guard:
//!
//! ```text
//! block:    c = native_is f, "s6::m.g"            ; f bound to that code, no tracing, headroom
//!           branch c, inlined(), fallback()
//! inlined:  <the callee's blocks; its params are the call's arguments>
//!           decref <the call's operands>; jump cont(result)
//! fallback: r2 = py.call.n ...                    ; the call as it was
//!           jump cont(r2)
//! ```
//!
//! Only a callee whose body is *invisible* is inlined: no store to the heap, its frame or a
//! local, no call of anything but the attribute, method and global probes
//! `s6_rt_probe_attr_cached`, `s6_rt_probe_method_cached` and `s6_rt_probe_global_cached` (an
//! instance, module or class value, a method of the type, or a global or builtin of the called
//! function's own, found without running code; NULL for anything else), no allocation of
//! a GC-tracked object (a collection can run finalizers), no loop. A generic call beside a
//! specialized operation is allowed only in a `cold` block (a side path, given up when taken):
//! one on the body's main path would give the body up at every call. Such a body can be given up
//! at any point without anybody having seen it run: every exit of the callee (a guard that
//! fails, a probe that misses, a box that fails) becomes an *abandon* exit
//! ([`FrameState::abandon`]) that releases what the callee held and jumps to `fallback`, which
//! makes the real call. So no frame is ever rebuilt for inlined code: where something could
//! see the callee's frame (tracing, a descriptor's code, a traceback), the real call runs it.
//! `native_is` checks what a direct call checks before entering (tracing, the recursion limit,
//! this activation's binding of the code, not retired), so whatever enters the body would have
//! entered the callee's native code, which has the same guards and bindings.
//!
//! A callee's body may have its own callees inlined (the driver compiles it as an `inlinee`,
//! down to [`MAX_INLINE_DEPTH`] levels): there, where the inner call would be made, the body
//! gives up (`deopt` at the inner call's state, the call's operands on its stack); the copy
//! turns that into an abandon of the whole body, which releases the operands and makes the
//! outer call. The inner copy's own abandon states keep their target (the inner give-up).
//!
//! It does not: inline a callee that stores anything, calls anything else, raises, loops or
//! has cells; inline at sites where the profile saw other callables; or use defaults or
//! keywords (the call must pass exactly the callee's positional parameters).

use std::collections::HashMap;

use crate::builder::FunctionBuilder;
use crate::callees;
use crate::cfg::ControlFlowGraph;
use crate::dominators::DominatorTree;
use crate::entities::{BindingId, Block, FrameStateId, Inst, Value};
use crate::function::{BindingKind, FrameState, Function, InlineCallee};
use crate::instructions::{Opcode, Operands};
use crate::pyops::PyOp;
use crate::types::{PyType, Type};
use s6_py311::layout::{code, function, tuple};

/// Most instructions a callee body may have to be inlined.
pub const MAX_INLINE_INSTS: usize = 240;

/// How many levels of bodies are inlined into one another: a callee inlined into a caller may
/// itself have its callees inlined (compiled as an `inlinee`), but theirs are not.
pub const MAX_INLINE_DEPTH: u32 = 2;

/// Why a callee's body is not inlined (for `s6c build --explain`-style diagnostics and tests).
pub fn refusal(body: &Function, argcount: u32) -> Option<String> {
    let entry = body.entry()?;
    let mut n = 0;
    for (block, i) in body.layout_insts() {
        n += 1;
        let d = body.inst(i);
        use Opcode::*;
        let ok = match (d.opcode, &d.operands) {
            (LoadLocal, Operands::UImm { imm }) => *imm < argcount,
            // A generic call is given up only on a side path (a `cold` block: the generic
            // call beside a typed operation); one the body always makes would give the body
            // up on every call.
            (Call, Operands::Call { callee, .. }) => {
                probe_for(callee.name).is_some()
                    || body.block(block).cold && op_state(body, i).is_some()
            }
            (
                Iconst | Fconst | Null | LoadConst | LoadName | LoadBinding | BindingAddr
                | SetPrevInstr | Load | Incref | Decref | Xincref | Xdecref | ConstObj | PtrAdd
                | Iadd | Isub | Imul | Sdiv | Srem | IaddOvf | IsubOvf | ImulOvf | And | Or | Xor
                | Shl | Ashr | Icmp | Fadd | Fsub | Fmul | Fdiv | Fneg | Fcmp | Sitofp | Sextend
                | Uextend | Ireduce | Select | CheckNull | CheckNeg | DeoptIf | Jump | Branch
                | Return | Deopt | Unreachable | GuardType | UnboxFloat | UnboxInt | UnboxNumber
                | BoxFloat | BoxInt | BoxBool | CheckTracing | NativeIs | StackAlloc,
                _,
            ) => true,
            _ => false,
        };
        if !ok {
            return Some(match &d.operands {
                Operands::Call { callee, .. } => format!("it calls `{}`", callee.name),
                _ => format!("it has `{}` in its body", d.opcode.info().mnemonic),
            });
        }
        if let Some(fs) = d.operands.frame_state()
            && body.frame_state(fs).parent.is_some()
        {
            return Some("it has inlined frames in its body".into());
        }
    }
    // (After the instructions: what uses the frame is usually a call or store named above.)
    // A global load reads the frame's globals, which the copy reads from the function.
    let params = &body.block(entry).params;
    let frame_use = body.layout_insts().any(|(_, i)| {
        let ops = &body.inst(i).operands;
        let skip = matches!(ops, Operands::Call { callee, .. } if callee.name == "s6_rt_load_global_cached");
        ops.args()
            .iter()
            .enumerate()
            .any(|(k, a)| params.contains(a) && !(skip && k == 0))
    });
    if frame_use {
        return Some("it reads its frame or thread state".into());
    }
    if n > MAX_INLINE_INSTS {
        return Some(format!(
            "it has {n} instructions (limit {MAX_INLINE_INSTS})"
        ));
    }
    // No loops: every edge goes forward in reverse postorder.
    let cfg = ControlFlowGraph::compute(body);
    let dom = DominatorTree::compute(body, &cfg);
    let order: HashMap<Block, usize> = dom.rpo().iter().enumerate().map(|(k, &b)| (b, k)).collect();
    for &b in dom.rpo() {
        if cfg
            .succs(b)
            .iter()
            .any(|s| order.get(s).is_none_or(|&k| k <= order[&b]))
        {
            return Some("it loops".into());
        }
    }
    None
}

/// The helper an inlined copy calls in place of the site-cache load `name`: the same lookup
/// restricted to what runs no code (see the module doc); a probe (in a body with its own
/// inlined code) stays itself.
fn probe_for(name: &str) -> Option<&'static str> {
    match name {
        "s6_rt_load_attr_cached" | "s6_rt_probe_attr_cached" => Some("s6_rt_probe_attr_cached"),
        "s6_rt_load_method_cached" | "s6_rt_probe_method_cached" => {
            Some("s6_rt_probe_method_cached")
        }
        "s6_rt_load_global_cached" | "s6_rt_probe_global_cached" => {
            Some("s6_rt_probe_global_cached")
        }
        _ => None,
    }
}

/// For a call in `body` that is the generic path of a specialized operation (`PyNumber_Add`
/// beside the float path of a `+` that CPython left generic), the state a deopt resumes the
/// operation at: its own index with its operands on the stack (a guard of the operation, or
/// the tracing check after the instruction before it, leaves there). That is still what the
/// callee holds when it reaches the generic call: the paths of a specialized operation only
/// test and read its operands before they join, and release them after. The inlined copy
/// gives up there instead of calling (see the module doc). Not an error state, which has the
/// operands popped.
fn op_state(body: &Function, call: Inst) -> Option<FrameStateId> {
    let at = body.inst(call).loc?;
    body.layout_insts().find_map(|(_, i)| {
        let d = body.inst(i);
        let resumes = matches!(
            d.opcode,
            Opcode::UnboxNumber
                | Opcode::UnboxInt
                | Opcode::GuardType
                | Opcode::DeoptIf
                | Opcode::CheckTracing
        );
        let fs = d.operands.frame_state()?;
        (resumes && body.frame_state(fs).index == at).then_some(fs)
    })
}

/// Inlines the callees of [`Function::inline_callees`] at their calls (see the module doc),
/// then drops the list.
pub fn inline_calls(f: &mut Function) {
    let callees = std::mem::take(&mut f.inline_callees);
    if callees.is_empty() {
        return;
    }
    let sites: Vec<(Inst, &InlineCallee)> = f
        .layout_insts()
        .filter_map(|(_, i)| {
            let d = f.inst(i);
            let Operands::Py {
                op: PyOp::Call(_), ..
            } = &d.operands
            else {
                return None;
            };
            let c = callees.iter().find(|c| Some(c.at) == d.loc)?;
            Some((i, c))
        })
        .collect();
    let mut b = FunctionBuilder::resume(std::mem::replace(f, Function::new("", 0, 0)));
    for (inst, c) in sites {
        // (Inlining an earlier call of the block moved the rest of it to a new block.)
        let Some((block, _)) = b.func().layout_insts().find(|&(_, i)| i == inst) else {
            continue;
        };
        inline_one(&mut b, block, inst, c);
    }
    *f = b.finish();
}

/// Inlines `c` at the `py.call` `inst` of `block` when the call passes exactly its parameters
/// and its body qualifies ([`refusal`]).
fn inline_one(b: &mut FunctionBuilder, block: Block, inst: Inst, c: &InlineCallee) {
    let d = b.func().inst(inst).clone();
    let Operands::Py {
        op: PyOp::Call(n),
        args,
        fs,
    } = &d.operands
    else {
        return;
    };
    let (n, fs) = (*n, *fs);
    let f = b.func();
    let first_null = matches!(
        f.value_def(args[0]),
        crate::function::ValueDef::Result(i, 0) if f.inst(i).opcode == Opcode::Null
    );
    // [NULL, function, args..] or [method, self, args..].
    let (callable, params): (Value, Vec<Value>) = if first_null {
        (args[1], args[2..].to_vec())
    } else {
        (args[0], args[1..].to_vec())
    };
    if params.len() as u32 != c.argcount || refusal(&c.body, c.argcount).is_some() {
        return;
    }
    let result = d.results[0];
    let Some(pos) = b.func().block(block).insts.iter().position(|&i| i == inst) else {
        return;
    };
    let func = b.func_mut();
    let cont = super::specialize::split_block(func, block, pos);
    func.block_mut(cont).insts.remove(0);
    let r = func.add_block_param(cont, Type::Obj);
    let fallback = b.create_block();
    let entry = b.create_block();
    place_before(b.func_mut(), &[fallback, entry], cont);
    // The real call runs when the guard fails or the body is given up: rarely, by design.
    b.set_cold(fallback);
    b.set_loc(d.loc);
    b.switch_to_block(block);
    let ok = b.native_is(callable, &c.body.name);
    b.branch(ok, entry, &[], fallback, &[]);
    b.switch_to_block(fallback);
    if b.func().inlinee {
        // This function is itself a body to inline: give the whole of it up here, which its
        // inliner turns into an abandon to its own fallback (see `Function::inlinee`).
        b.deopt(fs, "inlined callee given up");
    } else {
        let r2 = super::legalize::emit_generic(b, PyOp::Call(n), args, fs);
        b.jump(cont, &[r2]);
    }
    // The body.
    b.switch_to_block(entry);
    let co = b.load(Type::Ptr, callable, function::FUNC_CODE);
    let consts = b.load(Type::Ptr, co, code::CO_CONSTS);
    let names = b.load(Type::Ptr, co, code::CO_NAMES);
    let owned: Vec<Value> = if first_null {
        args[1..].to_vec()
    } else {
        args.clone()
    };
    let mut copier = Copier {
        body: &c.body,
        callable,
        params,
        consts,
        names,
        fallback,
        cont,
        owned,
        vals: HashMap::new(),
        blocks: HashMap::new(),
        states: HashMap::new(),
        bindings: HashMap::new(),
    };
    copier.copy(b, entry);
    b.func_mut()
        .rewrite_uses(|v| if v == result { r } else { v });
}

/// Moves `new` (just created, at the end of the layout) to right before `cont`.
fn place_before(f: &mut Function, new: &[Block], cont: Block) {
    for &nb in new {
        f.layout.retain(|&x| x != nb);
        let at = f.layout.iter().position(|&x| x == cont).expect("in layout");
        f.layout.insert(at, nb);
    }
}

/// Copies a callee's body into the caller (see [`inline_one`]).
struct Copier<'a> {
    body: &'a Function,
    /// The called function.
    callable: Value,
    params: Vec<Value>,
    consts: Value,
    names: Value,
    fallback: Block,
    cont: Block,
    /// The call's operands, which the call consumed: released after the body.
    owned: Vec<Value>,
    vals: HashMap<Value, Value>,
    blocks: HashMap<Block, Block>,
    states: HashMap<FrameStateId, FrameStateId>,
    bindings: HashMap<BindingId, BindingId>,
}

impl Copier<'_> {
    fn copy(&mut self, b: &mut FunctionBuilder, entry: Block) {
        let body = self.body;
        let cfg = ControlFlowGraph::compute(body);
        let dom = DominatorTree::compute(body, &cfg);
        let order = dom.rpo().to_vec();
        let callee_entry = order[0];
        // Blocks (and their params) first, placed before `cont` in the callee's order.
        for &cb in &order {
            let nb = if cb == callee_entry {
                entry
            } else {
                let nb = b.create_block();
                for &p in &body.block(cb).params {
                    let v = b.append_block_param(nb, body.value_type(p));
                    let t = self.pytype(b, body.pytype(p));
                    if body.value_type(p) == Type::Obj {
                        b.func_mut().set_pytype(v, t);
                    }
                    self.vals.insert(p, v);
                }
                place_before(b.func_mut(), &[nb], self.cont);
                if body.block(cb).cold {
                    b.set_cold(nb);
                }
                nb
            };
            self.blocks.insert(cb, nb);
        }
        // In reverse postorder (the body has no loops, so every predecessor of a block comes
        // first): a block whose every predecessor was given up (a generic path's successors)
        // is left out, with the values only it defines.
        let mut reached: std::collections::HashSet<Block> = [callee_entry].into();
        for &cb in &order {
            let nb = self.blocks[&cb];
            if !reached.contains(&cb) {
                let f = b.func_mut();
                f.layout.retain(|&x| x != nb);
                f.detach_block_values(nb);
                continue;
            }
            b.switch_to_block(nb);
            let mut ended = false;
            for &i in &body.block(cb).insts {
                if self.inst(b, i) {
                    ended = true;
                    break;
                }
            }
            if !ended {
                reached.extend(body.successors(cb));
            }
        }
    }

    /// `t` with a class binding of the callee renumbered to the caller's.
    fn pytype(&mut self, b: &mut FunctionBuilder, t: PyType) -> PyType {
        match t.class() {
            Some(k) => PyType::exact_class(self.binding(b, BindingId::new(k as usize)).0),
            None => t,
        }
    }

    /// The caller's binding for callee binding `k`: the same object binding, or a word of a
    /// new site cache (each inlined copy keeps its own caches). The callee's whole table is
    /// mapped at the first use, in order, so that each of its site caches stays
    /// `SITE_CACHE_WORDS` consecutive words.
    fn binding(&mut self, b: &mut FunctionBuilder, k: BindingId) -> BindingId {
        if self.bindings.is_empty() {
            let f = b.func_mut();
            for (j, kind) in self.body.bindings.iter().enumerate() {
                let m = match kind {
                    BindingKind::Cache => f.make_binding(BindingKind::Cache),
                    kind => f.binding_for(kind.clone()),
                };
                self.bindings.insert(BindingId::new(j), m);
            }
        }
        self.bindings[&k]
    }

    fn val(&self, v: Value) -> Value {
        *self
            .vals
            .get(&v)
            .expect("callee value defined before its use")
    }

    fn state(&mut self, b: &mut FunctionBuilder, fs: FrameStateId) -> FrameStateId {
        if let Some(&m) = self.states.get(&fs) {
            return m;
        }
        let s = self.body.frame_state(fs);
        let state = FrameState {
            index: s.index,
            stack: s.stack.iter().map(|&v| self.val(v)).collect(),
            borrowed: s.borrowed.clone(),
            locals: Vec::new(),
            parent: None,
            // A state of the body's own inlined code keeps abandoning to that code's
            // fallback (copied: a give-up at the inner call's state, which lands here).
            abandon: Some(s.abandon.map_or(self.fallback, |a| self.blocks[&a])),
        };
        let m = b.func_mut().make_frame_state(state);
        self.states.insert(fs, m);
        m
    }

    /// Copies instruction `i`; true when it ended the block early (a generic call given up).
    fn inst(&mut self, b: &mut FunctionBuilder, i: Inst) -> bool {
        let body = self.body;
        let d = body.inst(i);
        let result = d.results.first().copied();
        match (&d.opcode, &d.operands) {
            (Opcode::Call, Operands::Call { callee, .. }) if probe_for(callee.name).is_none() => {
                let fs = op_state(body, i).expect("checked by `refusal`");
                let m = self.state(b, fs);
                b.deopt(m, "inlined generic operation");
                return true;
            }
            (Opcode::LoadLocal, Operands::UImm { imm }) => {
                self.vals
                    .insert(result.expect("one result"), self.params[*imm as usize]);
                return false;
            }
            (Opcode::SetPrevInstr | Opcode::CheckTracing, _) => return false,
            (Opcode::LoadConst | Opcode::LoadName, Operands::UImm { imm }) => {
                let table = if d.opcode == Opcode::LoadConst {
                    self.consts
                } else {
                    self.names
                };
                let v = b.load(Type::Obj, table, tuple::OB_ITEM + 8 * *imm as i32);
                let r = result.expect("one result");
                let t = self.pytype(b, body.pytype(r));
                b.func_mut().set_pytype(v, t);
                self.vals.insert(r, v);
                return false;
            }
            (Opcode::Return, Operands::Unary { arg }) => {
                let v = self.val(*arg);
                for k in 0..self.owned.len() {
                    b.decref(self.owned[k]);
                }
                b.jump(self.cont, &[v]);
                return false;
            }
            _ => {}
        }
        let mut ops = d.operands.clone();
        let frame = body
            .block(body.entry().expect("entry"))
            .params
            .get(1)
            .copied();
        let callable = self.callable;
        ops.map_args(|v| match self.vals.get(&v) {
            Some(&m) => m,
            // The frame argument of a global load (the only use `refusal` allows): the
            // probe's is the function, whose own globals it reads.
            None if Some(v) == frame => callable,
            None => panic!("callee value {v} defined before its use"),
        });
        if let Some(fs) = d.operands.frame_state() {
            let m = self.state(b, fs);
            if let Some(slot) = ops.frame_state_mut() {
                *slot = m;
            }
        }
        match &mut ops {
            Operands::Binding { binding } | Operands::GuardType { binding, .. } => {
                *binding = self.binding(b, *binding);
            }
            Operands::Call { callee, .. } => {
                let probe = probe_for(callee.name).expect("checked above");
                *callee = callees::lookup(probe).expect("in the callee table");
            }
            Operands::Jump { dest } => dest.block = self.blocks[&dest.block],
            Operands::Branch {
                then_dest,
                else_dest,
                ..
            } => {
                then_dest.block = self.blocks[&then_dest.block];
                else_dest.block = self.blocks[&else_dest.block];
            }
            _ => {}
        }
        let new = b.ins(d.opcode, ops);
        let results = b.results(new).to_vec();
        for (k, &r) in d.results.iter().enumerate() {
            let nr = results[k];
            if body.value_type(r) == Type::Obj {
                let t = self.pytype(b, body.pytype(r));
                b.func_mut().set_pytype(nr, t);
            }
            self.vals.insert(r, nr);
        }
        false
    }
}
