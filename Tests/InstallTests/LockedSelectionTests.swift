import Foundation
import XCTest
import UnitTestSupport
@testable import Catalogue
@testable import Install
@testable import Project

final class LockedSelectionTests: XCTestCase {
    func locked(_ key: String, request: String, sha: Character = "a") -> LockedPython {
        LockedPython(request: request, key: Fixture.key(key), build: "20250723", url: "https://github.com/astral-sh/python-build-standalone/releases/download/20250723/\(key).tar.gz",
                     sha256: String(repeating: sha, count: 64), size: 100)
    }

    func selection(_ pythons: [LockedPython], in folder: URL, machine: Platform = Fixture.linux, env: [String: String] = [:]) -> LockedSelection {
        var settings = Fixture.settings(in: folder, environment: env)
        settings.platform = machine
        return LockedSelection(settings: settings, lock: LockFile(pythons: pythons), path: folder.appendingPathComponent("pyman.lock").path)
    }

    func testTheLockedBuildOfThisMachineIsChosenExactlyAndMirrored() throws {
        let folder = try Fixture.folder(self)
        var machine = Fixture.linux
        machine.archVariant = "v3"
        machine.runsLowerLevels = true
        let lock = [locked("cpython-3.13.5-linux-aarch64-gnu", request: "3.13", sha: "b"), locked("cpython-3.13.5-linux-x86_64-gnu", request: "3.13"),
                    locked("cpython-3.13.5-linux-x86_64_v3-gnu", request: "3.13", sha: "c"), locked("cpython-3.11.2-linux-x86_64-gnu", request: "3.11", sha: "d")]
        let sources = try selection(lock, in: folder, machine: machine, env: ["PYMAN_PYTHON_MIRROR": "http://mirror.invalid"]).sources(for: [])
        XCTAssertEqual(sources.map(\.key.description), ["cpython-3.13.5-linux-x86_64_v3-gnu", "cpython-3.11.2-linux-x86_64-gnu"],
                       "every locked request, at the highest level this CPU runs")
        XCTAssertEqual(sources[0].sha256, String(repeating: "c", count: 64))
        XCTAssertEqual(sources[0].url, "http://mirror.invalid/20250723/cpython-3.13.5-linux-x86_64_v3-gnu.tar.gz")
        XCTAssertTrue(sources.allSatisfy(\.exact))
    }

    func testPinnedRequestsComeFirstAndMustBeLocked() throws {
        let folder = try Fixture.folder(self)
        let lock = [locked("cpython-3.13.5-linux-x86_64-gnu", request: "3.13"), locked("cpython-3.11.2-linux-x86_64-gnu", request: "3.11", sha: "d")]
        try "3.11\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try selection(lock, in: folder).sources(for: []).map(\.key.description), ["cpython-3.11.2-linux-x86_64-gnu"])
        try "3.12\n".write(to: folder.appendingPathComponent(".python-version"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try selection(lock, in: folder).sources(for: [])) { error in
            XCTAssertEqual("\(error)", "\(folder.path)/pyman.lock holds no build for '3.12' (\(folder.path)/.python-version asks for it) on linux-x86_64-gnu; run `pyman lock` again to pin it")
        }
        XCTAssertEqual(try selection(lock, in: folder).sources(for: ["3.13.5"]).map(\.key.description), ["cpython-3.13.5-linux-x86_64-gnu"])
    }

    func testALockWithoutThisPlatformIsRefused() throws {
        let folder = try Fixture.folder(self)
        let lock = [locked("cpython-3.13.5-linux-aarch64-gnu", request: "3.13"), locked("cpython-3.13.5-darwin-aarch64-none", request: "3.13")]
        XCTAssertThrowsError(try selection(lock, in: folder).sources(for: [])) { error in
            XCTAssertEqual("\(error)", "\(folder.path)/pyman.lock pins no build for this machine (linux-x86_64-gnu); it holds darwin-aarch64-none, linux-aarch64-gnu; run `pyman lock --platform linux-x86_64-gnu` to add it")
        }
    }

    func testPlatformsAreSpelledAsKeysSpellThem() throws {
        XCTAssertEqual(try Locker.platform("linux-aarch64-gnu"), Platform(os: "linux", arch: "aarch64", libc: "gnu"))
        XCTAssertEqual(try Locker.platform("linux-x86_64_v3-gnu").archVariant, "v3")
        XCTAssertEqual(try Locker.platform("darwin-aarch64-none").os, "darwin")
        for bad in ["linux", "linux-aarch64", "linux-aarch64-gnu-x", "plan9-x86_64-gnu", "linux-x86_64-glibc", "linux-x86_64_v9-gnu", "linux--gnu"] {
            XCTAssertThrowsError(try Locker.platform(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("is not a platform; write os-arch-libc"), "\(error)")
            }
        }
    }
}

/// What a project's lock may not do (issue #23): replace an install made from another archive, name a
/// local file outside its folder, or pin a size the archive does not have. (Nor be read when another
/// user could have written it: ProjectTests' ProjectLockTests.)
final class LockedSelectionTrustTests: XCTestCase {
    let key = "cpython-3.11.2-linux-x86_64-gnu"

    func python(url: String, sha: Character = "d") -> LockedPython {
        LockedPython(request: "3.11", key: Fixture.key(key), build: "20250723", url: url, sha256: String(repeating: sha, count: 64), size: 100)
    }

    func selection(_ python: LockedPython, in folder: URL) -> LockedSelection {
        LockedSelection(settings: Fixture.settings(in: folder), lock: LockFile(pythons: [python]), path: folder.appendingPathComponent("pyman.lock").path)
    }

    func testTheSourceCarriesTheLockFileAndTheSize() throws {
        let folder = try Fixture.folder(self)
        let source = try selection(python(url: "https://example.invalid/a.tar.gz"), in: folder).sources(for: [])[0]
        XCTAssertEqual(source.lockFile, folder.appendingPathComponent("pyman.lock").path)
        XCTAssertEqual(source.size, 100)
    }

    func testAnInstallFromAnotherArchiveIsRefusedNotReplaced() throws {
        let folder = try Fixture.folder(self)
        let settings = Fixture.settings(in: folder)
        let installer = Installer(settings: settings, progress: ProgressBoard(enabled: false))
        let installed = URL(fileURLWithPath: settings.installDir).appendingPathComponent(key)
        try FileManager.default.createDirectory(at: installed, withIntermediateDirectories: true)
        var record = Fixture.record(key, in: URL(fileURLWithPath: settings.installDir))
        record.sha256 = String(repeating: "a", count: 64)
        try installer.index.update { $0 = [record] }

        let lock = folder.appendingPathComponent("pyman.lock").path
        let expected = "\(key) is installed from the archive with sha256 \(String(repeating: "a", count: 64)), but \(lock) pins sha256 \(String(repeating: "d", count: 64)); nothing was changed; to replace the install, run `pyman install --locked --reinstall` in \(folder.path)"
        let source = try selection(python(url: "https://example.invalid/a.tar.gz"), in: folder).sources(for: [])[0]
        XCTAssertThrowsError(try Installer.refuseReplacing(record, with: source)) { XCTAssertEqual("\($0)", expected) }
        // The venv path refuses before it says it installs anything, and before any download.
        let venvs = VenvInterpreters(settings: settings, progress: ProgressBoard(enabled: false))
        XCTAssertThrowsError(try venvs.locked(nil, by: selection(python(url: "https://example.invalid/a.tar.gz"), in: folder), installer: installer)) {
            XCTAssertEqual("\($0)", expected)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: installed.path))
        XCTAssertEqual(installer.index.records().map(\.sha256), [String(repeating: "a", count: 64)])

        // The same archive, or a source no lock pins, is what is installed already.
        XCTAssertNoThrow(try Installer.refuseReplacing(record, with: try selection(python(url: "https://example.invalid/a.tar.gz", sha: "a"), in: folder).sources(for: [])[0]))
        XCTAssertNoThrow(try Installer.refuseReplacing(record, with: InstallSource(key: Fixture.key(key), url: "https://example.invalid/b.tar.gz", sha256: String(repeating: "d", count: 64))))
        XCTAssertEqual(try venvs.locked(nil, by: selection(python(url: "https://example.invalid/a.tar.gz", sha: "a"), in: folder), installer: installer).prefix,
                       installed.path)
    }

    func testLocalURLsOutsideTheLockFolderAreRefused() throws {
        let folder = try Fixture.folder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("archives"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("archives/a.tar.gz"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        for url in ["file://\(folder.path)/archives/a.tar.gz", "FILE://\(folder.path)/archives/missing.tar.gz", "file://\(folder.path)/a%20b.tar.gz"] {
            XCTAssertEqual(try selection(python(url: url), in: folder).sources(for: [])[0].url, url, url)
        }
        let lock = folder.appendingPathComponent("pyman.lock").path
        let real = URL(fileURLWithPath: folder.path).resolvingSymlinksInPath().path
        for url in ["file:///etc/shadow", "file://\(folder.path)/../../etc/shadow", "file://\(folder.path)/etc/shadow",
                    "file://\(folder.path)-other/a.tar.gz", "file:etc/shadow"] {
            XCTAssertThrowsError(try selection(python(url: url), in: folder).sources(for: []), url) { error in
                XCTAssertEqual("\(error)", "\(lock) names a local file outside its folder for \(key): \(url.count > 60 ? url.prefix(60) + "…" : url); nothing was installed; a project's lock names local archives only inside its own folder (\(real))")
            }
        }
    }
}
