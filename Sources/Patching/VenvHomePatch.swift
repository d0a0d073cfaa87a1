import Core
import FoundationEssentials

/// Makes `python -m venv` and `venv.create()` of an installed Python write a `home` that can start,
/// however the interpreter was reached (see docs/symlinks.md).
///
/// python-build-standalone builds carry the prefix `/install`. Run through a symlink that lives outside
/// the install (`~/.local/bin/python3.13`, `./python`), the stdlib `venv` module takes the *symlink's*
/// folder as `home`; the new venv's interpreter then finds no standard library there, falls back to
/// `/install` and dies with "No module named 'encodings'". The fix lives inside the install, so it works
/// without pyman: `EnvBuilder.ensure_directories` follows the executable's symlinks one step at a time
/// until the folder holding it sits beside `../lib/pythonX.Y/os.py` (the approach of CPython PR 115237).
/// Stopping at the first such folder keeps a link to the whole install folder, and pyman's minor-version
/// link, as `home`, so venvs made through them survive upgrades.
///
/// The same hook mends copies (`python -m venv --copies`, and `venv.create()`, which copies by default):
/// a copied binary looks for libpython through its RUNPATH `$ORIGIN/../lib`, which is the venv's own lib/,
/// so libpython is placed there (python-build-standalone issue 381). Nothing absolute is written into
/// the install, which stays relocatable.
public enum VenvHomePatch {
    static let marker = "# pyman: symlink-home fix"
    /// The line in `ensure_directories` (identical in CPython 3.9 to 3.14) before which the fix is called.
    static let anchor = "        dirname, exename = os.path.split(os.path.abspath(executable))\n"
    static let call = """
                executable = _pyman_home_executable(executable)  \(marker)
                if not self.symlinks:  # pyman: copies get their libpython
                    _pyman_copy_libpython(env_dir, executable)

        """
    /// The helper goes before the class, so it exists even when the module runs as a script.
    static let classAnchor = "\nclass EnvBuilder"

    static let helper = """
    \(marker), level \(InstallPatches.level). Added by pyman, see docs/symlinks.md.
    def _pyman_home_executable(executable):
        \"\"\"Follow `executable` one symlink at a time to the first folder beside lib/pythonX.Y/os.py.\"\"\"
        if os.name != 'posix' or not executable:
            return executable
        stdlib = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        path = os.path.abspath(executable)
        for _ in range(40):  # a symlink loop ends here
            if os.path.isfile(os.path.join(os.path.dirname(path), os.pardir, 'lib', stdlib, 'os.py')):
                return path
            if not os.path.islink(path):
                return executable
            target = os.readlink(path)
            folder = os.path.dirname(path)
            if os.pardir in target.split(os.sep):
                # '..' is resolved by the kernel against the real folder, not the spelling of the link.
                folder = os.path.realpath(folder)
            path = os.path.normpath(os.path.join(folder, target))
        return executable


    def _pyman_copy_libpython(env_dir, executable):
        \"\"\"Give a copied interpreter the libpython its RUNPATH ($ORIGIN/../lib) looks for: the venv's lib/.\"\"\"
        if os.name != 'posix':
            return
        import glob, shutil
        source = os.path.join(os.path.dirname(os.path.realpath(executable)), os.pardir, 'lib')
        target = os.path.join(env_dir, 'lib')
        if os.path.islink(target):
            # Whoever could write the venv could point lib anywhere; never write libpython through it.
            raise OSError(f'{target} is a symlink; pyman never writes through a link inside a venv (remove it)')
        for library in glob.glob(os.path.join(source, 'libpython3*.so*')):
            os.makedirs(target, exist_ok=True)
            destination = os.path.join(target, os.path.basename(library))
            if os.path.lexists(destination):
                os.unlink(destination)
            if os.path.islink(library) and os.sep not in os.readlink(library):
                os.symlink(os.readlink(library), destination)
            else:
                shutil.copy2(library, destination)

    """

    /// Returns the patched text of `lib/pythonX.Y/venv/__init__.py`. Idempotent; throws when the module
    /// is not the one this patch was written for, rather than guessing.
    public static func patch(_ source: String, path: String) throws -> String {
        if source.contains(marker) {
            try verify(source, path: path)
            return source
        }
        guard source.countOccurrences(of: anchor) == 1, source.countOccurrences(of: classAnchor) == 1 else {
            throw PymanError("unexpected venv module \(path): cannot apply pyman's symlink-home fix", hint: "this Python is not supported yet, please report it")
        }
        let patched = source
            .replacing(anchor, with: call + anchor)
            .replacing(classAnchor, with: helper + classAnchor)
        try verify(patched, path: path)
        return patched
    }

    /// Checks the fix is in place: the call right before the anchor, and the helper defined once.
    public static func verify(_ source: String, path: String) throws {
        guard source.countOccurrences(of: call + anchor) == 1,
              source.countOccurrences(of: "\ndef _pyman_home_executable(") == 1,
              source.countOccurrences(of: "\ndef _pyman_copy_libpython(") == 1 else {
            throw PymanError("the symlink-home fix in \(path) is damaged", hint: "reinstall this Python with --reinstall")
        }
    }

    /// Patches the venv module of the install rooted at `root` in place and drops its stale bytecode.
    public static func patchInstall(root: String) throws {
        let lib = root + "/lib"
        let stdlibs = FileSystem.listDirectory(lib)
            .filter { $0.hasPrefix("python3.") || $0.hasPrefix("pypy3.") }
        guard let stdlib = stdlibs.first(where: {
            FileSystem.exists("\(lib)/\($0)/venv/__init__.py", followingLinks: true)
        }) else {
            throw PymanError("no lib/python3.X/venv/__init__.py in \(root): this archive is not a CPython or PyPy install")
        }
        let venv = "\(lib)/\(stdlib)/venv"
        let file = venv + "/__init__.py"
        guard let source = String(validating: try FileSystem.readFile(file, limit: PatchedFile.readLimit), as: UTF8.self) else {
            throw PymanError("lib/\(stdlib)/venv/__init__.py is not valid UTF-8")
        }
        let patched = try patch(source, path: "lib/\(stdlib)/venv/__init__.py")
        guard patched != source else { return }
        try PatchedFile.replace(file, with: Data(patched.utf8))
        try PatchedFile.removeBytecode(of: "__init__", in: venv)
    }
}
