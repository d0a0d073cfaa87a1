// libFuzzer harness for `SysconfigData.parse`, compiled into the Patching sources by `make fuzz`.
// Any text may be refused with a SysconfigError; none may trap. What parses must render to text
// that parses back to the same data and renders to the same bytes: patching relies on that.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSysconfig(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let data = try? SysconfigData.parse(text) else { return 0 }
    let rendered = data.render()
    guard let again = try? SysconfigData.parse(rendered), again == data, again.render() == rendered else {
        fatalError("render() of parsed input does not round-trip:\n\(rendered)")
    }
    return 0
}
