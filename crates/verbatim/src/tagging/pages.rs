//! A hint to the operating system about how to back the weight tables in memory.

/// Ask Linux to back `table` with 2 MB pages (transparent huge pages), before it is first
/// written. The tables are megabytes read at random, so with 4 KB pages most lookups also miss
/// the TLB; with huge pages the whole-corpus run is about 8% faster (BENCHMARKS.md). Only a
/// hint: the results are the same, a refusal is ignored, and it does nothing elsewhere or for
/// tables under 2 MB.
pub(crate) fn advise_huge_pages<T>(table: &mut [T]) {
    #[cfg(target_os = "linux")]
    {
        extern "C" {
            fn madvise(addr: *mut core::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        const MADV_HUGEPAGE: i32 = 14;
        const PAGE: usize = 4096;
        let bytes = std::mem::size_of_val(table);
        if bytes < 2 << 20 {
            return;
        }
        let first = table.as_mut_ptr() as usize;
        let start = first.next_multiple_of(PAGE);
        let end = (first + bytes) & !(PAGE - 1);
        // SAFETY: [start, end) is page-aligned and lies inside `table`, which this function
        // borrows mutably; MADV_HUGEPAGE changes how those pages are backed, never their
        // contents, and its result (a refusal on kernels without huge pages) is not needed.
        unsafe {
            madvise(start as *mut core::ffi::c_void, end - start, MADV_HUGEPAGE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = table;
}

#[cfg(test)]
mod tests {
    #[test]
    fn advising_keeps_the_contents() {
        let mut table: Vec<i16> = (0..3 << 20).map(|i| (i % 7) as i16).collect();
        super::advise_huge_pages(&mut table);
        assert!(table.iter().enumerate().all(|(i, &w)| w == (i % 7) as i16));
        super::advise_huge_pages(&mut table[..10]);
    }
}
