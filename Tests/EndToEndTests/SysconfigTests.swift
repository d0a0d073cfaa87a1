import Foundation
import XCTest

/// After install, sysconfig describes the real install and the host's compilers, so C extensions build.
final class SysconfigTests: XCTestCase {
    func testNoValueButConfigArgsNamesTheBuildPrefix() throws {
        for fixture in FixturePython.matrix {
            let sandbox = try InstalledWorld.shared.sandbox(for: fixture)
            let install = sandbox.installDir.appendingPathComponent(fixture.key)
            let script = """
            import re, sys, sysconfig
            bad = [k for k, v in sysconfig.get_config_vars().items()
                   if k != 'CONFIG_ARGS' and isinstance(v, str) and re.search(r'(^|[^\\w./-]|-[IL])/install(/|$|[\\s:;,)\\'"])', v)]
            print(sysconfig.get_config_var('prefix'))
            print(sysconfig.get_config_var('PYTHON_BUILD_STANDALONE'))
            print(sysconfig.get_config_var('CC').split()[0], sysconfig.get_config_var('LDSHARED').split()[0])
            print(','.join(bad))
            """
            let result = try sandbox.exec(install.appendingPathComponent("bin/\(fixture.executable)").path, ["-c", script])
            XCTAssertEqual(result.status, 0, result.summary)
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(lines[0], install.path)
            XCTAssertEqual(lines[1], "1")
            XCTAssertEqual(lines[2], "cc cc", "the build machine's compiler is still named")
            XCTAssertEqual(lines[3], "", "values still naming /install: \(lines[3])")
        }
    }

    /// Compiles a C extension with sysconfig's own CC/LDSHARED and INCLUDEPY, then imports it.
    func testCExtensionBuiltAgainstTheInstallImports() throws {
        for fixture in FixturePython.matrix {
            let sandbox = try InstalledWorld.shared.sandbox(for: fixture)
            let install = sandbox.installDir.appendingPathComponent(fixture.key)
            let folder = sandbox.work.appendingPathComponent("cext-\(fixture.name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try CExtension.write(into: folder)
            let script = """
            import shlex, subprocess, sysconfig
            v = sysconfig.get_config_var
            subprocess.run(shlex.split(v('CC')) + shlex.split(v('CFLAGS')) + shlex.split(v('CCSHARED')) + ['-I' + v('INCLUDEPY'), '-c', 'spam.c', '-o', 'spam.o'], check=True)
            subprocess.run(shlex.split(v('LDSHARED')) + ['spam.o', '-o', 'spam' + v('EXT_SUFFIX')], check=True)
            subprocess.run(['cc', '-shared', '-fPIC', '-I' + v('INCLUDEPY'), 'spam.c', '-o', 'plain' + v('EXT_SUFFIX').replace('.cpython', '_plain.cpython')], check=True)
            import spam
            print(spam.answer())
            """
            let result = try sandbox.exec(install.appendingPathComponent("bin/\(fixture.executable)").path, ["-c", script], cwd: folder)
            XCTAssertEqual(result.status, 0, result.summary)
            XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "42")
        }
    }
}
