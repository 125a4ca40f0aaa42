//! The `s6._s6` extension module. Each part registers its own Python-visible functions:
//! `profiler` (sampling + cache harvesting for `s6c profile`), `evaluator` (PEP 523 hook,
//! cache activation through `s6-loader`, exits to the interpreter), `helpers` (the `s6_rt_*`
//! functions compiled code calls).

use pyo3::prelude::*;

mod evaluator;
mod helpers;
mod on_term;
mod profiler;

#[pymodule]
fn _s6(m: &Bound<'_, PyModule>) -> PyResult<()> {
    profiler::register(m)?;
    evaluator::register(m)?;
    on_term::register(m)?;
    // The native ABI this runtime implements (caches built for another one are refused).
    m.add("NATIVE_ABI_VERSION", s6_profiles::abi::NATIVE_ABI_VERSION)?;
    Ok(())
}
