//! [`LoadedObject`]: one s6 object mapped into this process, relocated, protected W^X and
//! announced to the unwinder, gdb and perf; dropping it undoes all of that.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use object::elf;
use s6_profiles::abi;

use crate::debug;
use crate::elf::{Group, Parsed, SymDef, parse};
use crate::error::{LoadError, Result};
use crate::layout::{self, Layout, STUB_SIZE};
use crate::memory::{Region, page_size};
use crate::perf;
use crate::prelink::{self, PRELINK_PAGE};
use crate::reloc::{self, Kind};
use crate::unwind;

/// A function defined by a loaded object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// Symbol name, e.g. `s6::app.main`.
    pub name: String,
    pub address: usize,
    pub size: usize,
}

/// What a load announces besides the code itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// Register with gdb's JIT interface (an in-memory ELF copy per object).
    pub gdb: bool,
    /// perf map / jitdump output.
    pub perf: perf::Mode,
}

impl LoadOptions {
    /// gdb registration on unless `S6_GDB=0`; perf from `S6_PERF` (see [`perf::Mode::from_env`]).
    pub fn from_env() -> LoadOptions {
        let gdb = std::env::var_os("S6_GDB").is_none_or(|v| v != "0");
        LoadOptions {
            gdb,
            perf: perf::Mode::from_env(),
        }
    }
}

/// A loaded object. Addresses it hands out are valid until it is dropped.
pub struct LoadedObject {
    name: String,
    symbols: HashMap<String, usize>,
    functions: Vec<Function>,
    bindings: Option<(usize, usize)>,
    text: Range<usize>,
    code_from_file: bool,
    // Field order is drop order: debuggers and the unwinder forget the code before it is unmapped.
    _debug: debug::Handles,
    _unwind: Option<unwind::Registration>,
    region: Region,
}

// SAFETY: after `load` returns, the object's memory is only read (code, GOT, eh_frame) or
// written by the runtime through the raw binding-table pointer it asked for; the struct holds
// no thread-affine state.
unsafe impl Send for LoadedObject {}
// SAFETY: as above; every `&self` method only reads immutable fields.
unsafe impl Sync for LoadedObject {}

impl std::fmt::Debug for LoadedObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedObject")
            .field("name", &self.name)
            .field("base", &format_args!("{:#x}", self.region.base()))
            .field("len", &self.region.len())
            .field("functions", &self.functions)
            .finish()
    }
}

fn libpython_anchor(resolve: &dyn Fn(&str) -> Option<usize>) -> Option<usize> {
    let p = resolve("PyNumber_Add")
        .map(|a| a as *mut libc::c_void)
        .unwrap_or_else(|| {
            // SAFETY: dlsym with a NUL-terminated name.
            unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"PyNumber_Add".as_ptr()) }
        });
    if p.is_null() {
        return None;
    }
    // SAFETY: Dl_info is plain data; dladdr fills it for an address inside a loaded object.
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    // SAFETY: `p` is an address; dladdr only looks it up.
    let ok = unsafe { libc::dladdr(p, &mut info) };
    if ok != 0 && !info.dli_fbase.is_null() {
        Some(info.dli_fbase as usize)
    } else {
        Some(p as usize)
    }
}

impl LoadedObject {
    /// Loads `bytes` (an s6 ELF relocatable object) with [`LoadOptions::from_env`].
    /// `name_for_debuggers` identifies the object in diagnostics (e.g. the cache file path; gdb
    /// and perf name the code by its `s6::` symbols).
    /// `resolve` maps every undefined symbol to its address (helpers, libpython exports).
    pub fn load(
        bytes: &[u8],
        name_for_debuggers: &str,
        resolve: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<LoadedObject> {
        Self::load_with(bytes, name_for_debuggers, resolve, &LoadOptions::from_env())
    }

    /// [`LoadedObject::load`] with explicit options.
    pub fn load_with(
        bytes: &[u8],
        name_for_debuggers: &str,
        resolve: &dyn Fn(&str) -> Option<usize>,
        options: &LoadOptions,
    ) -> Result<LoadedObject> {
        Self::load_inner(bytes, None, name_for_debuggers, resolve, options)
    }

    /// Loads the object `file` holds, whose contents are `bytes` (typically a read-only
    /// mapping of it): like [`LoadedObject::load_with`], except that a prelinked object's code
    /// is mapped from the file rather than copied (see [`crate::prelink`]).
    pub fn load_file(
        file: &std::fs::File,
        bytes: &[u8],
        name_for_debuggers: &str,
        resolve: &dyn Fn(&str) -> Option<usize>,
        options: &LoadOptions,
    ) -> Result<LoadedObject> {
        Self::load_inner(bytes, Some(file), name_for_debuggers, resolve, options)
    }

    /// Whether the object's code is mapped from its file (a prelinked object loaded with
    /// [`LoadedObject::load_file`]) rather than copied.
    pub fn code_from_file(&self) -> bool {
        self.code_from_file
    }

    fn load_inner(
        bytes: &[u8],
        file: Option<&std::fs::File>,
        name_for_debuggers: &str,
        resolve: &dyn Fn(&str) -> Option<usize>,
        options: &LoadOptions,
    ) -> Result<LoadedObject> {
        let parsed = parse(bytes)?;
        check_abi(&parsed)?;
        let loaded_reloc = |r: &&crate::elf::RelocSet| parsed.sections[r.target].group.is_loaded();
        let plan = plan(&parsed, page_size())?;
        // The code section, to be mapped from the file when the object is prelinked for this
        // layout.
        let prelinked = file
            .filter(|_| page_size() == PRELINK_PAGE)
            .and_then(|f| prelink::text_is_prelinked(&parsed, &plan).map(|t| (f, t)));
        let Plan {
            got_slot,
            stub_slot,
            layout: lay,
        } = plan;

        // Imports.
        let mut imports: HashMap<usize, usize> = HashMap::default();
        let mut by_name: HashMap<&str, usize> = HashMap::default();
        for (i, s) in parsed.symbols.iter().enumerate().skip(1) {
            if s.def != SymDef::Undefined || s.name.is_empty() {
                continue;
            }
            let addr = match by_name.get(s.name) {
                Some(&a) => a,
                None => match resolve(s.name) {
                    Some(a) => a,
                    None if s.weak => 0,
                    None => return Err(LoadError::Unresolved(s.name.to_string())),
                },
            };
            by_name.insert(s.name, addr);
            imports.insert(i, addr);
        }
        let must_reach: Vec<usize> = parsed
            .relocs
            .iter()
            .filter(loaded_reloc)
            .flat_map(|set| &set.relocs)
            .filter(|r| r.kind == Kind::Pc32)
            .filter_map(|r| imports.get(&r.sym).copied())
            .collect();
        let first_import =
            (0..parsed.symbols.len()).find_map(|i| imports.get(&i).copied().filter(|&a| a != 0));
        let anchor = libpython_anchor(resolve).or(first_import).or(Some(
            libpython_anchor as fn(&dyn Fn(&str) -> Option<usize>) -> Option<usize> as usize,
        ));

        let mut region = Region::map_near(lay.total, anchor, &must_reach, prelinked.is_none())?;
        // Prelinked: the code's pages come from the file, read and execute only. A file system
        // that cannot map the file leaves the code to be copied, as for any object. `skip` is
        // the mapped code section.
        let skip = match prelinked {
            Some((f, text)) => region
                .map_file(
                    0,
                    lay.exec.len(),
                    f,
                    parsed.sections[text].file_offset,
                    libc::PROT_READ | libc::PROT_EXEC,
                )?
                .then_some(text),
            None => None,
        };
        let base = region.base();

        // Final addresses: sections (debug sections sit at 0, as in the debugger image), symbols.
        let section_addr: Vec<u64> = lay
            .section_offset
            .iter()
            .map(|o| o.map_or(0, |o| (base + o) as u64))
            .collect();
        let sym_addr: Vec<u64> = parsed
            .symbols
            .iter()
            .enumerate()
            .map(|(i, s)| match s.def {
                SymDef::Undefined => imports.get(&i).map_or(0, |&a| a as u64),
                SymDef::Absolute(v) => v,
                SymDef::Section { index, offset } => section_addr[index] + offset,
            })
            .collect();

        // Contents, stubs and GOT.
        let mem = region.bytes_mut();
        for (i, s) in parsed.sections.iter().enumerate() {
            if let (Some(off), Some(data), false) = (lay.section_offset[i], s.data, skip == Some(i))
            {
                mem[off..off + data.len()].copy_from_slice(data);
            }
        }
        for (sym, slot) in stub_slot.iter() {
            let at = lay.stubs + slot * STUB_SIZE;
            mem[at..at + 6].copy_from_slice(&[0xff, 0x25, 0, 0, 0, 0]); // jmp *[rip+0]
            mem[at + 6..at + 14].copy_from_slice(&sym_addr[sym].to_le_bytes());
            mem[at + 14..at + 16].copy_from_slice(&[0xcc, 0xcc]);
        }
        for (sym, slot) in got_slot.iter() {
            let at = lay.got + slot * 8;
            mem[at..at + 8].copy_from_slice(&sym_addr[sym].to_le_bytes());
        }

        // Relocations (a mapped code section's were checked to be in place already).
        for set in parsed
            .relocs
            .iter()
            .filter(loaded_reloc)
            .filter(|set| skip != Some(set.target))
        {
            let sec_off = lay.section_offset[set.target].expect("loaded section has an offset");
            for r in &set.relocs {
                let at = sec_off + r.offset as usize;
                let place = (base + at) as u64;
                let s = sym_addr[r.sym];
                let target = match (r.kind, stub_slot.get(r.sym)) {
                    (Kind::GotPcRel, _) => {
                        let slot = got_slot
                            .get(r.sym)
                            .expect("every GOTPCREL symbol has a slot");
                        (base + lay.got + slot * 8) as u64
                    }
                    (Kind::Plt32, Some(stub)) if !reloc::rel32_reaches(s, r.addend, place) => {
                        (base + lay.stubs + stub * STUB_SIZE) as u64
                    }
                    _ => s,
                };
                let field = reloc::encode(r.kind, target, r.addend, place).map_err(|e| {
                    LoadError::OutOfRange {
                        section: parsed.sections[set.target].name.to_string(),
                        offset: r.offset,
                        r_type: r.r_type,
                        value: e.0,
                    }
                })?;
                field.write(mem, at);
            }
        }

        // W^X: code RX (mapped code already is), constants/eh_frame/GOT R, data stays RW.
        if skip.is_none() {
            region.protect(
                lay.exec.start,
                lay.exec.len(),
                libc::PROT_READ | libc::PROT_EXEC,
            )?;
        }
        region.protect(lay.read_only.start, lay.read_only.len(), libc::PROT_READ)?;

        let text = base + lay.exec.start..base + lay.stubs;
        if let Some((off, len)) = lay.eh_frame {
            let eh = region.bytes(off, len);
            unwind::validate(eh, (base + off) as u64, text.start as u64..text.end as u64)
                .map_err(LoadError::Malformed)?;
        }
        let unwind = match lay.eh_frame {
            // SAFETY: the relocated `.eh_frame` and its terminator live in `region`, which is
            // dropped after the registration (field order of `LoadedObject`).
            Some((off, len)) => unsafe { unwind::register(region.bytes(off, len)) },
            None => None,
        };

        let (symbols, functions) = collect_symbols(&parsed, &sym_addr);
        let bindings = bindings_table(&parsed, &lay.section_offset, base)?;
        let debug = debug::publish(
            &debug::Input {
                parsed: &parsed,
                section_addr: &section_addr,
                sym_addr: &sym_addr,
                functions: &functions,
                region: &region,
                eh_frame: lay.eh_frame.map(|(off, len)| (base + off, len)),
            },
            options,
        )?;
        Ok(LoadedObject {
            name: name_for_debuggers.to_string(),
            symbols,
            functions,
            bindings,
            text,
            code_from_file: skip.is_some(),
            _debug: debug,
            _unwind: unwind,
            region,
        })
    }

    /// Address of a symbol defined by the object (functions, data), or `None`.
    pub fn symbol_address(&self, name: &str) -> Option<usize> {
        self.symbols.get(name).copied()
    }

    /// Every function the object defines (`STT_FUNC` in code), with address and size.
    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The binding table (`abi::BINDINGS_SYMBOL` in `abi::BINDINGS_SECTION`): start and number
    /// of pointer-sized slots, zero-initialised and writable for the object's lifetime.
    /// `(null, 0)` when the object has none.
    pub fn bindings_table(&self) -> (*mut usize, usize) {
        match self.bindings {
            Some((addr, slots)) => (addr as *mut usize, slots),
            None => (std::ptr::null_mut(), 0),
        }
    }

    /// Address range of the object's code (text sections, without call stubs).
    pub fn text_range(&self) -> Range<usize> {
        self.text.clone()
    }

    /// The name given at load time.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Slot numbers by symbol index, in order of first use (a GOT slot or a call stub each).
pub(crate) struct Slots {
    /// `u32::MAX`: none.
    of: Vec<u32>,
    count: usize,
}

impl Slots {
    fn new(symbols: usize) -> Slots {
        Slots {
            of: vec![u32::MAX; symbols],
            count: 0,
        }
    }

    fn assign(&mut self, sym: usize) {
        if self.of[sym] == u32::MAX {
            self.of[sym] = self.count as u32;
            self.count += 1;
        }
    }

    pub(crate) fn get(&self, sym: usize) -> Option<usize> {
        self.of
            .get(sym)
            .filter(|&&s| s != u32::MAX)
            .map(|&s| s as usize)
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `(symbol, slot)` of every assigned symbol.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.of
            .iter()
            .enumerate()
            .filter(|(_, s)| **s != u32::MAX)
            .map(|(sym, &s)| (sym, s as usize))
    }
}

/// Which GOT slot and call stub each symbol gets and where each section goes: all of it
/// independent of where the object is mapped and of what its imports resolve to, so that
/// `s6c build` computes the same plan when it prelinks the object ([`crate::prelink`]).
pub(crate) struct Plan {
    /// GOT slot of every symbol a `GOTPCREL` relocation names, in order of first use.
    pub(crate) got_slot: Slots,
    /// Call stub of every import a `PLT32` relocation names, in order of first use.
    pub(crate) stub_slot: Slots,
    pub(crate) layout: Layout,
}

pub(crate) fn plan(parsed: &Parsed<'_>, page: usize) -> Result<Plan> {
    let mut stub_slot = Slots::new(parsed.symbols.len());
    let mut got_slot = Slots::new(parsed.symbols.len());
    for set in parsed
        .relocs
        .iter()
        .filter(|r| parsed.sections[r.target].group.is_loaded())
    {
        for r in &set.relocs {
            let s = &parsed.symbols[r.sym];
            let import = r.sym != 0 && s.def == SymDef::Undefined && !s.name.is_empty();
            match r.kind {
                Kind::GotPcRel => got_slot.assign(r.sym),
                Kind::Plt32 if import => stub_slot.assign(r.sym),
                _ => {}
            }
        }
    }
    let layout = layout::compute(parsed, stub_slot.len(), got_slot.len(), page)?;
    Ok(Plan {
        got_slot,
        stub_slot,
        layout,
    })
}

/// Name of the compiler's metadata section: `NATIVE_ABI_VERSION` (u32 LE), then the target.
const META_SECTION: &str = ".s6.meta";

/// An object that says it was compiled against another native ABI is refused (objects without
/// the metadata section, e.g. hand-made test objects, are not checked).
fn check_abi(parsed: &Parsed<'_>) -> Result<()> {
    let Some(sec) = parsed.sections.iter().find(|s| s.name == META_SECTION) else {
        return Ok(());
    };
    let version = sec
        .data
        .and_then(|d| d.get(..4))
        .map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]));
    match version {
        Some(v) if v == abi::NATIVE_ABI_VERSION => Ok(()),
        Some(v) => Err(LoadError::Unsupported(format!(
            "native ABI version {v}, this runtime has {}",
            abi::NATIVE_ABI_VERSION
        ))),
        None => Err(LoadError::Malformed(format!("{META_SECTION} too short"))),
    }
}

fn collect_symbols(
    parsed: &Parsed<'_>,
    sym_addr: &[u64],
) -> (HashMap<String, usize>, Vec<Function>) {
    let mut symbols = HashMap::default();
    let mut functions = Vec::new();
    for (i, s) in parsed.symbols.iter().enumerate() {
        let SymDef::Section { index, .. } = s.def else {
            continue;
        };
        let group = parsed.sections[index].group;
        if s.name.is_empty()
            || !group.is_loaded()
            || matches!(s.st_type, elf::STT_SECTION | elf::STT_FILE)
        {
            continue;
        }
        let addr = sym_addr[i] as usize;
        symbols.insert(s.name.to_string(), addr);
        if s.st_type == elf::STT_FUNC && group == Group::Exec && s.size > 0 {
            functions.push(Function {
                name: s.name.to_string(),
                address: addr,
                size: s.size as usize,
            });
        }
    }
    functions.sort_by_key(|f| f.address);
    (symbols, functions)
}

fn bindings_table(
    parsed: &Parsed<'_>,
    offsets: &[Option<usize>],
    base: usize,
) -> Result<Option<(usize, usize)>> {
    let Some(index) = parsed.section_index(abi::BINDINGS_SECTION) else {
        return Ok(None);
    };
    let sec = &parsed.sections[index];
    let (Group::Writable, Some(off)) = (sec.group, offsets[index]) else {
        return Err(LoadError::Malformed(format!(
            "{} is not writable data",
            abi::BINDINGS_SECTION
        )));
    };
    let start = parsed
        .symbols
        .iter()
        .find_map(|s| match s.def {
            SymDef::Section { index: i, offset }
                if i == index && s.name == abi::BINDINGS_SYMBOL =>
            {
                Some(offset)
            }
            _ => None,
        })
        .unwrap_or(0);
    if !start.is_multiple_of(8) || !(base + off).is_multiple_of(8) {
        return Err(LoadError::Malformed(format!(
            "{} is not pointer-aligned",
            abi::BINDINGS_SYMBOL
        )));
    }
    let slots = (sec.size - start) as usize / 8;
    Ok(Some((base + off + start as usize, slots)))
}
