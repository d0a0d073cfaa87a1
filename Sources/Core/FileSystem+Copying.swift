#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension FileSystem {
    /// Copies the regular file `source` (links followed: the caller resolved which file it means) to the
    /// new file `target`, with the source's permission bits. An entry at `target` fails with `code ==
    /// .fileExists`, and a link there is never followed. On failure no partial `target` is left.
    public static func copyFile(_ source: String, to target: String) throws {
        let input: FileDescriptor
        do {
            input = try FileDescriptor.open(source, .readOnly, options: [.closeOnExec])
        } catch let code as Errno {
            throw PymanError.system("read", source, code)
        }
        defer { try? input.close() }
        let info: Stat
        do {
            info = try input.stat()
        } catch let code as Errno {
            throw PymanError.system("read", source, code)
        }
        guard info.type == .regular else { throw PymanError("cannot copy \(source): not a regular file") }
        let mode = FilePermissions(rawValue: info.permissions.rawValue & 0o7777)
        let output: FileDescriptor
        do {
            output = try FileDescriptor.open(target, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                                             permissions: mode)
        } catch let code as Errno {
            throw PymanError.system("create", target, code)
        }
        do {
            defer { try? output.close() }
            try input.readChunks(path: source) { chunk in
                try output.writeAll(chunk, path: target)
            }
            try check(retryingOnInterrupt { fchmod(output.rawValue, mode.rawValue) }, "set the mode of", target)   // whatever the umask
        } catch {
            _ = try? removeFileIfPresent(target)
            throw error
        }
    }
}
