/// A script's bytes where they are: a copy of an array's, or a file's mapped into memory. `check`
/// reads a long script where the file is mapped: reading it into fresh memory (each page faulted
/// in and cleared), and copying it again for the second core, was a tenth of its time. Reading
/// them takes no reference count, so the threads that read one script share no counter's cache
/// line (sharing one array's count cost more than the copy).
public struct SourceBytes: RandomAccessCollection, @unchecked Sendable {  // the bytes are never written
  public typealias Index = Int
  public typealias Indices = Range<Int>
  public typealias SubSequence = Slice<UnsafeBufferPointer<UInt8>>

  public let buffer: UnsafeBufferPointer<UInt8>
  /// Keeps a copy alive; nil for bytes their creator keeps.
  private let storage: Storage?

  /// A copy of `bytes`.
  public init(_ bytes: [UInt8]) {
    let storage = Storage(bytes)
    self.storage = storage
    buffer = UnsafeBufferPointer(storage.pointer)
  }

  /// Bytes the caller keeps where they are, unchanged, for as long as any copy of this is used
  /// (a file mapped for the rest of the process).
  public init(kept buffer: UnsafeBufferPointer<UInt8>) {
    self.buffer = buffer
    storage = nil
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { buffer.count }
  public var count: Int { buffer.count }
  @inline(__always) public subscript(position: Int) -> UInt8 { buffer[position] }
  @inline(__always) public subscript(bounds: Range<Int>) -> Slice<UnsafeBufferPointer<UInt8>> { buffer[bounds] }

  @inline(__always) public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try body(buffer)
  }

  private final class Storage {
    let pointer: UnsafeMutableBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
      pointer = .allocate(capacity: bytes.count)
      _ = pointer.initialize(from: bytes)
    }

    deinit { pointer.deallocate() }
  }
}
