#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Asks the kernel to back the 2 MB-aligned part of a big buffer with huge pages where it allows
/// (Linux's transparent huge pages in `madvise` mode): one page fault per 2 MB filled instead of
/// one per 4 KB, which showed in `check` on a long script (its bytes and tokens, tens of MB). On a
/// virtual machine fresh memory can cost far more: 4 MB took 2 ms in 4 KB pages and 0.1–0.3 ms
/// in huge pages on this project's machine.
public func adviseHugePages(_ start: UnsafeMutableRawPointer?, bytes: Int) {
  #if os(Linux)
  let huge = 2 << 20
  guard let start, bytes >= huge else { return }
  let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
  let last = (Int(bitPattern: start) + bytes) & ~(huge - 1)
  guard last > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
  _ = madvise(aligned, last - first, MADV_HUGEPAGE)
  #endif
}
