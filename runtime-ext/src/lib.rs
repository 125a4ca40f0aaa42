//! The `s6._s6` extension module. Each part registers its own Python-visible functions:
//! `profiler` (sampling + cache harvesting for `s6c profile`), `evaluator` (PEP 523 hook,
//! cache activation through `s6-loader`, exits to the interpreter), `helpers` (the `s6_rt_*`
//! functions compiled code calls).

use pyo3::prelude::*;

mod evaluator;
mod helpers;
mod profiler;

#[pymodule]
fn _s6(m: &Bound<'_, PyModule>) -> PyResult<()> {
    profiler::register(m)?;
    evaluator::register(m)?;
    Ok(())
}
