import TOML
import PEP440
import Catalogue
// libFuzzer harness for `PyprojectFile(parsing:path:)` and requires-python's specifiers, compiled into
// Project's pyproject.toml sources by `make fuzz` (no `import Project`: the harness is part of that module). Any
// bytes may be refused with a PymanError; none may trap. When a file parses, its requires-python reads
// as a request or is refused with a PymanError, the request matches keys without trapping, and the string
// written back as TOML reads back equal. The bytes are also tried as a requires-python of their own, so
// the specifier parser sees inputs that are not TOML.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPyproject(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let buffer = UnsafeBufferPointer(start: bytes, count: count)
    let text = String(decoding: buffer, as: UTF8.self)
    // TOML is UTF-8: where the check accepts the bytes, they read as the standard library decodes them;
    // where it refuses them, it names a line and never traps.
    if let valid = try? TOMLLines.text(Array(buffer), path: "fuzz/pyproject.toml"), valid != text {
        fatalError("TOMLLines.text accepted bytes that decode otherwise")
    }
    exerciseRequest(of: PyprojectFile(requiresPython: text))
    guard let pyproject = try? PyprojectFile(parsing: text, path: "fuzz/pyproject.toml") else { return 0 }
    exerciseRequest(of: pyproject)
    if let requiresPython = pyproject.requiresPython {
        let written = "[project]\nrequires-python = \(TOMLString.quoted(requiresPython))\n"
        do {
            let again = try PyprojectFile(parsing: written, path: "written/pyproject.toml")
            guard again == pyproject else { fatalError("requires-python reads back different:\n\(written)") }
        } catch {
            fatalError("requires-python written back does not read: \(error)\n\(written)")
        }
    }
    return 0
}

/// The request or its refusal (typed: only a PymanError can come out), then matching.
private func exerciseRequest(of pyproject: PyprojectFile) {
    guard let request = try? pyproject.request(path: "fuzz/pyproject.toml") else { return }
    let keys = ["3.11.0", "3.12.0rc1", "3.13.5", "3.14.0a7"].map { PythonKey("cpython-\($0)-linux-x86_64-gnu")! }
    for key in keys { _ = request.matches(key) }
    _ = request.best(of: keys, key: { $0 })
}
