import FuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  FuzzCheck.trap(target: "Script", Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
