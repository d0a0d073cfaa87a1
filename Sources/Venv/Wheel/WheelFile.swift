/// A file of an unpacked wheel, with the digest PipSeeder writes into the installed RECORD.
struct WheelFile: Equatable {
    var path: String        // relative to the tree's root, "/"-separated
    var size: Int
    var sha256: [UInt8]
    var identity: FileIdentity
}
