import SystemPackage

extension FileDescriptor {
    /// Opens `path` for reading without following a symlink at its last component.
    public static func openForReading(_ path: String) throws -> FileDescriptor {
        do {
            return try FileDescriptor.open(path, .readOnly, options: [.noFollow, .closeOnExec])
        } catch let code as Errno {
            throw PymanError.system("open", path, code)
        }
    }

    /// Reads to the end in 64 KiB chunks, handing each to `body`; `path` names the file in a failure.
    public func readChunks(path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try read(into: $0, retryOnInterrupt: true) }
            } catch let code as Errno {
                throw PymanError.system("read", path, code)
            }
            if count == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// Writes all of `bytes` (again after a short write or a signal); `path` names the file in a failure.
    public func writeAll(_ bytes: UnsafeRawBufferPointer, path: String) throws {
        do {
            _ = try writeAll(bytes)
        } catch let code as Errno {
            throw PymanError.system("write", path, code)
        }
    }
}
