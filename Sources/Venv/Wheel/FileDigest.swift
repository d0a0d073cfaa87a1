// The digests RECORD holds, computed over a file read in chunks.
import Crypto
import Extract
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 and size of a file, read in chunks.
func hashAndSize(_ path: String) throws -> ([UInt8], Int) {
    var size = 0
    let sha = try digest(path, SHA256.self) { size += $0 }
    return (sha, size)
}

func digest<H: HashFunction>(_ path: String, _ type: H.Type, counting: (Int) -> Void = { _ in }) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw WheelFailure.io("cannot read \(path): \(errnoText())") }
    defer { close(fd) }
    var hasher = H()
    try readChunks(fd, path: path) { chunk in
        hasher.update(bufferPointer: chunk)
        counting(chunk.count)
    }
    return Array(hasher.finalize())
}

/// Reads `fd` (the file at `path`) to its end in 64 KiB chunks, handing each non-empty chunk to `body`.
func readChunks(_ fd: Int32, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count == 0 { return }
        if count < 0 {
            if errno == EINTR { continue }
            throw WheelFailure.io("cannot read \(path): \(errnoText())")
        }
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}
