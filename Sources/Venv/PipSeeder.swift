import Core
import Extract
import FoundationEssentials

/// Installs the pip wheel an interpreter bundles for ensurepip into a venv, without running Python and
/// without pip's own installer.
///
/// The wheel is unpacked once into `<cacheDir>/wheels-v1/<wheel name>/` (checked against its RECORD on every
/// use) and its files are hard-linked into site-packages, copied when linking fails (another file system).
/// Because installed files share their inode with the cache, editing one in place edits the cache too; pip
/// itself never does that (it replaces and removes files), and the next seeding notices a changed cache
/// (RECORD hashes) and unpacks the wheel again. `INSTALLER`, `RECORD` and the console scripts are always
/// fresh files of the venv. No bytecode is written; Python compiles on first import.
public struct PipSeeder: Sendable {
    public let cacheDir: String

    /// `cacheDir` is pyman's cache (PYMAN_CACHE_DIR); unpacked wheels are kept in its wheels bucket (`CacheLayout`).
    public init(cacheDir: String) {
        self.cacheDir = cacheDir
    }

    /// Finds `lib/pythonX.Y/ensurepip/_bundled/pip-*.whl` under `stdlib` (the interpreter's lib/pythonX.Y folder),
    /// installs it into `sitePackages`, and writes console scripts `pip`, `pip3`, `pip3.Y` (Y = the venv's minor version,
    /// from `pythonVersion` like "3.13") into `binDir` with `#!<python>` as shebang (`python` = the venv's absolute
    /// bin/python path). Returns the installed pip version. Throws a PymanError (one line naming the problem,
    /// with the fix as its hint) when no bundled wheel exists or the wheel is damaged.
    public func seedPip(stdlib: String, sitePackages: String, binDir: String, python: String, pythonVersion: String) throws -> String {
        let (major, minor) = try Self.majorMinor(pythonVersion)
        guard python.hasPrefix("/"), !python.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw PymanError.oneLine("the venv interpreter path '\(python)' is not a usable absolute path", hint: "pass the venv's absolute bin/python")
        }
        let shebang = try ConsoleScript.shebang(python: python)
        let wheel = try Self.bundledWheel(stdlib: stdlib)

        let cache = WheelCache(root: CacheLayout(root: cacheDir).wheels)
        let reinstall = "reinstall this Python (pyman install --reinstall \(major).\(minor)) or create the venv without --seed"
        func cannotUnpack(_ reason: String) -> PymanError {
            .oneLine("cannot unpack the bundled pip wheel into \(cache.root): \(reason)", hint: "make sure pyman's cache (PYMAN_CACHE_DIR) is writable")
        }
        let tree: WheelTree
        do {
            tree = try cache.tree(for: wheel, distribution: "pip")
        } catch let failure as WheelFailure {
            switch failure {
            case .damaged(let reason):
                throw PymanError.oneLine("the bundled pip wheel \(wheel) is damaged: \(reason)", hint: reinstall)
            case .unsupported(let reason):
                throw PymanError.oneLine("the bundled pip wheel \(wheel) cannot be seeded: \(reason)",
                                         hint: "create the venv without --seed and run python -m ensurepip in it")
            case .io(let reason):
                throw cannotUnpack(reason)
            }
        } catch {
            throw cannotUnpack("\(error)")   // what the file system refused
        }

        let entryPoints = "\(tree.root)/\(tree.distInfo)/entry_points.txt"
        guard let data = try? FileSystem.readFile(entryPoints, limit: 1_048_576), let text = String(validating: data, as: UTF8.self),
              let (module, function) = ConsoleScript.entryPoint("pip", in: text) else {
            throw PymanError.oneLine("the bundled pip wheel \(wheel) is damaged: \(tree.distInfo)/entry_points.txt has no usable [console_scripts] pip entry",
                                     hint: reinstall)
        }
        let script = ConsoleScript.text(shebang: shebang, module: module, function: function)
        let names = ["pip", "pip\(major)", "pip\(major).\(minor)"]

        var install = SiteInstall(tree: tree, sitePackages: Path.absolute(sitePackages, in: "/"), binDir: Path.absolute(binDir, in: "/"))
        try install.refuseOtherPip()
        do {
            try install.run(scripts: names, script: script)
        } catch {
            install.rollBack()
            throw PymanError.oneLine("cannot install pip into \(sitePackages): \(error)", hint: "make sure the venv folder is writable")
        }
        return tree.version
    }

    // MARK: - Locating the wheel

    /// The newest `pip-*.whl` in `<stdlib>/ensurepip/_bundled` (also accepts the interpreter prefix as `stdlib`).
    static func bundledWheel(stdlib: String) throws -> String {
        var folders = [Path.join(stdlib, "ensurepip/_bundled")]
        let lib = Path.join(stdlib, "lib")
        for name in FileSystem.listDirectory(lib).sorted() where name.hasPrefix("python") {
            folders.append("\(lib)/\(name)/ensurepip/_bundled")
        }
        var best: (path: String, version: String)?
        for folder in folders {
            guard let names = try? FileSystem.contentsOfDirectory(folder) else { continue }
            for name in names where name.hasPrefix("pip-") && name.hasSuffix(".whl") {
                let parts = name.dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 5 || parts.count == 6, parts[0] == "pip" else { continue }
                let version = String(parts[1])
                if best == nil || compareVersions(version, best!.version) == .orderedDescending {
                    best = (Path.join(folder, name), version)
                }
            }
        }
        guard let best else {
            throw PymanError.oneLine("no bundled pip wheel (ensurepip/_bundled/pip-*.whl) in \(stdlib): this Python ships without ensurepip",
                                     hint: "create the venv without --seed and install pip yourself (e.g. get-pip.py), or use a pyman-installed Python")
        }
        return best.path
    }

    /// Compares dotted release numbers numerically ("23.0.1" < "25.1"); non-numeric parts compare as text.
    static func compareVersions(_ a: String, _ b: String) -> ComparisonResult {
        let left = a.split(separator: "."), right = b.split(separator: ".")
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "0"
            let r = index < right.count ? String(right[index]) : "0"
            if let x = Int(l), let y = Int(r) {
                if x != y { return x < y ? .orderedAscending : .orderedDescending }
            } else if l != r {
                return l < r ? .orderedAscending : .orderedDescending
            }
        }
        return .orderedSame
    }

    static func majorMinor(_ version: String) throws -> (Int, Int) {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
            throw PymanError.oneLine("'\(version)' is not a Python version", hint: "pass the venv's major.minor version, like 3.13")
        }
        return (major, minor)
    }
}
