import FoundationEssentials

/// Every patch pyman applies to an install, and the one number that says which version of them it got.
///
/// An install records the `level` it was patched at (`patch_level` in its receipt and the index); one
/// made by an older pyman is named by `pyman list` and `pyman doctor`, and `pyman install --reinstall`
/// unpacks it again and patches it at the current level.
public enum InstallPatches {
    /// Bumped whenever any patch changes what it writes: sysconfig (`SysconfigPatch`) or the venv home
    /// fix (`VenvHomePatch`). Level 2 was the venv home fix's own number before it covered both; level 3:
    /// `--copies` no longer writes libpython through a venv's `lib` that is a symlink.
    public static let level = 3

    /// Patches the install unpacked at `root`, which will be renamed to `finalPath` (the prefix written
    /// into sysconfig). Throws `SysconfigError` (with line and column where a file does not parse) or `PymanError`; a sysconfig file that does not parse
    /// leaves every file untouched.
    /// PyPy (`isPyPy`) gets the venv home fix only: its sysconfig names no build machine (its
    /// `_sysconfigdata.py` computes every value at run time, `CC` is `cc`).
    public static func apply(root: String, finalPath: String, isPyPy: Bool = false) throws {
        if !isPyPy { _ = try SysconfigPatch.patchInstall(root: root, realPrefix: finalPath) }
        try VenvHomePatch.patchInstall(root: root)
    }
}
