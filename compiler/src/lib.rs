//! strongjit and the s6 offline compiler.
pub mod driver;
pub mod emit;
pub mod lower;
pub mod translate;

#[cfg(test)]
mod abi_tests {
    /// The IR allocates site caches of the size the runtime's helpers read and write.
    #[test]
    fn site_cache_size_matches_the_abi() {
        assert_eq!(
            s6_strongjit::SITE_CACHE_WORDS,
            s6_profiles::abi::SITE_CACHE_WORDS
        );
    }
}
