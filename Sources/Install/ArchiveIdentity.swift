import Catalogue
import Core
import FoundationEssentials
import Patching

/// Checks, in the temporary folder before the commit, that an extracted archive is the Python its key
/// names: the implementation, the version, free-threading, and (for ELF builds) the CPU and C library.
/// The sha256 only proves the archive is the one the catalogue points at; this proves the catalogue
/// told the truth about it, so an install never lands under a key it does not hold. It reads one header
/// file, one sysconfig file name (and for free-threading its text) and 64 KiB of the interpreter.
public enum ArchiveIdentity {
    /// Throws one line saying what the catalogue says and what the archive holds; install's report
    /// puts the key in front.
    /// `buildMetadata` is a full archive's PYTHON.json: its `python_version` must agree too.
    public static func check(_ root: String, key: PythonKey, buildMetadata: [UInt8]? = nil) throws {
        let holds = ArchiveContents(root, minor: key.version.minorVersion)
        func refuse(_ what: String) -> PymanError {
            PymanError("the archive holds \(what) as the catalogue says", hint: "nothing was installed")
        }
        let claimed = key.isPyPy ? "PyPy" : "CPython"
        let implementation = holds.implementation
        if let implementation, implementation != claimed {
            throw refuse("\(implementation)\(holds.version.map { " " + $0 } ?? ""), not \(claimed) \(key.version)")
        }
        // PyPy's header is optional (the version file may be left out of a repack); CPython's is not.
        if let version = holds.version {
            guard Self.release(of: version) == key.version.description else {
                throw refuse("\(implementation ?? claimed) \(version), not \(key.version)")
            }
        } else if !key.isPyPy {
            throw refuse("no include/python\(key.version.minorVersion)\(key.isFreethreaded ? "t" : "")/patchlevel.h, not CPython \(key.version)")
        }
        if let buildMetadata {
            guard let described = BuildMetadata.pythonVersion(buildMetadata) else {
                throw refuse("a python/PYTHON.json without a python_version string, not a python-build-standalone \(key.version) build")
            }
            guard Self.release(of: described) == key.version.description else {
                throw refuse("a python/PYTHON.json for \(described), not \(key.version)")
            }
        }
        if key.isPyPy {
            guard holds.isDirectory("lib/\(key.stdlibName)") else {
                throw refuse("no lib/\(key.stdlibName), not PyPy \(key.version.minorVersion)")
            }
        } else {
            let plain = "lib/python\(key.version.minorVersion)", threaded = plain + "t"
            if key.isFreethreaded {
                guard holds.isDirectory(threaded), holds.gilDisabled(in: threaded) else {
                    throw refuse("a CPython \(holds.version ?? key.version.minorVersion) build with the GIL (no \(threaded) with Py_GIL_DISABLED 1), not a free-threaded one")
                }
            } else if holds.isDirectory(plain) {
                if holds.gilDisabled(in: plain) {
                    throw refuse("a free-threaded CPython \(holds.version ?? key.version.minorVersion) build (Py_GIL_DISABLED 1), not one with the GIL")
                }
            } else if holds.isDirectory(threaded) {
                throw refuse("a free-threaded CPython \(holds.version ?? key.version.minorVersion) build (\(threaded) only), not one with the GIL")
            } else {
                throw refuse("no \(plain), not CPython \(key.version.minorVersion)")
            }
        }
        if key.platform.os == "linux" { try checkMachine(root, key: key, refuse: refuse) }
    }

    /// The CPU and C library of `bin/<executable>` against the key's platform. Darwin's Mach-O builds are
    /// not read: the key's os and the sha256 vouch for them.
    static func checkMachine(_ root: String, key: PythonKey, refuse: (String) -> PymanError) throws {
        let name = "bin/\(key.executableName)"
        // No such file is checkLayout's refusal, which names what is missing.
        guard let bytes = try? FileSystem.readPrefix(resolved(root, name), count: ELFHeader.prefixSize) else { return }
        guard let header = ELFHeader(bytes) else { throw refuse("a \(name) that is not an ELF executable, not a \(key.platform) build") }
        let known = header.architectures
        // An architecture pyman has no ELF number for cannot be told apart; the sha256 vouches for it.
        let table: Set<String> = ["x86_64", "aarch64", "i686", "armv7", "powerpc64le", "s390x", "riscv64"]
        if table.contains(key.platform.arch), !known.contains(key.platform.arch) {
            let built = known.sorted().first ?? "ELF machine \(header.machine)"
            throw refuse("a \(name) built for \(built) (ELF machine \(header.machine)), not \(key.platform.arch)")
        }
        // A static executable names no loader and runs with either C library.
        guard let interpreter = header.interpreter, ["gnu", "musl"].contains(key.platform.libc) else { return }
        if header.libc != key.platform.libc {
            let libc = header.libc.map { $0 == "gnu" ? "glibc" : $0 } ?? "an unknown C library"
            throw refuse("a \(name) linked against \(libc) (\(interpreter)), not \(key.platform.libc)")
        }
    }

    /// The file a name in the tree leads to: archives' symlinks stay inside the folder (the extractor
    /// refuses others), and a relative one is followed a few hops so a `bin/pypy3.9 -> pypy` layout reads
    /// the real executable.
    static func resolved(_ root: String, _ name: String) -> String {
        var path = root + "/" + name
        for _ in 0..<8 {
            guard let target = FileSystem.symlinkTarget(path), !target.hasPrefix("/") else { break }
            path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) + "/" + target
        }
        return path
    }

    /// `3.13.5` of `3.13.5+` (a development build's suffix): the release and pre-release parts only.
    static func release(of version: String) -> String {
        String(version.prefix { $0 != "+" && $0 != " " })
    }
}
