//! Translation state and the driver loop: blocks are translated from a worklist (reachable from
//! the entry through normal control flow only), each from its leader to a terminator or to the
//! next leader. Also the small emitters every opcode family uses (stack, frame states, frame
//! slots, tracing check).

use super::TranslateError;
use super::blocks::Instrs;
use s6_profiles::model::SiteFeedback;
use s6_py311::Instr;
use s6_py311::exceptions::Handler;
use s6_py311::layout::frame;
use s6_py311::marshal::Code;
use s6_strongjit::{Block, FrameStateId, Function, FunctionBuilder, IntCC, Type, Value};
use std::collections::HashMap;

/// Whether translation of a block continues after an instruction.
pub enum Flow {
    /// Continue with the next instruction in the current builder block.
    Next,
    /// The current block is terminated.
    Done,
}

pub struct Translator<'a> {
    pub code: &'a Code,
    pub instrs: Instrs,
    pub b: FunctionBuilder,
    /// Leader start index -> (block, stack depth).
    blocks: HashMap<u32, (Block, usize)>,
    worklist: Vec<u32>,
    pub stack: Vec<Value>,
    fs_cache: HashMap<(u32, Vec<Value>), FrameStateId>,
    pub nlocalsplus: u32,
    /// `(start of KW_NAMES, const index)` waiting for its `CALL`.
    pub kw_names: Option<(u32, u32)>,
    /// Locals definitely bound before each instruction (see `blocks::definitely_bound`).
    bound: Vec<Option<Vec<u64>>>,
    /// Where a generator's frame can be resumed (see `generators`); empty for other code.
    pub resumes: Vec<super::generators::ResumePoint>,
    /// The exception table when native code runs the handlers (see [`native_handlers`]).
    handlers: Vec<Handler>,
}

/// The exception table's entries when native code runs this function's handlers, else none.
///
/// An error exit inside a `try` then continues in the handler's native code (the runtime's
/// `s6_rt_catch` does what ceval does between the raise and the handler). All or nothing: the
/// runtime catches for every handler of the table, so every handler needs its native entry.
/// In a generator or coroutine the catch edges leave the entry beside the resume dispatch, and
/// a `yield` in handler code is a resume point like any other (its stack, with the handled
/// exception, is in the frame). Not for `except*` (`CHECK_EG_MATCH`, `PREP_RERAISE_STAR` have
/// no native form), or a table that does not parse or names a handler that is not an
/// instruction's start.
fn native_handlers(code: &Code, instrs: &Instrs) -> Vec<Handler> {
    use s6_py311::opcodes::{CHECK_EG_MATCH, PREP_RERAISE_STAR};
    if instrs
        .list
        .iter()
        .any(|i| matches!(i.base_op(), CHECK_EG_MATCH | PREP_RERAISE_STAR))
    {
        return Vec::new();
    }
    let Ok(handlers) = s6_py311::exceptions::parse(&code.exceptiontable) else {
        return Vec::new();
    };
    if handlers
        .iter()
        .any(|h| !instrs.by_start.contains_key(&h.target))
    {
        return Vec::new();
    }
    handlers
}

impl<'a> Translator<'a> {
    pub fn new(
        code: &'a Code,
        feedback: &'a [SiteFeedback],
        symbol: &str,
    ) -> Result<Self, TranslateError> {
        let list = s6_py311::bytecode::decode(&code.code)?;
        if list.is_empty() {
            return Err(TranslateError::Malformed {
                index: 0,
                what: "empty bytecode".into(),
            });
        }
        let nlocalsplus = code.nlocalsplus() as u32;
        let flags = code.flags;
        let nargs = code.argcount
            + code.kwonlyargcount
            + u32::from(flags & s6_py311::marshal::CO_VARARGS != 0)
            + u32::from(flags & s6_py311::marshal::CO_VARKEYWORDS != 0);
        let mut instrs = Instrs::new(list);
        let handlers = native_handlers(code, &instrs);
        instrs.leaders.extend(handlers.iter().map(|h| h.target));
        let bound = super::blocks::definitely_bound(&instrs, nlocalsplus, nargs, &handlers);
        // (A generator resumes after each `YIELD_VALUE` with what the interpreter may have
        // done meanwhile, handler code included: `definitely_bound` assumes nothing there.)
        let mut b = FunctionBuilder::new(symbol, nlocalsplus, code.stacksize);
        let mut sites = feedback.to_vec();
        sites.sort_by_key(|s| s.index);
        sites.dedup_by_key(|s| s.index);
        b.func_mut().feedback = sites;
        Ok(Translator {
            code,
            instrs,
            b,
            blocks: HashMap::new(),
            worklist: Vec::new(),
            stack: Vec::new(),
            fs_cache: HashMap::new(),
            nlocalsplus,
            kw_names: None,
            bound,
            resumes: Vec::new(),
            handlers,
        })
    }

    /// Translates every reachable block and returns the (unverified) function.
    pub fn run(mut self) -> Result<Function, TranslateError> {
        if self.code.is_generator_like() {
            let dispatch = self.b.create_block();
            if self.handlers.is_empty() {
                self.b.jump(dispatch, &[]);
            } else {
                self.catch_entries(dispatch)?;
            }
            self.first_resume()?;
            while let Some(start) = self.worklist.pop() {
                self.translate_block(start)?;
            }
            self.b.switch_to_block(dispatch);
            self.resume_dispatch()?;
            return Ok(self.b.finish());
        }
        let first = self.instrs.list[0].start;
        let entry = self.block_for(first, 0)?;
        if self.handlers.is_empty() {
            self.b.jump(entry, &[]);
        } else {
            self.catch_entries(entry)?;
        }
        while let Some(start) = self.worklist.pop() {
            self.translate_block(start)?;
        }
        Ok(self.b.finish())
    }

    /// Ends the entry block with `entry body, catch @H bbN, ...` and fills one block per
    /// handler, where a caught exception enters: `s6_rt_catch` left the handler's stack in the
    /// frame (owned references: the entries below the handler's depth, the `lasti` int if the
    /// handler takes one, the exception), which is loaded, `stacktop` dropping back to the
    /// locals as while native code runs.
    fn catch_entries(&mut self, body: Block) -> Result<(), TranslateError> {
        let mut targets: Vec<(u32, usize)> = Vec::new();
        for h in &self.handlers {
            let depth = h.depth as usize + usize::from(h.lasti) + 1;
            match targets.iter().find(|(t, _)| *t == h.target) {
                Some(&(_, d)) if d != depth => {
                    return Err(TranslateError::Malformed {
                        index: h.target,
                        what: format!("handler entered with stack depth {depth} and {d}"),
                    });
                }
                Some(_) => {}
                None => targets.push((h.target, depth)),
            }
        }
        let blocks: Vec<(u32, Block)> = targets
            .iter()
            .map(|&(t, _)| (t, self.b.create_block()))
            .collect();
        self.b.entry(body, &blocks);
        for (&(target, depth), &(_, block)) in targets.iter().zip(&blocks) {
            self.b.switch_to_block(block);
            let index = self.instrs.list[self.instrs.by_start[&target]].index;
            self.b.set_loc(Some(index));
            let stack: Vec<_> = (0..depth).map(|d| self.load_slot(d)).collect();
            let f = self.b.frame();
            let top = self.i32c(self.nlocalsplus);
            self.b.store(Type::I32, f, frame::STACKTOP, top);
            let dest = self.block_for(target, depth)?;
            self.b.jump(dest, &stack);
        }
        Ok(())
    }

    fn translate_block(&mut self, start: u32) -> Result<(), TranslateError> {
        let (block, _) = self.blocks[&start];
        self.b.switch_to_block(block);
        self.stack = self.b.func().block(block).params.clone();
        self.kw_names = None;
        let mut pos = self.instrs.by_start[&start];
        loop {
            let ins = self.instrs.list[pos];
            self.b.set_loc(Some(ins.index));
            if let Flow::Done = self.translate_instr(&ins)? {
                return Ok(());
            }
            pos += 1;
            let Some(next) = self.instrs.list.get(pos).copied() else {
                return Err(self.malformed(&ins, "falls off the end of the code"));
            };
            if self.instrs.leaders.contains(&next.start) {
                let target = self.block_for(next.start, self.stack.len())?;
                let args = self.stack.clone();
                self.b.jump(target, &args);
                return Ok(());
            }
        }
    }

    /// The block of the leader at `start`, created (with `depth` obj parameters) and queued on
    /// first use.
    pub fn block_for(&mut self, start: u32, depth: usize) -> Result<Block, TranslateError> {
        if let Some(&(b, d)) = self.blocks.get(&start) {
            if d != depth {
                return Err(TranslateError::Malformed {
                    index: start,
                    what: format!("stack depth {depth} here, {d} on another path"),
                });
            }
            return Ok(b);
        }
        if !self.instrs.by_start.contains_key(&start) || !self.instrs.leaders.contains(&start) {
            return Err(TranslateError::Malformed {
                index: start,
                what: "jump into an instruction".into(),
            });
        }
        let b = self.b.create_block();
        for _ in 0..depth {
            self.b.append_block_param(b, Type::Obj);
        }
        self.blocks.insert(start, (b, depth));
        self.worklist.push(start);
        Ok(b)
    }

    /// Jumps to the leader at `start` with the current stack.
    pub fn jump_to(&mut self, start: u32) -> Result<(), TranslateError> {
        let target = self.block_for(start, self.stack.len())?;
        let args = self.stack.clone();
        self.b.jump(target, &args);
        Ok(())
    }

    pub fn malformed(&self, ins: &Instr, what: &str) -> TranslateError {
        TranslateError::Malformed {
            index: ins.index,
            what: format!("{}: {what}", ins.name()),
        }
    }

    // ---- value stack ----
    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    pub fn pop(&mut self, ins: &Instr) -> Result<Value, TranslateError> {
        self.stack
            .pop()
            .ok_or_else(|| self.malformed(ins, "stack underflow"))
    }

    /// Pops `n` values, returned bottom first.
    pub fn popn(&mut self, ins: &Instr, n: usize) -> Result<Vec<Value>, TranslateError> {
        if n > self.stack.len() {
            return Err(self.malformed(ins, "stack underflow"));
        }
        Ok(self.stack.split_off(self.stack.len() - n))
    }

    /// `PEEK(n)` (1 = top).
    pub fn peek(&self, ins: &Instr, n: usize) -> Result<Value, TranslateError> {
        if n == 0 || n > self.stack.len() {
            return Err(self.malformed(ins, "stack underflow"));
        }
        Ok(self.stack[self.stack.len() - n])
    }

    // ---- frame states ----
    pub fn state(&mut self, index: u32) -> FrameStateId {
        let key = (index, self.stack.clone());
        if let Some(&fs) = self.fs_cache.get(&key) {
            return fs;
        }
        let fs = self.b.frame_state(index, &key.1);
        self.fs_cache.insert(key, fs);
        fs
    }

    /// Error exit of `ins` with the current stack (its consumed operands already popped and
    /// released).
    pub fn fs_error(&mut self, ins: &Instr) -> FrameStateId {
        self.state(ins.index)
    }

    /// Deopt that re-runs `ins` with the current stack (its operands still on it).
    pub fn fs_at(&mut self, ins: &Instr) -> FrameStateId {
        self.state(ins.start)
    }

    /// Deopt to the instruction after `ins` with the current stack (its results pushed).
    pub fn fs_after(&mut self, ins: &Instr) -> FrameStateId {
        self.state(ins.next)
    }

    // ---- emitters ----
    pub fn i32c(&mut self, x: u32) -> Value {
        self.b.iconst(Type::I32, i64::from(x))
    }

    pub fn is_null(&mut self, v: Value) -> Value {
        let n = self.b.null();
        self.b.icmp(IntCC::Eq, v, n)
    }

    pub fn nonzero(&mut self, v: Value) -> Value {
        let z = self.b.iconst(self.b.func().value_type(v), 0);
        self.b.icmp(IntCC::Ne, v, z)
    }

    /// `check_null v` at the error state of `ins`.
    pub fn check_null(&mut self, ins: &Instr, v: Value) {
        let fs = self.fs_error(ins);
        self.b.check_null(v, fs);
    }

    /// `check_neg v` at the error state of `ins`.
    pub fn check_neg(&mut self, ins: &Instr, v: Value) {
        let fs = self.fs_error(ins);
        self.b.check_neg(v, fs);
    }

    /// Deopts (re-running `ins`) when `v` is NULL.
    pub fn deopt_if_null(&mut self, ins: &Instr, v: Value, reason: &str) {
        let c = self.is_null(v);
        let fs = self.fs_at(ins);
        self.b.deopt_if(c, fs, reason);
    }

    /// After a call that may run Python code: deopt to the next instruction when tracing was
    /// turned on (`tstate->cframe->use_tracing`), so the interpreter traces the rest.
    pub fn tracing_check(&mut self, ins: &Instr) {
        let fs = self.fs_after(ins);
        self.b.check_tracing(fs);
    }

    /// Whether local `i` may be unbound when `ins` runs (so `LOAD_FAST` needs a check).
    pub fn local_may_be_unbound(&self, ins: &Instr, i: u32) -> bool {
        let pos = self.instrs.by_start[&ins.start];
        !self.bound[pos]
            .as_deref()
            .is_some_and(|set| super::blocks::is_bound(set, i))
    }

    /// Absolute `localsplus` index of value-stack depth `depth`.
    pub fn slot_index(&self, depth: usize) -> u32 {
        self.nlocalsplus + depth as u32
    }

    /// Moves `vals` (owned) into the frame's value-stack slots from depth `base` on.
    pub fn store_slots(&mut self, base: usize, vals: &[Value]) {
        let f = self.b.frame();
        for (k, &v) in vals.iter().enumerate() {
            let off = frame::LOCALSPLUS + 8 * self.slot_index(base + k) as i32;
            self.b.store(Type::Obj, f, off, v);
        }
    }

    /// Loads the value-stack slot at depth `depth` (an owned reference a helper wrote there).
    pub fn load_slot(&mut self, depth: usize) -> Value {
        let f = self.b.frame();
        let off = frame::LOCALSPLUS + 8 * self.slot_index(depth) as i32;
        self.b.load(Type::Obj, f, off)
    }
}
