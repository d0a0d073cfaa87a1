import Foundation
import XCTest

/// `pyman venv --seed` on a distribution's Python, whose ensurepip has no bundled wheel (Debian's
/// python3.11: the wheel is in /usr/share/python-wheels, from python3-pip-whl), and `upgrade`'s one line
/// when nothing moves.
final class VenvSeedFromDistributionTests: XCTestCase {
    func testSeedOnDebiansPythonUsesTheDistributionsWheel() throws {
        let system = "/usr/bin/python3.11"
        guard FileManager.default.isExecutableFile(atPath: system) else { throw XCTSkip("Debian's python3.11 is not installed (apt-get install python3.11)") }
        guard !FileManager.default.fileExists(atPath: "/usr/lib/python3.11/ensurepip/_bundled") else {
            throw XCTSkip("this python3.11 bundles its own pip wheel: nothing to fall back from")
        }
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/share/python-wheels")) ?? []
        guard let wheel = wheels.filter({ $0.hasPrefix("pip-") && $0.hasSuffix(".whl") }).sorted().last else {
            throw XCTSkip("no /usr/share/python-wheels/pip-*.whl (apt-get install python3-pip-whl)")
        }
        let version = wheel.split(separator: "-")[1]
        let sandbox = try Sandbox()
        try expect(sandbox, ["venv", "v", "--python", system, "--seed"], stderr: """
            Created [ROOT]/work/v with CPython 3.11.2 (/usr/bin/python3.11), pip \(version)
            pip came from /usr/share/python-wheels/\(wheel): this Python has no bundled pip wheel
            Activate with: source [ROOT]/work/v/bin/activate
            """)
        let venv = sandbox.work.appendingPathComponent("v")
        let pip = try sandbox.exec(venv.appendingPathComponent("bin/pip").path, ["--version"])
        XCTAssertEqual(pip.stdout, "pip \(version) from \(venv.path)/lib/python3.11/site-packages/pip (python 3.11)\n", pip.summary)
        let local = try LocalWheels(in: sandbox.root.appendingPathComponent("wheels"))
        try local.add("hello-pyman", "1.0")
        let installed = try sandbox.exec(venv.appendingPathComponent("bin/pip").path,
                                         ["install", "--no-index", "--find-links", local.folder.path, "--disable-pip-version-check", "hello-pyman"])
        XCTAssertEqual(installed.status, 0, installed.summary)
        let imported = try sandbox.exec(venv.appendingPathComponent("bin/python").path, ["-c", "import hello_pyman; print(hello_pyman.VERSION)"])
        XCTAssertEqual(imported.stdout, "1.0\n", imported.summary)
    }

    func testNothingToUpgradeIsOneLine() throws {
        let sandbox = try Sandbox()
        try expect(sandbox, ["upgrade"], stderr: "Nothing to upgrade: no Python is installed")
        XCTAssertEqual(try sandbox.pyman("install", "3.13").status, 0)
        try expect(sandbox, ["upgrade"], stderr: "Nothing to upgrade: cpython-3.13-linux-x86_64-gnu (3.13.5) is up to date")
    }
}
