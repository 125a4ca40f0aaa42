//! The executable region of one object: one anonymous mapping placed within rel32 reach of an
//! anchor (libpython's text), so that calls, `.eh_frame` and the GOT are all ±2 GiB apart.
//! It starts read-write and not executable; [`Region::protect`] later makes parts RX or R, so
//! no page is ever writable and executable at once. It is populated when mapped
//! (`MAP_POPULATE`) when the loader writes every page of it (one call costs less than a page
//! fault per page); a prelinked object's code is instead mapped over the start of the region
//! from its file ([`Region::map_file`]), read and execute only, and the region is not
//! populated.

use std::io;

/// An owned anonymous mapping; unmapped on drop.
pub(crate) struct Region {
    base: *mut u8,
    len: usize,
}

// SAFETY: the region is plain memory owned by this value; all writes happen through `&mut self`
// before it is shared, and afterwards only through pointers the caller was handed explicitly.
unsafe impl Send for Region {}
// SAFETY: as above; `&Region` only exposes the address and read-only views.
unsafe impl Sync for Region {}

/// Distance between successive placement attempts.
const STEP: usize = 32 << 20;
/// Attempts on each side of the anchor (48 × 32 MiB = 1.5 GiB, still inside rel32 reach).
const ATTEMPTS: usize = 48;

pub(crate) fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

/// True when `[base, base+len)` holds an address whose low 32 bits are all zero. libgcc's
/// unwinder ignores an FDE whose 4-byte encoded start reads as 0 (it takes it for a discarded
/// link-once function): a function starting there would have no unwind information for
/// backtraces, profilers and unwinding (1 region in 128 was placed on such an address).
pub(crate) fn holds_4g_multiple(base: usize, len: usize) -> bool {
    const FOUR_G: u128 = 1 << 32;
    let first = (base as u128).div_ceil(FOUR_G) * FOUR_G;
    first < base as u128 + len as u128
}

/// True when every address in `targets` is within ±2 GiB of every byte of `[base, base+len)`.
pub(crate) fn reaches_all(base: usize, len: usize, targets: &[usize]) -> bool {
    let lo = base as i128;
    let hi = (base + len) as i128;
    targets.iter().all(|&t| {
        let t = t as i128;
        (t - lo).abs() < i32::MAX as i128 && (t - hi).abs() < i32::MAX as i128
    })
}

impl Region {
    /// Maps `len` bytes (a multiple of the page size) read-write, preferring a place from which
    /// `anchor` and every address of `must_reach` are within rel32 reach. Falls back to
    /// anywhere; relocation range checks then report whatever does not reach.
    pub(crate) fn map_near(
        len: usize,
        anchor: Option<usize>,
        must_reach: &[usize],
        populate: bool,
    ) -> io::Result<Region> {
        let populate = if populate { libc::MAP_POPULATE } else { 0 };
        if let Some(anchor) = anchor {
            let mut targets = must_reach.to_vec();
            targets.push(anchor);
            for k in 1..=ATTEMPTS {
                let below = anchor.checked_sub(k * STEP + len);
                let above = anchor.checked_add(k * STEP);
                for hint in [below, above].into_iter().flatten() {
                    let hint = hint & !(STEP - 1);
                    if hint == 0
                        || !reaches_all(hint, len, &targets)
                        || holds_4g_multiple(hint, len)
                    {
                        continue;
                    }
                    if let Some(r) = Self::map_at(hint, len, populate) {
                        return Ok(r);
                    }
                }
            }
        }
        // Anywhere, but not over a multiple of 4 GiB: a mapping that was is kept until another
        // is found, so that the kernel does not hand out the same place again.
        let mut rejected = Vec::new();
        let found = loop {
            // SAFETY: anonymous private mapping with no address requirement.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | populate,
                    -1,
                    0,
                )
            };
            if p == libc::MAP_FAILED {
                break Err(io::Error::last_os_error());
            }
            let region = Region {
                base: p.cast(),
                len,
            };
            if !holds_4g_multiple(p as usize, len) || rejected.len() >= 8 {
                break Ok(region);
            }
            rejected.push(region);
        };
        drop(rejected);
        found
    }

    /// Maps exactly at `hint` or not at all (MAP_FIXED_NOREPLACE never replaces a mapping;
    /// kernels older than 4.17 treat it as a hint, hence the address check).
    fn map_at(hint: usize, len: usize, populate: libc::c_int) -> Option<Region> {
        // SAFETY: MAP_FIXED_NOREPLACE fails instead of clobbering an existing mapping.
        let p = unsafe {
            libc::mmap(
                hint as *mut libc::c_void,
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE | populate,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return None;
        }
        let region = Region {
            base: p.cast(),
            len,
        };
        (p as usize == hint).then_some(region)
    }

    pub(crate) fn base(&self) -> usize {
        self.base as usize
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The whole region as bytes, for filling it before it is protected.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the mapping is `len` bytes, readable and writable until `protect` is called,
        // which the loader does only after its last write through this slice.
        unsafe { std::slice::from_raw_parts_mut(self.base, self.len) }
    }

    /// Reads `len` bytes at `offset` (all mapped pages stay readable).
    pub(crate) fn bytes(&self, offset: usize, len: usize) -> &[u8] {
        assert!(offset.checked_add(len).is_some_and(|end| end <= self.len));
        // SAFETY: in bounds (checked above) and every page of the region keeps PROT_READ.
        unsafe { std::slice::from_raw_parts(self.base.add(offset), len) }
    }

    /// Sets the protection of `[offset, offset+len)` (page-aligned offsets).
    /// Replaces `[offset, offset + len)` of the region (page-aligned) with a private mapping of
    /// `file` from `file_offset` (page-aligned) with protection `prot`. Returns false, with the
    /// range anonymous and writable again, when the file cannot be mapped.
    pub(crate) fn map_file(
        &mut self,
        offset: usize,
        len: usize,
        file: &std::fs::File,
        file_offset: u64,
        prot: libc::c_int,
    ) -> io::Result<bool> {
        use std::os::fd::AsRawFd;
        if len == 0 {
            return Ok(true);
        }
        assert!(offset.checked_add(len).is_some_and(|end| end <= self.len));
        let file_offset = libc::off_t::try_from(file_offset)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: the range lies inside this region's own mapping (asserted above), which
        // MAP_FIXED replaces in place; nothing else refers to those pages yet.
        let p = unsafe {
            libc::mmap(
                self.base.add(offset).cast(),
                len,
                prot,
                libc::MAP_PRIVATE | libc::MAP_FIXED,
                file.as_raw_fd(),
                file_offset,
            )
        };
        if p != libc::MAP_FAILED {
            return Ok(true);
        }
        // A failed MAP_FIXED may have unmapped the range: map it anonymous again.
        // SAFETY: as above, the range is this region's own.
        let p = unsafe {
            libc::mmap(
                self.base.add(offset).cast(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(false)
    }

    pub(crate) fn protect(
        &mut self,
        offset: usize,
        len: usize,
        prot: libc::c_int,
    ) -> io::Result<()> {
        if len == 0 {
            return Ok(());
        }
        assert!(offset.checked_add(len).is_some_and(|end| end <= self.len));
        // SAFETY: the range lies inside our own mapping.
        let r = unsafe { libc::mprotect(self.base.add(offset).cast(), len, prot) };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

/// An object file opened and mapped read-only (private, populated from the page cache): its
/// bytes without a copy. Cache files are replaced by rename, never rewritten in place, so the
/// mapped contents stay those of the file that was opened.
pub struct ObjectFile {
    file: std::fs::File,
    base: *const u8,
    len: usize,
    /// The contents read into memory, when the file system could not map the file.
    read: Option<Vec<u8>>,
}

// SAFETY: a read-only private mapping owned by this value.
unsafe impl Send for ObjectFile {}
// SAFETY: as above; only shared reads.
unsafe impl Sync for ObjectFile {}

impl ObjectFile {
    /// Opens and maps `path`, populated (for files read whole at once).
    pub fn open(path: &std::path::Path) -> io::Result<ObjectFile> {
        Self::open_with(path, true)
    }

    /// Opens and maps `path`; `populate` maps every page at once rather than as they are read.
    pub fn open_with(path: &std::path::Path, populate: bool) -> io::Result<ObjectFile> {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(path)?;
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        if len == 0 {
            return Ok(ObjectFile {
                file,
                base: std::ptr::null(),
                len,
                read: None,
            });
        }
        // SAFETY: a fresh read-only private mapping of an open file; the kernel picks the place.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | if populate { libc::MAP_POPULATE } else { 0 },
                file.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            // A file system without mmap: read it.
            use std::io::Read;
            let mut file = file;
            let mut bytes = Vec::with_capacity(len);
            file.read_to_end(&mut bytes)?;
            return Ok(ObjectFile {
                file,
                base: std::ptr::null(),
                len: 0,
                read: Some(bytes),
            });
        }
        Ok(ObjectFile {
            file,
            base: p.cast(),
            len,
            read: None,
        })
    }

    /// The open file (for its metadata, and for mapping a prelinked object's code).
    pub fn file(&self) -> &std::fs::File {
        &self.file
    }

    /// The file's contents.
    pub fn bytes(&self) -> &[u8] {
        if let Some(read) = &self.read {
            return read;
        }
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `base` maps `len` readable bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }
}

impl std::ops::Deref for ObjectFile {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.bytes()
    }
}

impl Drop for ObjectFile {
    fn drop(&mut self) {
        if self.len != 0 {
            // SAFETY: unmaps exactly the mapping `open` made.
            unsafe { libc::munmap(self.base as *mut libc::c_void, self.len) };
        }
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: we own the mapping; users of its addresses (unwinder, gdb) were unregistered
        // by `LoadedObject::drop` before this runs.
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_within_reach_of_anchor() {
        let anchor = maps_within_reach_of_anchor as fn() as usize;
        let r = Region::map_near(page_size(), Some(anchor), &[], true).unwrap();
        assert!(reaches_all(r.base(), r.len(), &[anchor]));
    }

    #[test]
    fn never_over_a_4g_multiple() {
        assert!(holds_4g_multiple(0x5621_0000_0000, 0x1000));
        assert!(holds_4g_multiple(0x5620_ffff_f000, 0x2000));
        assert!(!holds_4g_multiple(0x5620_ffff_f000, 0x1000));
        assert!(!holds_4g_multiple(0x5621_0000_1000, 0x1000));
        // The first place tried below each of these is a multiple of 4 GiB.
        for anchor in [0x5621_0200_1000usize, 0x3000_0200_1000] {
            let r = Region::map_near(page_size(), Some(anchor), &[], false).unwrap();
            assert!(!holds_4g_multiple(r.base(), r.len()), "{:#x}", r.base());
        }
    }

    #[test]
    fn reach_check() {
        assert!(reaches_all(
            0x1000_0000,
            0x1000,
            &[0x1000_0000 + 0x7000_0000]
        ));
        assert!(!reaches_all(
            0x1000_0000,
            0x1000,
            &[0x1000_0000 + 0x8000_0000]
        ));
        assert!(!reaches_all(0x9000_0000, 0x1000, &[0x1000]));
    }
}
