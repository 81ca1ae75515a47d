#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Asks the kernel to back the 2 MB-aligned part of a big buffer with huge pages where it allows
/// (Linux's transparent huge pages in `madvise` mode): one page fault per 2 MB filled instead of
/// one per 4 KB, which showed in `check` on a long script (its bytes and tokens, tens of MB).
public func adviseHugePages(_ start: UnsafeMutableRawPointer?, bytes: Int) {
  #if os(Linux)
  let huge = 2 << 20
  guard let start, bytes >= 4 * huge else { return }
  let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
  let last = (Int(bitPattern: start) + bytes) & ~(huge - 1)
  guard last > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
  _ = madvise(aligned, last - first, MADV_HUGEPAGE)
  #endif
}
