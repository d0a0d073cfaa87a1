import Core
import SystemPackage

/// What changes when a file is replaced or edited: its inode, size and modification time (ctime would
/// change with every hard link a seeding makes).
struct FileIdentity: Equatable {
    var inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    init(_ info: Stat) {
        (inode, size) = (UInt64(info.inode.rawValue), info.size)
        (seconds, nanoseconds) = info.modificationTime
    }

    init(inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int) {
        (self.inode, self.size, self.seconds, self.nanoseconds) = (inode, size, seconds, nanoseconds)
    }
}
