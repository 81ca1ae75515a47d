import Dispatch

/// Runs `first` and `second` at once, on two threads, and returns both results: the halves of
/// a long script use both cores. Each closure writes only its own result.
func bothAtOnce<First, Second>(_ first: () -> First, _ second: () -> Second) -> (First, Second) {
  let results = Results<First, Second>()
  withoutActuallyEscaping(first) { first in
    withoutActuallyEscaping(second) { second in
      let work = Work(first: first, second: second)
      DispatchQueue.concurrentPerform(iterations: 2) { index in
        if index == 0 { results.first = work.first() } else { results.second = work.second() }
      }
    }
  }
  return (results.first!, results.second!)
}

private final class Results<First, Second>: @unchecked Sendable {  // each field set by one thread
  var first: First?
  var second: Second?
}

private struct Work<First, Second>: @unchecked Sendable {  // the closures outlive neither call
  let first: () -> First
  let second: () -> Second
}
