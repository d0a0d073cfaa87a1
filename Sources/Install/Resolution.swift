import Catalogue
import Core
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Index

/// Turning what the user typed into installs and downloads.
public enum Resolution {
    /// The request from a `.python-version` file in the current folder or the nearest parent, if any.
    public static func pinnedRequest(from directory: URL) throws -> PythonRequest? {
        var folder = directory.standardizedFileURL
        while true {
            let file = folder.appendingPathComponent(".python-version")
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                let line = text.split(whereSeparator: \.isNewline)
                    .map { $0.trimmingBlanks() }
                    .first { !$0.isEmpty && !$0.hasPrefix("#") }
                if let line {
                    do {
                        return try PythonRequest(parsing: line)
                    } catch let error as RequestError {
                        throw RequestError("\(file.path): \(error.description)")
                    }
                }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The installed Python that best answers `request` on this platform.
    public static func installed(_ request: PythonRequest, in records: [InstallRecord], platform: Platform) -> InstallRecord? {
        let candidates = records.filter { record in
            record.pythonKey.map { runsHere($0, request: request, platform: platform) } ?? false
        }
        return request.best(of: candidates) { $0.pythonKey! }
    }

    /// The catalogue entry that best answers `request` on this platform.
    public static func download(_ request: PythonRequest, in catalogue: Catalogue, platform: Platform) -> CatalogueEntry? {
        let candidates = catalogue.entries.filter { runsHere($0.key, request: request, platform: platform) }
        return request.best(of: candidates) { $0.key }
    }

    /// The build is for this machine, or for the platform the request spells out (parts it leaves out
    /// default to this machine's).
    static func runsHere(_ key: PythonKey, request: PythonRequest, platform: Platform) -> Bool {
        key.platform.os == (request.os ?? platform.os)
            && key.platform.archTag == (request.archTag ?? platform.archTag)
            && key.platform.libc == (request.libc ?? platform.libc)
    }
}
