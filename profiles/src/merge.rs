//! Merging profiles of several runs (or processes) of one program on one interpreter into one
//! profile, as if a single longer run had been sampled: counts add up, code objects and
//! observations are united by identity.

use std::collections::BTreeMap;

use crate::model::{AbiStamp, CodeKey, CodeProfile, Observation, Profile, SiteFeedback};

/// Why profiles cannot be merged. Each message names the inputs by their position (0-based,
/// in the order given) so the caller can map them back to files.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge: give at least one profile")]
    Empty,
    #[error(
        "profile #{index} was made by {found}, but profile #0 by {first}: merge only profiles of one interpreter (re-profile with one of them)"
    )]
    MixedAbi {
        index: usize,
        first: Box<AbiStamp>,
        found: Box<AbiStamp>,
    },
    #[error(
        "profile #{index} was sampled every {found} us, but profile #0 every {first} us: re-profile with the same --interval-us"
    )]
    MixedInterval {
        index: usize,
        first: u32,
        found: u32,
    },
    #[error(
        "profiles #0..#{index} disagree about code object {qualname} ({filename}:{firstlineno}): same key, different {what}; one of the files is damaged or was edited"
    )]
    Inconsistent {
        index: usize,
        qualname: String,
        filename: String,
        firstlineno: u32,
        what: &'static str,
    },
}

/// Merges `profiles` (all from the interpreter of the first) into one.
///
/// Samples, snapshots and observation counts add up; runs are concatenated in order; code
/// objects with the same key (same marshal hash) become one; sites with the same index within
/// one code object become one, their observations united by equal feedback. The result is
/// sorted as `model` requires (code by key, sites by index) with each site's observations
/// ordered most frequent first.
pub fn merge(profiles: &[(AbiStamp, Profile)]) -> Result<(AbiStamp, Profile), MergeError> {
    let Some((abi, first)) = profiles.first() else {
        return Err(MergeError::Empty);
    };
    let mut code: BTreeMap<CodeKey, CodeProfile> = BTreeMap::new();
    let mut merged = Profile {
        runs: Vec::new(),
        sample_interval_us: first.sample_interval_us,
        total_samples: 0,
        snapshots: 0,
        code: Vec::new(),
    };
    for (index, (other_abi, p)) in profiles.iter().enumerate() {
        if other_abi != abi {
            return Err(MergeError::MixedAbi {
                index,
                first: Box::new(abi.clone()),
                found: Box::new(other_abi.clone()),
            });
        }
        if p.sample_interval_us != first.sample_interval_us {
            return Err(MergeError::MixedInterval {
                index,
                first: first.sample_interval_us,
                found: p.sample_interval_us,
            });
        }
        merged.runs.extend(p.runs.iter().cloned());
        merged.total_samples = merged.total_samples.saturating_add(p.total_samples);
        merged.snapshots = merged.snapshots.saturating_add(p.snapshots);
        for c in &p.code {
            match code.get_mut(&c.key) {
                None => {
                    code.insert(c.key.clone(), c.clone());
                }
                Some(into) => merge_code(into, c).map_err(|what| MergeError::Inconsistent {
                    index,
                    qualname: c.key.qualname.clone(),
                    filename: c.key.filename.clone(),
                    firstlineno: c.key.firstlineno,
                    what,
                })?,
            }
        }
    }
    merged.code = code.into_values().map(normalize).collect();
    Ok((abi.clone(), merged))
}

/// Adds `from` into `into` (same key); names the field that disagrees if they cannot be one.
fn merge_code(into: &mut CodeProfile, from: &CodeProfile) -> Result<(), &'static str> {
    if into.marshal != from.marshal {
        return Err("marshal bytes");
    }
    if into.is_library != from.is_library {
        return Err("library flag");
    }
    into.self_samples = into.self_samples.saturating_add(from.self_samples);
    into.inclusive_samples = into
        .inclusive_samples
        .saturating_add(from.inclusive_samples);
    for site in &from.sites {
        match into.sites.iter_mut().find(|s| s.index == site.index) {
            None => into.sites.push(site.clone()),
            Some(s) if s.base_op != site.base_op => return Err("opcode at a feedback site"),
            Some(s) => merge_site(s, site),
        }
    }
    Ok(())
}

fn merge_site(into: &mut SiteFeedback, from: &SiteFeedback) {
    for obs in &from.observations {
        match into
            .observations
            .iter_mut()
            .find(|o| o.feedback == obs.feedback)
        {
            Some(o) => o.count = o.count.saturating_add(obs.count),
            None => into.observations.push(obs.clone()),
        }
    }
}

/// Sorts sites by index and observations by count (stable, so ties keep first-seen order), and
/// unites duplicate observations within one input too.
fn normalize(mut c: CodeProfile) -> CodeProfile {
    c.sites.sort_by_key(|s| s.index);
    for site in &mut c.sites {
        let mut united: Vec<Observation> = Vec::with_capacity(site.observations.len());
        for obs in site.observations.drain(..) {
            match united.iter_mut().find(|o| o.feedback == obs.feedback) {
                Some(o) => o.count = o.count.saturating_add(obs.count),
                None => united.push(obs),
            }
        }
        united.sort_by_key(|o| std::cmp::Reverse(o.count));
        site.observations = united;
    }
    c
}
