import PEP440
// libFuzzer harness for `PythonRequest(parsing:)`, compiled into the Catalogue sources by `make fuzz`
// (no `import Catalogue`: the harness is part of that module). Any input may be refused with a
// RequestError; none may trap. A request that parses must match keys without trapping and parse
// again from its own text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let request = try? PythonRequest(parsing: text) else { return 0 }
    let platform = Platform(os: "linux", arch: "x86_64", archVariant: nil, libc: "gnu")
    for version in ["3.13.5", "3.15.0rc1", "3.14.0a7"] {
        let key = PythonKey("cpython-\(version)-linux-x86_64-gnu")!
        _ = request.matches(key)
        _ = request.matches(PythonKey(implementation: "cpython", version: key.version, variant: "freethreaded", platform: platform))
    }
    _ = request.namesPrerelease
    guard (try? PythonRequest(parsing: request.text)) != nil else {
        fatalError("'\(request.text)' parsed once but not from its own text")
    }
    return 0
}
