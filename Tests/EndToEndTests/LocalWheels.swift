import Foundation
import XCTest

/// A folder of tiny wheels built in the test with Python's zipfile (no network): what
/// `pip install --no-index --find-links <folder>` installs from.
struct LocalWheels {
    let folder: URL

    init(in folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A wheel of distribution `name` at `version`, whose module (`name` with `_` for `-`) holds
    /// `VERSION`; `requires` are its Requires-Dist lines, `tag` its compatibility tag (`cp311-cp311-linux_x86_64`
    /// installs on CPython 3.11 only).
    @discardableResult
    func add(_ name: String, _ version: String, requires: [String] = [], tag: String = "py3-none-any") throws -> URL {
        let module = name.replacingOccurrences(of: "-", with: "_")
        let wheel = folder.appendingPathComponent("\(module)-\(version)-\(tag).whl")
        let script = """
        import base64, hashlib, sys, zipfile
        path, name, module, version, tag, requires = sys.argv[1:6] + [sys.argv[6:]]
        info = f'{module}-{version}.dist-info'
        metadata = f'Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n' + ''.join(f'Requires-Dist: {r}\\n' for r in requires)
        pure = 'true' if tag.startswith('py') else 'false'
        files = {
            f'{module}/__init__.py': f'VERSION = "{version}"\\n',
            f'{info}/METADATA': metadata,
            f'{info}/WHEEL': f'Wheel-Version: 1.0\\nGenerator: pyman-tests\\nRoot-Is-Purelib: {pure}\\nTag: {tag}\\n',
        }
        def digest(data):
            return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data.encode()).digest()).rstrip(b'=').decode()
        record = ''.join(f'{n},{digest(d)},{len(d.encode())}\\n' for n, d in files.items()) + f'{info}/RECORD,,\\n'
        with zipfile.ZipFile(path, 'w') as z:
            for n, d in files.items():
                z.writestr(n, d)
            z.writestr(f'{info}/RECORD', record)
        """
        let built = try run("/usr/bin/env", ["python3", "-c", script, wheel.path, name, module, version, tag] + requires)
        XCTAssertEqual(built.status, 0, built.summary)
        return wheel
    }
}
