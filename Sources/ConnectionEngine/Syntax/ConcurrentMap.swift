import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// `body` for each of `0..<count`, on as many threads as there are cores: each thread takes the
/// next index when it is done with one (the cores stay evenly busy to the end), and keeps its
/// own `Scratch` from one index to the next (memory to reuse). The results, in index order.
func concurrentMap<T, Scratch>(count: Int, scratch: () -> Scratch, _ body: (Int, inout Scratch) -> T) -> [T] {
  let slots = Slots<T>(count: count)
  let next = Atomic<Int>(0)
  let threads = max(1, min(count, onlineCores))
  withoutActuallyEscaping(scratch) { scratch in
    withoutActuallyEscaping(body) { body in
      let work = Work(scratch: scratch, body: body)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        var own = work.scratch()
        while case let index = next.add(1, ordering: .relaxed).oldValue, index < count {
          slots.pointer[index] = work.body(index, &own)
        }
      }
    }
  }
  return slots.take()
}

/// Asked once: glibc reads a file under /sys for it on every call (the filter maps its parts
/// on each key).
let onlineCores = sysconf(Int32(_SC_NPROCESSORS_ONLN))

private final class Slots<T>: @unchecked Sendable {  // each slot is written by one thread
  let pointer: UnsafeMutablePointer<T?>
  let count: Int

  init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: count)
    pointer.initialize(repeating: nil, count: count)
  }

  func take() -> [T] { (0..<count).map { pointer[$0].take()! } }

  deinit {
    pointer.deinitialize(count: count)
    pointer.deallocate()
  }
}

private struct Work<T, Scratch>: @unchecked Sendable {  // the closures outlive no call
  let scratch: () -> Scratch
  let body: (Int, inout Scratch) -> T
}
