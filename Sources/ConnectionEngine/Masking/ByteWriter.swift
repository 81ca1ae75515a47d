#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An append-only byte buffer for the masker's output. `[UInt8].append(contentsOf:)` with
/// slices costs a retain, a release and a uniqueness check per call, which at one call per
/// token was a third of the masker's time.
struct ByteWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0

  /// Whether `base` came from `mmap` (a big buffer) rather than the allocator.
  private var isMapped = false

  init(capacity: Int) {
    self.capacity = max(64, capacity)
    // A big buffer (`switchboard mask` on a large input) in huge pages where the kernel allows:
    // one page fault per 2 MB written instead of one per 4 KB.
    if self.capacity >= 8 << 20,
      let mapped = mmap(nil, self.capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED
    {
      _ = madvise(mapped, self.capacity, MADV_HUGEPAGE)
      base = mapped.assumingMemoryBound(to: UInt8.self)
      isMapped = true
    } else {
      base = .allocate(capacity: self.capacity)
    }
  }

  deinit { Self.release(base, capacity: capacity, mapped: isMapped) }

  private static func release(_ pointer: UnsafeMutablePointer<UInt8>, capacity: Int, mapped: Bool) {
    if mapped { munmap(pointer, capacity) } else { pointer.deallocate() }
  }

  @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    reserve(bytes.count)
    if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
    count += bytes.count
  }

  /// The first `byteCount` (up to eight) bytes of `word` as it lies in memory, in one store.
  @inline(__always) mutating func append(word: UInt64, count byteCount: Int) {
    reserve(8)
    UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
    count += byteCount
  }

  @inline(__always) mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always) private mutating func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    let newCapacity = max(capacity * 2, count + extra)
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    grown.moveInitialize(from: base, count: count)
    Self.release(base, capacity: capacity, mapped: isMapped)
    base = grown
    capacity = newCapacity
    isMapped = false
  }

  /// Empties the buffer, keeping its memory (already faulted in) for what comes next.
  mutating func removeAll() { count = 0 }

  func string() -> String {
    String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
  }

  func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    body(UnsafeBufferPointer(start: base, count: count))
  }
}
