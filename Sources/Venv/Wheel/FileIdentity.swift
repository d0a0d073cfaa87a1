#if canImport(Glibc)
import Glibc
#endif

/// What changes when a file is replaced or edited: its inode, size and modification time (ctime would
/// change with every hard link a seeding makes).
struct FileIdentity: Equatable {
    var inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    init(_ info: stat) {
        (inode, size) = (UInt64(info.st_ino), Int64(info.st_size))
        (seconds, nanoseconds) = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
    }

    init(inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int) {
        (self.inode, self.size, self.seconds, self.nanoseconds) = (inode, size, seconds, nanoseconds)
    }
}
