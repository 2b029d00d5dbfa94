//! The WebAssembly build's allocator: power-of-two size classes, a free list per class, blocks carved
//! from pages that `memory.grow` adds. Freed blocks are reused for the same class and never merged,
//! which suits the short-lived background worker and popup; the standard dlmalloc is about 7 KB of the
//! core, this a few hundred bytes. The module is single-threaded (no shared memory), so no locking.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::{self, null_mut};

const PAGE: usize = 65_536;
const CLASSES: usize = usize::BITS as usize;

struct State {
    /// Head of each class's free list; a free block's first word points to the next.
    free: [*mut u8; CLASSES],
    /// Unused memory from the last growth: `next..end`.
    next: usize,
    end: usize,
}

struct Classes(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl Sync for Classes {}

#[global_allocator]
static ALLOC: Classes = Classes(UnsafeCell::new(State { free: [null_mut(); CLASSES], next: 0, end: 0 }));

/// The class of a layout: `k` with `2^k >= max(size, align, 8)`.
fn class(l: Layout) -> usize {
    let n = l.size().max(l.align()).max(8);
    (usize::BITS - (n - 1).leading_zeros()) as usize
}

unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let k = class(l);
        if k >= CLASSES - 1 || l.align() > PAGE {
            return null_mut();
        }
        // SAFETY: single-threaded, and no allocator call re-enters another.
        let s = unsafe { &mut *self.0.get() };
        let head = s.free[k];
        if !head.is_null() {
            // SAFETY: `head` is a free block of this class, holding the next pointer.
            s.free[k] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        let size = 1usize << k;
        // Blocks are aligned to their size (at most a page): enough for any layout of their class.
        let align = size.min(PAGE);
        let mut start = (s.next + align - 1) & !(align - 1);
        if start > s.end || s.end - start < size {
            let pages = size.div_ceil(PAGE) + 1;
            let base = wasm32::memory_grow(0, pages);
            if base == usize::MAX {
                return null_mut();
            }
            let base = base * PAGE;
            if base != s.end {
                s.next = base;
            }
            s.end = base + pages * PAGE;
            start = (s.next + align - 1) & !(align - 1);
        }
        s.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        let k = class(l);
        // SAFETY: as in `alloc`; `p` came from `alloc` with this layout, so it is a block of class `k`.
        let s = unsafe { &mut *self.0.get() };
        unsafe { *(p as *mut *mut u8) = s.free[k] };
        s.free[k] = p;
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid layout for `new_size` with the same alignment.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, l.align()) };
        if class(new) == class(l) {
            return p;
        }
        let q = unsafe { self.alloc(new) };
        if !q.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
                self.dealloc(p, l);
            }
        }
        q
    }
}
