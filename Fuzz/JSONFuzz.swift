// libFuzzer harness for Core's `JSONScanner` through both of its clients, compiled by `make fuzz` with
// Catalogue's JSONSyntax.swift and Patching's SysconfigJSON.swift (and SysconfigError.swift) into one
// module. Any bytes may be refused; none may trap. Both clients must agree: what the sysconfig patch
// parses is JSON to the catalogue's check, an object the check refuses is refused by the patch with the
// same message at the same line and column (unless a string it decodes fails first), and what the
// patch renders parses back to the same rendering.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    let syntaxError = JSONSyntax.firstError(in: input)
    guard let text = String(validating: input, as: UTF8.self) else { return 0 }
    do {
        let object = try SysconfigJSONObject.parse(text)
        if let syntaxError { fatalError("the sysconfig patch parsed what JSONSyntax refuses (\(syntaxError))") }
        let rendered = object.render()
        guard JSONSyntax.firstError(in: Array(rendered.utf8)) == nil,
              let again = try? SysconfigJSONObject.parse(rendered), again.render() == rendered else {
            fatalError("render() of parsed input does not round-trip:\n\(rendered)")
        }
    } catch let error as SysconfigError {
        let decodingFailure = error.message.hasSuffix("unpaired surrogate")
        let startsAnObject = input.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "{")
        guard let syntaxError else {
            if decodingFailure || !startsAnObject { return 0 }
            fatalError("JSONSyntax accepts an object the sysconfig patch refuses: \(error)")
        }
        let message = "\(error.message.dropFirst("JSON: ".count)) at line \(error.line ?? 0), column \(error.column ?? 0)"
        if startsAnObject, !decodingFailure, message != syntaxError {
            fatalError("the two clients disagree: '\(message)' and '\(syntaxError)'")
        }
    } catch {
        fatalError("SysconfigJSONObject.parse threw something other than a SysconfigError: \(error)")
    }
    return 0
}
