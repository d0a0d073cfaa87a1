import Foundation
import XCTest
@testable import Extract
import SystemPackage

/// Decompression runs on its own thread (`DecompressionStage`): every compression gives the same tree,
/// the input is read to its end, and failures on either side end the extraction promptly.
extension ExtractorTests {
    /// A tar bigger than the 1 MiB in flight between the threads, with every entry kind and many small files.
    static let tree = """
    import os, random
    rnd = random.Random(7)
    add('python/', type=tarfile.DIRTYPE, mode=0o755, mtime=1600000000)
    add('python/bin/', type=tarfile.DIRTYPE, mode=0o755)
    add('python/bin/python3.13', rnd.randbytes(3 << 20), mode=0o755, mtime=1600000001)
    add('python/bin/python3', type=tarfile.SYMTYPE, link='python3.13')
    add('python/lib/', type=tarfile.DIRTYPE, mode=0o755)
    for i in range(400):
        add('python/lib/m%03d.py' % i, b'x = %d\\n' % i * rnd.randrange(1, 200), mtime=1600000000 + i)
    add('python/lib/hard.py', type=tarfile.LNKTYPE, link='python/lib/m007.py')
    """

    /// What extraction made under `folder`: path → kind, mode, mtime and contents or link text.
    func snapshot(_ folder: String) throws -> [String: String] {
        let root = scratch.appendingPathComponent(folder).path
        var result: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: root) {
            let full = "\(root)/\(path)"
            var info = stat()
            XCTAssertEqual(lstat(full, &info), 0)
            let content = (info.st_mode & S_IFMT) == S_IFLNK ? try FileManager.default.destinationOfSymbolicLink(atPath: full)
                : (info.st_mode & S_IFMT) == S_IFREG ? try Data(contentsOf: URL(fileURLWithPath: full)).base64EncodedString() : ""
            result[path] = "\(String(info.st_mode, radix: 8)) \(info.st_mtim.tv_sec) \(info.st_nlink) \(content)"
        }
        return result
    }

    func compress(_ tar: URL, _ command: [String], _ suffix: String) throws -> URL {
        let out = URL(fileURLWithPath: tar.path + suffix)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command + [tar.path]
        process.currentDirectoryURL = scratch
        XCTAssertTrue(FileManager.default.createFile(atPath: out.path, contents: nil))
        process.standardOutput = try FileHandle(forWritingTo: out)
        try process.run()
        process.waitUntilExit()
        try XCTSkipUnless(process.terminationStatus == 0, "\(command[0]) is not available")
        return out
    }

    func testEveryCompressionExtractsTheSameTree() throws {
        let tar = try archive("tree.tar", Self.tree, mode: "w")
        let inputs = [
            "plain": tar, "gz": try compress(tar, ["gzip", "-c"], ".gz"),
            "zst": try compress(tar, ["zstd", "-q", "-c"], ".zst"), "xz": try compress(tar, ["xz", "-c"], ".xz"),
        ]
        var trees: [String: [String: String]] = [:]
        for (name, url) in inputs {
            let summary = try extract(url, into: "out-\(name)")
            XCTAssertEqual(summary.entries, 406, name)
            trees[name] = try snapshot("out-\(name)")
        }
        // gzip through libarchive (zlib) as well, as on a machine without libisal.
        let fd = open(inputs["gz"]!.path, O_RDONLY)
        defer { close(fd) }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        XCTAssertEqual(try Extractor.extract(fd: FileDescriptor(rawValue: fd), into: "out-gz-zlib", isal: false).entries, 406)
        trees["gz-zlib"] = try snapshot("out-gz-zlib")
        let reference = trees["plain"]!
        XCTAssertEqual(reference.count, 405)  // the folder itself is not listed
        XCTAssertTrue(reference["bin/python3.13"]!.hasPrefix("100755 1600000001 1 "), reference["bin/python3.13"]!)
        XCTAssertEqual(reference["lib/hard.py"], reference["lib/m007.py"])
        XCTAssertTrue(reference["lib/hard.py"]!.hasPrefix("100644 1600000007 2 "), reference["lib/hard.py"]!)
        for (name, tree) in trees { XCTAssertEqual(tree, reference, name) }
    }

    /// The caller hashes everything it feeds in, so the compressed input is read to its very end.
    func testTheInputIsReadToItsEnd() throws {
        let gz = try archive("tree.tar.gz", Self.tree)
        let zst = try compress(try archive("tree.tar", Self.tree, mode: "w"), ["zstd", "-q", "-c"], ".zst")
        for url in [gz, zst] {
            let fd = open(url.path, O_RDONLY)
            defer { close(fd) }
            XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
            _ = try Extractor.extract(fd: FileDescriptor(rawValue: fd), into: "out-\(url.pathExtension)")
            XCTAssertEqual(lseek(fd, 0, SEEK_CUR), off_t(try Data(contentsOf: url).count), url.lastPathComponent)
        }
    }

    /// Runs `body` on another thread and fails the test (instead of hanging) if it takes over 20 s.
    func finishes(_ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "\(what) hangs")
    }

    func testDamagedCompressedStreamsAreErrors() throws {
        let gz = try Data(contentsOf: try archive("tree.tar.gz", Self.tree))
        let zst = try Data(contentsOf: try compress(try archive("tree.tar", Self.tree, mode: "w"), ["zstd", "-q", "-c"], ".zst"))
        // libarchive does not check gzip's CRC (the caller's SHA-256 does), so a corrupt stream is one
        // inflate rejects: 0xff starts a deflate block of the reserved type 3.
        var invalid = gz
        invalid.replaceSubrange(10..<74, with: Data(repeating: 0xff, count: 64))
        let cases = ["truncated.gz": gz.prefix(gz.count / 2), "invalid.gz": invalid, "truncated.zst": zst.prefix(zst.count * 2 / 3),
                     "no-trailer.gz": gz.prefix(gz.count - 4)]
        for (name, bytes) in cases {
            for isal in [true, false] {
                let url = scratch.appendingPathComponent(name)
                try bytes.write(to: url)
                let fd = open(url.path, O_RDONLY)
                defer { close(fd) }
                XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
                let outcome = Outcome()
                finishes(name) {
                    outcome.error = Result { try Extractor.extract(fd: FileDescriptor(rawValue: fd), into: "out-\(name)-\(isal)", isal: isal) }.failure
                }
                XCTAssertTrue(outcome.error.map { "\($0)".hasPrefix("the archive is damaged: ") } ?? false, "\(name), isal \(isal): \(String(describing: outcome.error))")
            }
        }
    }

    /// A refused entry ends the extraction at once even while the input stalls (a download that sends
    /// nothing more): the decompression thread must not sit in read() until the sender gives up.
    func testARefusedEntryStopsAStalledInput() throws {
        let gz = try Data(contentsOf: try archive("hostile.tar.gz", """
        add('python/lib/', type=tarfile.DIRTYPE, mode=0o755)
        add('python/lib/dev', type=tarfile.CHRTYPE)
        add('python/lib/after', b'x' * 100000)
        """))
        XCTAssertLessThan(gz.count, 16 * 1024, "must fit in the input pipe without a reader")
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertEqual(gz.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }, gz.count)
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        let outcome = Outcome(), input = fds[0]
        finishes("a refused entry with a stalled input") {
            outcome.error = Result { try Extractor.extract(fd: FileDescriptor(rawValue: input), into: "out") }.failure
        }
        XCTAssertTrue(outcome.error.map { "\($0)".contains("device, fifo or socket") } ?? false, String(describing: outcome.error))
    }
}

final class Outcome: @unchecked Sendable {
    var error: Error?
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
