import Core

/// python-build-standalone's `python/PYTHON.json` (full archives only): the build's description of
/// itself. pyman reads one member, `python_version` ("3.13.5", "3.15.0rc1"), to check the key's version
/// against a second source besides patchlevel.h.
enum BuildMetadata {
    /// The top-level `python_version` string, or nil when the file is not a JSON object with one.
    static func pythonVersion(_ bytes: [UInt8]) -> String? {
        var scanner = JSONScanner(bytes)
        do throws(JSONScanner.Failure) {
            var version: String?
            try scanner.expect(UInt8(ascii: "{"), expecting: "'{'")
            if !scanner.skip(UInt8(ascii: "}")) {
                repeat {
                    let key = try scanner.decode(try scanner.memberKey())
                    scanner.skipWhitespace()
                    if key == "python_version", scanner.peek == UInt8(ascii: "\"") {
                        version = try scanner.decode(try scanner.scanString())
                    } else {
                        try scanner.skipValue()
                        if key == "python_version" { version = nil }
                    }
                } while try scanner.nextMember(close: UInt8(ascii: "}"))
            }
            try scanner.expectEnd()
            return version
        } catch {
            return nil
        }
    }
}
