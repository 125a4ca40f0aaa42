//! Reading the profiles a build or an inspection starts from: each file fully checked, each
//! made by a CPython 3.11 (the only bytecode the compiler reads), all made by one interpreter,
//! then merged into one.

use std::path::PathBuf;

use s6_profiles::format::{check_abi, read_profile};
use s6_profiles::model::{AbiStamp, Profile};
use s6_py311::opcodes::BYTECODE_MAGIC;

use super::BuildError;

/// `sys.hexversion >> 16` of CPython 3.11.
const PY311: u32 = 0x030b;

/// Reads and merges the profiles; refuses a profile of another Python version or of another
/// interpreter than the first profile's, naming the file.
pub fn read_profiles(paths: &[PathBuf]) -> Result<(AbiStamp, Profile), BuildError> {
    let mut read: Vec<(AbiStamp, Profile)> = Vec::with_capacity(paths.len());
    for path in paths {
        if path.is_dir() {
            return Err(BuildError::ProfileIsDirectory(path.clone()));
        }
        let (abi, profile) = read_profile(path)?;
        if abi.bytecode_magic != BYTECODE_MAGIC || abi.hexversion >> 16 != PY311 {
            return Err(BuildError::UnsupportedPython {
                path: path.clone(),
                found: Box::new(abi),
                magic: BYTECODE_MAGIC,
            });
        }
        if let Some((first, _)) = read.first()
            && check_abi(&abi, first).is_err()
        {
            return Err(BuildError::MixedAbi {
                path: path.clone(),
                first: paths[0].clone(),
                found: Box::new(abi),
                expected: Box::new(first.clone()),
            });
        }
        read.push((abi, profile));
    }
    if read.len() == 1 {
        return Ok(read.pop().expect("one profile"));
    }
    s6_profiles::merge::merge(&read).map_err(|err| BuildError::Merge {
        err,
        files: paths
            .iter()
            .enumerate()
            .map(|(i, p)| format!("#{i} = {}", p.display()))
            .collect::<Vec<_>>()
            .join(", "),
    })
}
