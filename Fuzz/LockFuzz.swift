import TOML
import Catalogue
import Core

// libFuzzer harness for `LockFile(parsing:path:)`, compiled into Project's lock file sources by `make fuzz`
// (no `import Project`: the harness is part of that module). Any bytes may be refused with a
// PymanError; none may trap. A lock that parses must be written (`text`) as a lock that parses back
// equal: the reader accepts what the writer writes, and the writer's escaping loses nothing.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLock(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let lock = try? LockFile(parsing: text, path: "fuzz.lock") else { return 0 }
    do {
        let again = try LockFile(parsing: lock.text, path: "written.lock")
        guard again == lock else { fatalError("the written lock reads back different:\n\(lock.text)") }
    } catch {
        fatalError("the written lock does not read back: \(error)\n\(lock.text)")
    }
    return 0
}
