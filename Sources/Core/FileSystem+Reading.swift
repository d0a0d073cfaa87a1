#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension FileSystem {
    /// The bytes of the regular file at `path` (a symlink to one is followed: the path is the user's),
    /// refused beyond `limit` bytes before anything is read, and stopped there should it grow meanwhile.
    /// A device, FIFO or socket (`/dev/zero`, a named pipe) is refused: it could be endless.
    public static func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let (file, info) = try openRegularFile(path)
        defer { try? file.close() }
        guard info.size <= Int64(limit) else {
            throw PymanError("\(path) is \(info.size / 1_048_576) MiB, more than the \(limit / 1_048_576) MiB allowed")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.size))
        try file.readChunks(path: path) { chunk in
            guard bytes.count + chunk.count <= limit else {
                throw PymanError("\(path) grew past the \(limit / 1_048_576) MiB allowed while it was read")
            }
            bytes += chunk
        }
        return bytes
    }

    /// The regular file at `path` (links followed) opened for reading, and its status; a device, FIFO or
    /// socket is refused (opened without blocking, so a FIFO with no writer cannot hang the open).
    static func openRegularFile(_ path: String) throws -> (file: FileDescriptor, info: Stat) {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec, .nonBlocking])
        } catch let code as Errno {
            throw PymanError.system("read", path, code)
        }
        do {
            let info = try file.stat()
            guard info.type == .regular else { throw PymanError("cannot read \(path): not a regular file") }
            return (file, info)
        } catch {
            try? file.close()
            if let code = error as? Errno { throw PymanError.system("read", path, code) }
            throw error
        }
    }

    /// The first `count` bytes of the regular file `path` (fewer if it is shorter), not following a link
    /// at its last component.
    public static func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        let file = try FileDescriptor.openForReading(path)
        defer { try? file.close() }
        var buffer = [UInt8](repeating: 0, count: count)
        let read: Int
        do {
            read = try buffer.withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }
        } catch let code as Errno {
            throw PymanError.system("read", path, code)
        }
        return Array(buffer.prefix(read))
    }
}
