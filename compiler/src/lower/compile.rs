//! Runs Cranelift on one built function and turns its output into an `emit::FunctionCode`:
//! machine code, relocations by symbol name, System V unwind info and source rows
//! (machine offset -> bytecode index -> Python line).

use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{self, ExternalName};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, FinalizedRelocTarget};

use super::LowerError;
use super::builder::{NS_BINDINGS, NS_IMPORT};
use crate::emit::{CodeReloc, FunctionCode, RelocKind, RelocTarget, SourceRow};

pub(crate) fn compile(
    isa: &dyn TargetIsa,
    func: ir::Function,
    imports: &[String],
    symbol: &str,
    line_of: &dyn Fn(u32) -> u32,
) -> Result<FunctionCode, LowerError> {
    let names = func.params.user_named_funcs().clone();
    // One Cranelift context per thread, reused: it keeps its allocations between functions.
    thread_local! {
        static CTX: std::cell::RefCell<Context> = std::cell::RefCell::new(Context::new());
    }
    CTX.with_borrow_mut(|ctx| {
        ctx.clear();
        ctx.func = func;
        finish(isa, ctx, &names, imports, symbol, line_of)
    })
}

fn finish(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    names: &cranelift_codegen::entity::PrimaryMap<ir::UserExternalNameRef, ir::UserExternalName>,
    imports: &[String],
    symbol: &str,
    line_of: &dyn Fn(u32) -> u32,
) -> Result<FunctionCode, LowerError> {
    let compiled = ctx
        .compile(isa, &mut ControlPlane::default())
        .map_err(|e| LowerError::Codegen(format!("{:?}", e.inner)))?;
    let unwind = compiled
        .create_unwind_info(isa)
        .map_err(|e| LowerError::Codegen(format!("unwind info: {e:?}")))?;
    let code = compiled.buffer.data().to_vec();
    let mut rows: Vec<SourceRow> = Vec::new();
    for s in compiled.buffer.get_srclocs_sorted() {
        if s.loc.is_default() || s.start == s.end {
            continue;
        }
        let index = s.loc.bits();
        if rows.last().is_some_and(|r| r.index == index) {
            continue;
        }
        rows.push(SourceRow {
            offset: s.start,
            index,
            line: line_of(index),
        });
    }
    let mut relocs = Vec::with_capacity(compiled.buffer.relocs().len());
    for r in compiled.buffer.relocs() {
        let kind = match r.kind {
            Reloc::X86GOTPCRel4 => RelocKind::GotPcRel,
            Reloc::X86CallPCRel4 | Reloc::X86CallPLTRel4 => RelocKind::Plt32,
            Reloc::X86PCRel4 => RelocKind::Pc32,
            other => return Err(LowerError::Reloc(format!("{other:?}"))),
        };
        let target = match &r.target {
            FinalizedRelocTarget::ExternalName(ExternalName::User(u)) => {
                let name = &names[*u];
                match name.namespace {
                    NS_IMPORT => RelocTarget::Import(imports[name.index as usize].clone()),
                    NS_BINDINGS => RelocTarget::Bindings,
                    ns => return Err(LowerError::Reloc(format!("unknown namespace {ns}"))),
                }
            }
            other => return Err(LowerError::Reloc(format!("{other:?}"))),
        };
        relocs.push(CodeReloc {
            offset: r.offset,
            kind,
            target,
            addend: r.addend,
        });
    }
    Ok(FunctionCode {
        symbol: symbol.to_owned(),
        code,
        relocs,
        unwind,
        rows,
        binding_slots: 0,
    })
}
