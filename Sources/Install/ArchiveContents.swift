import Core
import FoundationEssentials

/// What an extracted archive holds, as far as `ArchiveIdentity` asks: which implementation its
/// headers and standard library are, the version its `patchlevel.h` states, and whether a standard
/// library's sysconfig data says the GIL is disabled.
struct ArchiveContents {
    let root: String
    /// `PY_VERSION` of the header found (`3.11.2`, `3.15.0rc1`, `3.13.5+`); nil when there is none.
    let version: String?
    /// `CPython` or `PyPy`; nil when neither's files are there.
    let implementation: String?

    /// `minor` (`3.11`) picks the header folder when the archive has several; any other is read
    /// otherwise, so an archive of another minor is named by what it holds.
    init(_ root: String, minor: String) {
        self.root = root
        let include = FileSystem.listDirectory(root + "/include").sorted()
        let preferred = ["python\(minor)", "python\(minor)t", "pypy\(minor)"]
        let headers = (preferred + include).filter { name in
            (name.hasPrefix("python3") || name.hasPrefix("pypy3"))
                && FileSystem.exists("\(root)/include/\(name)/patchlevel.h", followingLinks: true)
        }
        let lib = FileSystem.listDirectory(root + "/lib")
        if let folder = headers.first {
            version = Self.pyVersion(in: "\(root)/include/\(folder)/patchlevel.h")
            implementation = folder.hasPrefix("pypy") ? "PyPy" : "CPython"
        } else {
            version = nil
            implementation = lib.contains { $0.hasPrefix("pypy3") } ? "PyPy" : lib.contains { $0.hasPrefix("python3") } ? "CPython" : nil
        }
    }

    func isDirectory(_ name: String) -> Bool {
        FileSystem.isDirectory(root + "/" + name)
    }

    /// Whether `lib/python3.Xt`'s `_sysconfigdata_*.py` sets `Py_GIL_DISABLED` to 1, as a free-threaded
    /// build's does (3.13 and later; a build with the GIL has 0, older ones lack the name). CPython writes
    /// the file with pprint (`'Py_GIL_DISABLED': 1`); python-build-standalone's rewrite of it, as the
    /// fixtures' packing does, uses double quotes (`"Py_GIL_DISABLED": 1`): both count.
    func gilDisabled(in folder: String) -> Bool {
        let names = FileSystem.listDirectory(root + "/" + folder)
        for name in names.sorted() where name.hasPrefix("_sysconfigdata_") && name.hasSuffix(".py") {
            guard let bytes = try? FileSystem.readFile("\(root)/\(folder)/\(name)", limit: 8 << 20) else { continue }
            if Self.setsGILDisabled(bytes) { return true }
        }
        return false
    }

    /// `'Py_GIL_DISABLED': 1` or `"Py_GIL_DISABLED": 1` (any blanks around the colon), not `10`.
    static func setsGILDisabled(_ bytes: [UInt8]) -> Bool {
        let name = Array("Py_GIL_DISABLED".utf8)
        let quotes: Set<UInt8> = [UInt8(ascii: "'"), UInt8(ascii: "\"")]
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var from = 0
        while let end = end(of: name, in: bytes, from: from) {
            from = end
            var at = end
            guard at < bytes.count, quotes.contains(bytes[at]), end - name.count > 0, bytes[end - name.count - 1] == bytes[at] else { continue }
            at += 1
            while at < bytes.count, isBlank(bytes[at]) { at += 1 }
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { continue }
            at += 1
            while at < bytes.count, isBlank(bytes[at]) { at += 1 }
            guard at < bytes.count, bytes[at] == UInt8(ascii: "1") else { continue }
            if at + 1 == bytes.count || !(0x30...0x39).contains(bytes[at + 1]) { return true }
        }
        return false
    }

    /// The index just past the first occurrence of `needle` in `bytes` at or after `from`.
    static func end(of needle: [UInt8], in bytes: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, bytes.count - from >= needle.count else { return nil }
        for start in from...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }

    /// `#define PY_VERSION "3.11.2"` (spaces or tabs between), from a header of at most 64 KiB.
    static func pyVersion(in path: String) -> String? {
        guard let bytes = try? FileSystem.readPrefix(path, count: 64 * 1024) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 3, words[0] == "#define", words[1] == "PY_VERSION" else { continue }
            let quoted = words[2]
            guard quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else { return nil }
            return String(quoted.dropFirst().dropLast())
        }
        return nil
    }
}
