// The digests RECORD holds, computed over a file read in chunks.
import Core
import Crypto
import SystemPackage

/// SHA-256 and size of a file, read in chunks.
func hashAndSize(_ path: String) throws -> ([UInt8], Int) {
    var size = 0
    let sha = try digest(path, SHA256.self) { size += $0 }
    return (sha, size)
}

func digest<H: HashFunction>(_ path: String, _ type: H.Type, counting: (Int) -> Void = { _ in }) throws -> [UInt8] {
    let fd = try FileDescriptor.openForReading(path)
    defer { try? fd.close() }
    var hasher = H()
    try fd.readChunks(path: path) { chunk in
        hasher.update(bufferPointer: chunk)
        counting(chunk.count)
    }
    return Array(hasher.finalize())
}

func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}
