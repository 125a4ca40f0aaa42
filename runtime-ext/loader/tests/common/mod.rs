//! Builds test objects the way `s6c build` does: small Cranelift functions (with source
//! positions) handed to the compiler's real object writer (`s6_compiler::emit::write_object`),
//! so the loader is tested on the exact ELF layout, `.eh_frame` and DWARF the product emits.
#![allow(dead_code)]

use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I64;
use cranelift_codegen::ir::{
    AbiParam, BlockArg, ExtFuncData, ExternalName, Function, GlobalValueData, InstBuilder,
    MemFlagsData, Signature, SourceLoc, UserExternalName, UserFuncName, immediates::Imm64,
};
use cranelift_codegen::isa::CallConv;
use cranelift_codegen::{Context, FinalizedRelocTarget};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use s6_compiler::emit::{
    self, CodeReloc, FunctionCode, ObjectInput, RelocKind, RelocTarget, SourceRow,
};

pub const SOURCE: &str = "/tmp/s6-loader-tests/testmod.py";
const NS_IMPORT: u32 = 0;
const NS_BINDINGS: u32 = 1;

/// What a test function does (all take and return i64).
#[derive(Clone, Debug)]
pub enum Body {
    /// `(a, b) -> a + b`
    Add,
    /// `(x) -> name(x) + plus`; `colocated` makes Cranelift emit `call rel32` (PLT32) instead of
    /// a GOT load.
    CallImport {
        name: String,
        colocated: bool,
        plus: i64,
    },
    /// `() -> bindings[slot]` (this function owns `slots` slots).
    LoadBinding { slot: u32, slots: u32 },
    /// `() -> *(&name)` (Cranelift in PIC mode goes through the GOT).
    LoadImportData { name: String },
    /// `(n) -> fold of i in 0..n` with a loop: hot native code for profiling.
    SumTo,
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub symbol: String,
    pub body: Body,
    /// Rows: entry at `first_line`, the operation at `first_line + 1`, return at `+ 2`.
    pub first_line: u32,
}

pub fn spec(symbol: &str, first_line: u32, body: Body) -> Spec {
    Spec {
        symbol: symbol.to_string(),
        body,
        first_line,
    }
}

fn sig(n: usize) -> Signature {
    let mut s = Signature::new(CallConv::SystemV);
    s.params.extend((0..n).map(|_| AbiParam::new(I64)));
    s.returns.push(AbiParam::new(I64));
    s
}

fn compile(spec: &Spec) -> FunctionCode {
    let isa = s6_compiler::lower::isa::target_isa(true).unwrap();
    let params = match spec.body {
        Body::Add => 2,
        Body::CallImport { .. } | Body::SumTo => 1,
        _ => 0,
    };
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), sig(params));
    let mut imports: Vec<String> = Vec::new();
    let mut fbc = FunctionBuilderContext::new();
    let line = spec.first_line;
    {
        let mut b = FunctionBuilder::new(&mut func, &mut fbc);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        b.set_srcloc(SourceLoc::new(line));
        let args = b.block_params(entry).to_vec();
        let zero = b.ins().iconst(I64, 0);
        b.set_srcloc(SourceLoc::new(line + 1));
        let result = match &spec.body {
            Body::Add => b.ins().iadd(args[0], args[1]),
            Body::CallImport {
                name,
                colocated,
                plus,
            } => {
                imports.push(name.clone());
                let name_ref = b
                    .func
                    .declare_imported_user_function(UserExternalName::new(NS_IMPORT, 0));
                let signature = b.func.import_signature(sig(1));
                let f = b.func.import_function(ExtFuncData {
                    name: ExternalName::user(name_ref),
                    signature,
                    colocated: *colocated,
                    patchable: false,
                });
                let c = b.ins().call(f, &[args[0]]);
                let r = b.inst_results(c)[0];
                b.ins().iadd_imm_s(r, *plus)
            }
            Body::LoadBinding { slot, .. } => {
                let name_ref = b
                    .func
                    .declare_imported_user_function(UserExternalName::new(NS_BINDINGS, 0));
                let gv = b.func.create_global_value(GlobalValueData::Symbol {
                    name: ExternalName::user(name_ref),
                    offset: Imm64::new(0),
                    colocated: false,
                    tls: false,
                });
                let base = b.ins().symbol_value(I64, gv);
                b.ins()
                    .load(I64, MemFlagsData::trusted(), base, (*slot * 8) as i32)
            }
            Body::LoadImportData { name } => {
                imports.push(name.clone());
                let name_ref = b
                    .func
                    .declare_imported_user_function(UserExternalName::new(NS_IMPORT, 0));
                let gv = b.func.create_global_value(GlobalValueData::Symbol {
                    name: ExternalName::user(name_ref),
                    offset: Imm64::new(0),
                    colocated: true,
                    tls: false,
                });
                let addr = b.ins().symbol_value(I64, gv);
                b.ins().load(I64, MemFlagsData::trusted(), addr, 0)
            }
            Body::SumTo => {
                let header = b.create_block();
                let i = b.append_block_param(header, I64);
                let acc = b.append_block_param(header, I64);
                let (body, exit) = (b.create_block(), b.create_block());
                b.ins()
                    .jump(header, &[BlockArg::Value(zero), BlockArg::Value(zero)]);
                b.switch_to_block(header);
                let more = b.ins().icmp(IntCC::SignedLessThan, i, args[0]);
                b.ins().brif(more, body, &[], exit, &[]);
                b.switch_to_block(body);
                b.seal_block(body);
                let x = b.ins().bxor(acc, i);
                let y = b.ins().iadd(x, i);
                let next = b.ins().iadd_imm_s(i, 1);
                b.ins()
                    .jump(header, &[BlockArg::Value(next), BlockArg::Value(y)]);
                b.seal_block(header);
                b.switch_to_block(exit);
                b.seal_block(exit);
                acc
            }
        };
        b.set_srcloc(SourceLoc::new(line + 2));
        let result = b.ins().iadd(result, zero);
        b.ins().return_(&[result]);
        b.finalize(isa.frontend_config());
    }
    let names = func.params.user_named_funcs().clone();
    let mut ctx = Context::for_function(func);
    let compiled = ctx
        .compile(&*isa, &mut ControlPlane::default())
        .expect("cranelift");
    let unwind = compiled.create_unwind_info(&*isa).expect("unwind info");
    let mut rows: Vec<SourceRow> = Vec::new();
    for s in compiled.buffer.get_srclocs_sorted() {
        if s.loc.is_default()
            || s.start == s.end
            || rows.last().is_some_and(|r| r.line == s.loc.bits())
        {
            continue;
        }
        rows.push(SourceRow {
            offset: s.start,
            index: s.loc.bits(),
            line: s.loc.bits(),
        });
    }
    let relocs = compiled
        .buffer
        .relocs()
        .iter()
        .map(|r| {
            let kind = match r.kind {
                Reloc::X86GOTPCRel4 => RelocKind::GotPcRel,
                Reloc::X86CallPCRel4 | Reloc::X86CallPLTRel4 => RelocKind::Plt32,
                Reloc::X86PCRel4 => RelocKind::Pc32,
                other => panic!("reloc {other:?}"),
            };
            let FinalizedRelocTarget::ExternalName(ExternalName::User(u)) = &r.target else {
                panic!()
            };
            let n = &names[*u];
            let target = match n.namespace {
                NS_IMPORT => RelocTarget::Import(imports[n.index as usize].clone()),
                _ => RelocTarget::Bindings,
            };
            CodeReloc {
                offset: r.offset,
                kind,
                target,
                addend: r.addend,
            }
        })
        .collect();
    let binding_slots = match spec.body {
        Body::LoadBinding { slots, .. } => slots,
        _ => 0,
    };
    FunctionCode {
        symbol: spec.symbol.clone(),
        code: compiled.buffer.data().to_vec(),
        relocs,
        unwind,
        rows,
        binding_slots,
    }
}

/// An object with `specs`, written by the compiler's emitter.
pub fn object(specs: &[Spec]) -> Vec<u8> {
    let isa = s6_compiler::lower::isa::target_isa(true).unwrap();
    let input = ObjectInput {
        source: SOURCE.to_string(),
        functions: specs.iter().map(compile).collect(),
        target: s6_compiler::lower::isa::describe(&*isa),
    };
    emit::write_object(&*isa, &input)
        .expect("write_object")
        .bytes
}

/// Source rows (offset within the function, line) the test function `spec` was given, as the
/// emitter will put them into `.debug_line`.
pub fn rows(spec: &Spec) -> Vec<(u32, u32)> {
    compile(spec)
        .rows
        .iter()
        .map(|r| (r.offset, r.line))
        .collect()
}

/// Resolver over a fixed table.
pub fn resolver(table: Vec<(&'static str, usize)>) -> impl Fn(&str) -> Option<usize> {
    move |name| table.iter().find(|(n, _)| *n == name).map(|&(_, a)| a)
}

pub fn no_debug() -> s6_loader::LoadOptions {
    s6_loader::LoadOptions {
        gdb: false,
        perf: s6_loader::perf::Mode::Off,
    }
}

/// A hand-made object: one global function `name` with `code` in `.text`, and relocations
/// `(offset, r_type, symbol, addend)` against undefined symbols, for relocation types the
/// emitter does not produce (Cranelift in PIC mode reaches all data through the GOT).
pub fn raw_object(name: &str, code: &[u8], relocs: &[(u64, u32, &str, i64)]) -> Vec<u8> {
    use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
    use object::{
        Architecture, BinaryFormat, Endianness, RelocationFlags, SymbolFlags, SymbolKind,
        SymbolScope,
    };
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little);
    let text = obj.section_id(StandardSection::Text);
    let off = obj.append_section_data(text, code, 16);
    obj.add_symbol(Symbol {
        name: name.as_bytes().to_vec(),
        value: off,
        size: code.len() as u64,
        kind: SymbolKind::Text,
        scope: SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Section(text),
        flags: SymbolFlags::None,
    });
    for &(offset, r_type, sym, addend) in relocs {
        let symbol = obj.symbol_id(sym.as_bytes()).unwrap_or_else(|| {
            obj.add_symbol(Symbol {
                name: sym.as_bytes().to_vec(),
                value: 0,
                size: 0,
                kind: SymbolKind::Unknown,
                scope: SymbolScope::Dynamic,
                weak: false,
                section: SymbolSection::Undefined,
                flags: SymbolFlags::None,
            })
        });
        obj.add_relocation(
            text,
            Relocation {
                offset,
                symbol,
                addend,
                flags: RelocationFlags::Elf { r_type },
            },
        )
        .unwrap();
    }
    obj.write().unwrap()
}

/// `lea rax, [rip + sym]; ret` (PC32 field at offset 3, addend -4).
pub const LEA_RET: [u8; 8] = [0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3];
/// `movabs rax, imm64; ret` (64-bit field at offset 2).
pub const MOVABS_RET: [u8; 11] = [0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xc3];
