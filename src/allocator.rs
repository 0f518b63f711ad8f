//! The global allocator of the binary and of the floor it is measured against
//! (`examples/triage_floor.rs`): mimalloc, asked through its plain entry points.
//!
//! `mimalloc::MiMalloc` hands every request to mimalloc's aligned entry points
//! (`mi_malloc_aligned`, `mi_realloc_aligned`), which check the alignment and the size and
//! then take the same path as `mi_malloc`. Nearly every request of a triage run (header
//! values, decoded parts, record strings: hundreds per input) asks for an alignment that
//! `mi_malloc` already gives, so those go to the plain entry points, as the standard
//! library's own `System` allocator does with `malloc`; the others keep the aligned ones.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block `mi_malloc` returns has, when the block is at least this
/// large (mimalloc's `MI_MAX_ALIGN_SIZE`, 16 bytes on the 64-bit targets we build for);
/// a smaller block is aligned to the largest power of two not above its size, which is
/// what a layout of that size can ask for.
const PLAIN_ALIGN: usize = 16;

/// Whether `mi_malloc(size)` is aligned enough for `align`: the test the standard
/// library's `System` allocator makes before calling `malloc` (`align <= MIN_ALIGN &&
/// align <= size`).
fn plain_fits(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

/// mimalloc, as [`mimalloc::MiMalloc`] but through the plain entry points where they
/// give the alignment asked for.
pub struct Allocator;

// SAFETY: every method forwards to mimalloc, which returns blocks of at least the size
// asked for (or null) aligned as `plain_fits` or the aligned entry point promises, and
// frees or resizes only blocks it returned (`mi_free` and `mi_realloc` take blocks from
// either kind of entry point).
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain FFI calls; a null return is the allocation failure GlobalAlloc
        // reports.
        unsafe {
            if plain_fits(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain_fits(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract), so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (GlobalAlloc's contract);
        // the block returned keeps `layout`'s alignment at `new_size`.
        unsafe {
            if plain_fits(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every size and alignment a program asks for come back aligned, keep their
    /// bytes when resized across the plain/aligned boundary, and come back zeroed when
    /// asked.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 2, 3, 7, 8, 15, 16, 17, 31, 48, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).expect("valid layout");
                // SAFETY: non-zero sizes; each block is resized and freed with the layout
                // it has at that moment.
                unsafe {
                    let mut p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    for i in 0..size {
                        p.add(i).write(i as u8);
                    }
                    let mut now = layout;
                    for new_size in [1, 5, 16, 40, 3000, size] {
                        let keep = now.size().min(new_size);
                        p = a.realloc(p, now, new_size);
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "{size} -> {new_size}, align {align}");
                        assert!((0..keep).all(|i| p.add(i).read() == i as u8));
                        for i in keep..new_size {
                            p.add(i).write(i as u8);
                        }
                        now = Layout::from_size_align(new_size, align).expect("valid layout");
                    }
                    a.dealloc(p, now);
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| z.add(i).read() == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
