import Foundation
import TestSupport
import XCTest
@testable import Catalogue
@testable import PEP440
@testable import TOML

/// pyman's TOML reader against Python's `tomllib`, and its PEP 440 versions and specifiers against
/// `packaging`: each test writes its inputs and pyman's answers as JSON, and
/// Differential/differential.py computes the reference answers and prints one line per disagreement.
/// Where pyman differs on purpose, the script says why and leaves the case out by name.
///
/// Needs /usr/bin/python3.11 (tomllib is 3.11+) and, for PEP 440, `packaging` from PyPI, which the test
/// installs once into a folder of its own; a missing Python or an unreachable PyPI fails the test.
final class DifferentialTests: XCTestCase {
    static let python = ProcessInfo.processInfo.environment["PYMAN_DIFFERENTIAL_PYTHON"] ?? "/usr/bin/python3.11"
    /// Pinned so that a new release of `packaging` cannot change the verdict of an old commit.
    static let packaging = "packaging==26.3"
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let script = here.appendingPathComponent("Differential/differential.py")
    static let repository = here.deletingLastPathComponent().deletingLastPathComponent()

    // MARK: TOML

    func testTOMLReaderAgreesWithTomllib() throws {
        var documents: [(name: String, bytes: [UInt8])] = []
        for folder in ["Fuzz/corpus/pyproject", "Fuzz/corpus/lock"] {
            let url = Self.repository.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            XCTAssertFalse(names.isEmpty, "no corpus at \(url.path)")
            for name in names where !name.hasSuffix(".txt") {
                documents.append(("\(folder)/\(name)", Array(try Data(contentsOf: url.appendingPathComponent(name)))))
            }
        }
        for (index, value) in TOMLCases.values.enumerated() {
            documents.append(("value \(index): v = \(value)", Array("v = \(value)\n".utf8)))
            documents.append(("in array \(index): v = [\(value)]", Array("v = [\(value)]\n".utf8)))
        }
        for (index, text) in TOMLCases.documents.enumerated() {
            documents.append(("document \(index): \(text.debugDescription)", Array(text.utf8)))
        }
        for (index, bytes) in TOMLCases.byteDocuments.enumerated() {
            documents.append(("bytes \(index): \(bytes)", bytes))
        }
        var cases: [[String: Any]] = []
        for document in documents {
            var answers: [String: Any] = [:]
            var accepted = true
            for path in TOMLCases.paths {
                do {
                    let found = try TOMLReader.value(at: path, in: document.bytes)
                    answers[path.joined(separator: ".")] = found.map { Self.shape($0.value) } ?? NSNull()
                } catch {
                    accepted = false
                }
            }
            cases.append(["name": document.name, "hex": document.bytes.map { String(format: "%02x", $0) }.joined(),
                          "accepted": accepted, "values": accepted ? answers : [:]])
        }
        try compare("toml", ["paths": TOMLCases.paths, "cases": cases])
    }

    static func shape(_ value: TOMLValueShape) -> [String: Any] {
        switch value {
        case .string(let text): ["type": "string", "string": text]
        case .integer: ["type": "integer"]
        case .float: ["type": "float"]
        case .boolean: ["type": "boolean"]
        case .offsetDateTime: ["type": "offsetDateTime"]
        case .localDateTime: ["type": "localDateTime"]
        case .localDate: ["type": "localDate"]
        case .localTime: ["type": "localTime"]
        case .array: ["type": "array"]
        // tomllib cannot tell an inline table from another.
        case .inlineTable, .table: ["type": "table"]
        }
    }

    // MARK: PEP 440

    func testPEP440AgreesWithPackaging() throws {
        let texts = PEP440Cases.versions()
        var versions: [[String: Any]] = []
        var valid: [(index: Int, version: PEP440Version)] = []
        for (index, text) in texts.enumerated() {
            if let version = try? PEP440Version(parsing: text[...]) {
                versions.append(["text": text, "valid": true, "epoch": version.epoch, "release": version.release,
                                 "pre": version.pre.map { [["a", "b", "rc"][$0.rank], $0.number] as [Any] } ?? NSNull(),
                                 "post": version.post ?? NSNull(), "dev": version.dev ?? NSNull(), "local": version.local ?? NSNull()])
                valid.append((index, version))
            } else {
                versions.append(["text": text, "valid": false])
            }
        }
        var order: [[Int]] = []
        for (i, a) in valid.enumerated() {
            for b in valid[(i + 1)...] { order.append([a.index, b.index, a.version.compare(b.version)]) }
        }
        let pythons = PEP440Cases.pythons()
        var specifiers: [[String: Any]] = []
        for text in PEP440Cases.specifiers() {
            if let parsed = try? VersionSpecifier.requiresPython(text) {
                let admitted = pythons.map { python in parsed.allSatisfy { $0.admits(PythonVersion(python)!) } }
                specifiers.append(["text": text, "valid": true, "admits": admitted])
            } else {
                specifiers.append(["text": text, "valid": false])
            }
        }
        try compare("pep440", ["versions": versions, "order": order, "pythons": pythons, "specifiers": specifiers])
    }

    // MARK: Running the script

    /// Writes `input`, runs the script over it and fails with each disagreement it prints.
    func compare(_ kind: String, _ input: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            return XCTFail("\(Self.python) is missing: the differential tests need Python 3.11+ (apt-get install python3.11, or set PYMAN_DIFFERENTIAL_PYTHON)", file: file, line: line)
        }
        let inputFile = try scratchFolder("differential").appendingPathComponent("\(kind).json")
        try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys]).write(to: inputFile)
        var environment = ["PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"]
        if kind == "pep440" { environment["PYTHONPATH"] = try packagingFolder().path }
        let result = try runPython([Self.script.path, kind, inputFile.path], environment: environment)
        XCTAssertEqual(result.status, 0, "\(Self.script.lastPathComponent) \(kind) found disagreements:\n\(result.stdout)\(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stdout.contains("compared"), "the script compared nothing: \(result.stdout)\(result.stderr)", file: file, line: line)
    }

    /// `packaging`, installed from PyPI into a folder kept between runs (named by its pinned version).
    func packagingFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pyman-differential-\(Self.packaging)")
        let check = try runPython(["-c", "import packaging.version, packaging.specifiers"], environment: ["PYTHONPATH": folder.path])
        if check.status == 0 { return folder }
        try? FileManager.default.removeItem(at: folder)
        let pip = try runPython(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "--target", folder.path, Self.packaging],
                                environment: ["PATH": "/usr/bin:/bin", "HOME": NSHomeDirectory(), "PIP_ROOT_USER_ACTION": "ignore"])
        guard pip.status == 0 else {
            throw DifferentialSetupError("pip could not install \(Self.packaging) from PyPI into \(folder.path) (exit \(pip.status)); the PEP 440 differential test needs it:\n\(pip.stderr)")
        }
        return folder
    }

    func runPython(_ arguments: [String], environment: [String: String]) throws -> Run {
        try TestSupport.run(Self.python, arguments, environment: environment)
    }
}

/// Fails the test with its message: an unreachable PyPI must not pass silently.
struct DifferentialSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
