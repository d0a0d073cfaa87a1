import Core
import Foundation

// libFuzzer harness for `UVMetadataParser.parse`, compiled into the Catalogue sources by `make fuzz`.
// Any bytes may be refused with a PymanError (whose message locates JSON syntax errors by
// line and column, arithmetic worth fuzzing); none may trap.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCatalogue(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let data = Data(bytes: bytes, count: count)
    do {
        let catalogue = try UVMetadataParser.parse(data, source: "fuzz.json")
        _ = catalogue.entries(for: Platform(os: "linux", arch: "x86_64", archVariant: nil, libc: "gnu"))
    } catch is PymanError {
    } catch {
        fatalError("UVMetadataParser.parse threw something other than a PymanError: \(error)")
    }
    return 0
}
