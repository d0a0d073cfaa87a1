import Core

/// Refuses entries that would be written through a symlink, without a syscall per entry.
///
/// This replaces ARCHIVE_EXTRACT_SECURE_SYMLINKS, which calls lstat on every parent component of
/// every entry (about 40k of an install's 55k syscalls). It is as strong here because of what can be a
/// symlink under the destination folder:
/// - `Extractor.extract` creates the folder itself (mkdir), which fails if anything (a planted symlink
///   included) is already there, so the folder starts as a real, empty directory;
/// - inside it, only this archive writes (the folder has a fresh random name in a locked install dir;
///   a process that can write there could also race libarchive's lstat walk, which was no defence);
/// - the archive makes a symlink only with a symlink entry, which `admit` records, or with a hard link
///   to one of those (link() does not follow the symlink), which `admit` refuses; files and
///   directories never turn into symlinks.
/// So the set below holds every symlink that can exist under the folder, and a path is written
/// through one exactly when a proper prefix of its components is in the set. That is what libarchive
/// checked for the entry's path and a hard link's target; a path *equal* to a symlink is fine for a
/// file, link or symlink (libarchive looks at what is in the way with lstat and unlinks it rather than
/// following it), but not for a directory (libarchive's stat goes through the link and updates the
/// directory it points to), which is refused.
///
/// Names are compared case- and normalisation-insensitively: on a case-folding filesystem (an ext4
/// casefold directory, a mounted share) `LIB/x` is written through the symlink `lib`. On a
/// case-sensitive one this only refuses more, and python-build-standalone archives never have two
/// names that differ only in case.
struct SymlinkGuard {
    enum Kind { case file, directory, symlink, hardLink(target: String) }

    /// The symlinks extracted so far: folded path → path, relative to the folder.
    private var symlinks: [String: String] = [:]

    /// Throws if the entry `name`, written at `path` (relative to the folder, "" being the folder), would
    /// go through a symlink; otherwise records it if it is one.
    mutating func admit(name: String, path: String, kind: Kind) throws {
        if path.isEmpty {
            guard case .directory = kind else {
                throw PymanError("archive entry '\(name)' would replace the install folder with a non-folder; refusing it")
            }
            return
        }
        let key = Self.fold(path)
        if !symlinks.isEmpty {
            if let link = throughSymlink(key) {
                throw PymanError("cannot extract '\(name)': it would be written through the archive's symlink '\(link)'; refusing it")
            }
            switch kind {
            case .directory where symlinks[key] != nil:
                throw PymanError("cannot extract '\(name)': a folder would be written through the archive's symlink '\(path)'; refusing it")
            case .hardLink(let target):
                let targetKey = Self.fold(target)
                if let link = throughSymlink(targetKey) {
                    throw PymanError("cannot extract '\(name)': its hard link target goes through the archive's symlink '\(link)'; refusing it")
                }
                if symlinks[targetKey] != nil {
                    throw PymanError("cannot extract '\(name)': it is a hard link to the symlink '\(target)'; refusing it")
                }
            default:
                break
            }
        }
        if case .symlink = kind { symlinks[key] = path }
    }

    /// The recorded symlink that is a proper prefix of `key` (whole components), if any.
    private func throughSymlink(_ key: String) -> String? {
        var index = key.startIndex
        while let slash = key[index...].firstIndex(of: "/") {
            if let link = symlinks[String(key[..<slash])] { return link }
            index = key.index(after: slash)
        }
        return nil
    }

    /// A comparison key: Swift's String equality already ignores Unicode normalisation (NFC/NFD), and
    /// upper- then lower-casing folds case including expansions such as ß/SS/ss. Case mappings never
    /// produce "/", so components stay components.
    static func fold(_ path: String) -> String {
        path.uppercased().lowercased()
    }
}
