//! The Cranelift target every object is compiled for: x86-64 System V, baseline ISA (no CPU
//! feature beyond x86-64's SSE2, so a cache runs on any x86-64 machine), position-independent,
//! frame pointers kept (perf/gdb walk them), System V unwind info on.

use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// The target triple of every object.
pub const TRIPLE: &str = "x86_64-unknown-linux-gnu";

/// Builds the ISA. `verify` turns on Cranelift's IR verifier (tests and debug builds).
pub fn target_isa(verify: bool) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| {
        f.set(k, v).map_err(|e| format!("{k}={v}: {e}"))
    };
    set(&mut flags, "opt_level", "speed")?;
    set(&mut flags, "is_pic", "true")?;
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(&mut flags, "unwind_info", "true")?;
    set(
        &mut flags,
        "enable_verifier",
        if verify { "true" } else { "false" },
    )?;
    let builder = isa::lookup_by_name(TRIPLE).map_err(|e| e.to_string())?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())
}

/// Printable description stored in each object's `.s6.meta` (the loader may refuse objects
/// whose ISA flags the CPU lacks).
pub fn describe(isa: &dyn isa::TargetIsa) -> String {
    let mut s = format!("target={} ", isa.triple());
    for v in isa.isa_flags() {
        if let Some(true) = v.as_bool() {
            s.push_str(&format!("+{} ", v.name));
        }
    }
    s.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn isa_builds_with_requested_flags() {
        let isa = super::target_isa(true).unwrap();
        assert_eq!(isa.triple().to_string(), super::TRIPLE);
        assert!(isa.flags().is_pic());
        assert!(isa.flags().preserve_frame_pointers());
        assert!(super::describe(&*isa).starts_with("target=x86_64"));
    }
}
