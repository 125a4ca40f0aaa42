//! The end of a run: one last snapshot, a last attempt at naming what could not be named
//! during the run, then the `Profile` (one entry per code key, sorted) for `format::write_profile`.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use s6_profiles::model::{CodeKey, CodeProfile, Observation, Profile, SiteFeedback};

use super::names;
use super::sampler;
use super::state::{Class, Profiler, bump};

impl Profiler {
    /// Registers the script's module code if no snapshot caught it running (a program shorter
    /// than the first snapshot): it was compiled from the file by the interpreter and is gone
    /// by exit, so compile the same source the same way again (same bytes, same key).
    fn recover_main(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(file) = self.cfg.main_file.clone() else {
            return Ok(());
        };
        let have = self
            .codes
            .values()
            .chain(&self.dead)
            .any(|c| c.included && c.module == "__main__" && c.qualname() == Some("<module>"));
        if have || self.classify(&file) == Class::Never || !std::path::Path::new(&file).is_file() {
            return Ok(());
        }
        let source = std::fs::read(&file)?;
        let builtins = py.import("builtins")?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("dont_inherit", true)?;
        let code = builtins.call_method(
            "compile",
            (pyo3::types::PyBytes::new(py, &source), &file, "exec"),
            Some(&kwargs),
        )?;
        self.register(py, &code, Some("__main__"));
        Ok(())
    }

    /// Retries pending observations after a full-heap search for functions (once, at exit).
    fn resolve_pending(&mut self, py: Python<'_>, snapshot: u32) -> PyResult<()> {
        let any_pending = self
            .codes
            .values()
            .any(|c| c.sites.values().any(|s| !s.pending.is_empty()));
        if !any_pending {
            return Ok(());
        }
        for o in py.import("gc")?.call_method0("get_objects")?.try_iter()? {
            let o = o?;
            if names::is_function(&o) {
                self.funcs.note(&o);
            }
        }
        let ptrs: Vec<usize> = self.codes.keys().copied().collect();
        for ptr in ptrs {
            let indices: Vec<u32> = self.codes[&ptr].sites.keys().copied().collect();
            for idx in indices {
                let pending = std::mem::take(&mut self.site_mut(ptr, idx).pending);
                for (raw, n) in pending {
                    let fb = self.translate(py, ptr, &raw, snapshot).or_else(|| {
                        let fb = self.fallback(&raw)?;
                        Some(self.intern(fb))
                    });
                    if let Some(fb) = fb {
                        bump(&mut self.site_mut(ptr, idx).seen, fb, n);
                    }
                }
            }
        }
        Ok(())
    }

    /// In the child of a `fork` that profiles itself: forget what the parent counted (its
    /// profile has it), keep which code objects are registered and their keys.
    pub fn reset_counts(&mut self) {
        for info in self.codes.values_mut() {
            info.self_samples = 0;
            info.inclusive_samples = 0;
            info.sites.clear();
            info.last_words.clear();
            info.last_obs.clear();
        }
        self.dead.clear();
        self.snapshots = 0;
        self.unattributed = 0;
        self.finished = false;
        self.snapshot_time = std::time::Duration::ZERO;
    }

    /// Final snapshot and the assembled profile.
    pub fn build(&mut self, py: Python<'_>, argv: Vec<String>) -> PyResult<Profile> {
        super::snapshot(self, py);
        let _ = self.recover_main(py);
        let last = self.snapshots + 1;
        self.retry_missing();
        self.resolve_pending(py, last)?;
        for ptr in self.included_codes() {
            if self.key_of(py, ptr).is_err() {
                self.unattributed += self.codes[&ptr].self_samples;
            }
        }
        Ok(self.assemble(argv))
    }

    /// The profile as it stands (a periodic flush: nothing is finalized, observations not named
    /// yet are left out and kept for later).
    pub fn assemble(&self, argv: Vec<String>) -> Profile {
        let mut merged: BTreeMap<CodeKey, CodeProfile> = BTreeMap::new();
        let infos = self.codes.values().filter(|c| c.included).chain(&self.dead);
        for info in infos {
            let Some((key, marshal)) = &info.key else {
                continue;
            };
            let entry = merged.entry(key.clone()).or_insert_with(|| CodeProfile {
                key: key.clone(),
                marshal: marshal.clone(),
                is_library: info.is_library,
                self_samples: 0,
                inclusive_samples: 0,
                sites: Vec::new(),
            });
            entry.self_samples += info.self_samples;
            entry.inclusive_samples += info.inclusive_samples;
            for (&index, site) in &info.sites {
                if site.seen.is_empty() {
                    continue;
                }
                let pos = match entry.sites.iter().position(|s| s.index == index) {
                    Some(p) => p,
                    None => {
                        entry.sites.push(SiteFeedback {
                            index,
                            base_op: s6_py311::opcodes::name(site.base_op).to_owned(),
                            observations: Vec::new(),
                        });
                        entry.sites.len() - 1
                    }
                };
                let obs = &mut entry.sites[pos].observations;
                for &(id, n) in &site.seen {
                    let fb = &self.feedbacks[id as usize];
                    match obs.iter_mut().find(|o| o.feedback == *fb) {
                        Some(o) => o.count += n,
                        None => obs.push(Observation {
                            count: n,
                            feedback: fb.clone(),
                        }),
                    }
                }
            }
        }
        let mut code: Vec<CodeProfile> = merged.into_values().collect();
        for c in &mut code {
            c.sites.sort_by_key(|s| s.index);
            for s in &mut c.sites {
                s.observations.sort_by_key(|o| std::cmp::Reverse(o.count));
            }
        }
        Profile {
            runs: vec![argv],
            sample_interval_us: self.cfg.interval_us,
            total_samples: sampler::total_samples(),
            snapshots: self.snapshots,
            code,
        }
    }
}
