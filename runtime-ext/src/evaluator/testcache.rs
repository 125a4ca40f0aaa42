//! Test only: writes a cache manifest from plain Python data, so that the runtime's tests can
//! build real caches (objects compiled from C by the test) and damaged ones before and
//! independently of `s6c build`.

use std::path::Path;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use s6_profiles::format::write_manifest;
use s6_profiles::hash::fnv1a64;
use s6_profiles::manifest::{
    Binding, BindingEntry, ExitKind, ExitSite, FunctionEntry, Manifest, ObjectEntry,
};
use s6_profiles::model::{AbiStamp, CodeKey};

/// `(slot, "type" | "builtin", name)`.
pub type BindingSpec = (u32, String, String);
/// `(index, "deopt" | "error", reason)`.
pub type ExitSpec = (u32, String, String);
/// `(filename, module, qualname, firstlineno, marshal_hash, code_units, symbol, bindings,
/// exits)`.
pub type FunctionSpec = (
    String,
    String,
    String,
    u32,
    u64,
    u32,
    String,
    Vec<BindingSpec>,
    Vec<ExitSpec>,
);
/// `(file, module, source, binding_slots, functions)`; the file's hash is read from disk.
pub type ObjectSpec = (String, String, String, u32, Vec<FunctionSpec>);

fn binding(spec: BindingSpec) -> PyResult<BindingEntry> {
    let binding = match spec.1.as_str() {
        "type" => Binding::Type(spec.2),
        "builtin" => Binding::Builtin(spec.2),
        other => return Err(PyValueError::new_err(format!("binding kind {other:?}"))),
    };
    Ok(BindingEntry {
        slot: spec.0,
        binding,
    })
}

fn exit(spec: ExitSpec) -> PyResult<ExitSite> {
    let kind = match spec.1.as_str() {
        "deopt" => ExitKind::Deopt,
        "error" => ExitKind::Error,
        other => return Err(PyValueError::new_err(format!("exit kind {other:?}"))),
    };
    Ok(ExitSite {
        index: spec.0,
        kind,
        reason: spec.2,
    })
}

fn function(spec: FunctionSpec) -> PyResult<FunctionEntry> {
    let (
        filename,
        module,
        qualname,
        firstlineno,
        marshal_hash,
        code_units,
        symbol,
        bindings,
        exits,
    ) = spec;
    Ok(FunctionEntry {
        key: CodeKey {
            filename,
            module,
            qualname,
            firstlineno,
            marshal_hash,
        },
        symbol,
        bindings: bindings.into_iter().map(binding).collect::<PyResult<_>>()?,
        exits: exits.into_iter().map(exit).collect::<PyResult<_>>()?,
        code_units,
    })
}

/// Writes `dir/manifest.s6m` for `objects` (already in `dir`) with the given stamp.
#[pyfunction]
pub fn _test_write_manifest(
    dir: &str,
    abi: (String, u32, u16, String),
    native_abi: u32,
    objects: Vec<ObjectSpec>,
) -> PyResult<()> {
    let dir = Path::new(dir);
    let mut entries = Vec::new();
    for (file, module, source, binding_slots, functions) in objects {
        let bytes =
            std::fs::read(dir.join(&file)).map_err(|e| PyOSError::new_err(e.to_string()))?;
        entries.push(ObjectEntry {
            hash: fnv1a64(&bytes),
            file,
            module,
            source,
            binding_slots,
            functions: functions
                .into_iter()
                .map(function)
                .collect::<PyResult<_>>()?,
        });
    }
    let manifest = Manifest {
        abi: AbiStamp {
            python_version: abi.0,
            hexversion: abi.1,
            bytecode_magic: abi.2,
            build_id: abi.3,
        },
        native_abi,
        objects: entries,
    };
    write_manifest(&dir.join(s6_profiles::manifest::MANIFEST_FILE), &manifest)
        .map_err(|e| PyOSError::new_err(e.to_string()))
}
