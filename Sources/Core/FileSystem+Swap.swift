#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension FileSystem {
    /// Swaps what two paths name, atomically: `renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)`
    /// on macOS. Returns false, changing nothing, where the file system (or kernel) cannot (EINVAL,
    /// ENOSYS, ENOTSUP): the caller then renames one after the other.
    public static func exchange(_ first: String, _ second: String) throws -> Bool {
        #if canImport(Glibc)
        // glibc declares renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not set: it is
        // looked up (glibc 2.28, the release floor, has it). RENAME_EXCHANGE is 1 << 1 in <linux/fs.h>.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let result = retryingOnInterrupt { renameat2(AT_FDCWD, first, AT_FDCWD, second, 1 << 1) }
        #else
        let result = retryingOnInterrupt { renamex_np(first, second, UInt32(RENAME_SWAP)) }
        #endif
        switch result {
        case .success: return true
        case .failure(let code) where code == .invalidArgument || code == .noFunction || code == .notSupported: return false
        case .failure(let code): throw PymanError.system("swap \(first) with", second, code)
        }
    }
}
