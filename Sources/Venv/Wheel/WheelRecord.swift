import Extract

/// RECORD files (https://packaging.python.org/en/latest/specifications/recording-installed-packages/):
/// CSV rows `path,algorithm=urlsafe-base64-digest-without-padding,size`.
enum WheelRecord {
    struct Row: Equatable {
        var path: String
        var hash: String
        var size: String
    }

    /// `sha256=...` in RECORD notation.
    static func hashField(sha256 digest: some Sequence<UInt8>) -> String {
        "sha256=" + urlsafeBase64(Array(digest))
    }

    /// Base64 with the URL-safe alphabet and no padding, as RECORD wants it. By hand: the obvious
    /// base64EncodedString + two `replacing` calls took an eighth of a seeding's time.
    static func urlsafeBase64(_ bytes: some Collection<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for sextet in 0...chunk.count {
                output.append(alphabet[Int(value >> (18 - 6 * UInt32(sextet)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// One CSV line as Python's csv module writes it (quoting only when needed), ending in "\n".
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacing("\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\n"
    }

    static func render(_ rows: [Row]) -> String {
        rows.map { line([$0.path, $0.hash, $0.size]) }.joined()
    }

    /// Parses RECORD text; quoted fields may hold commas, doubled quotes and newlines.
    static func parse(_ text: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        func endRow() throws {
            fields.append(field)
            field = ""
            atFieldStart = true
            if fields.count == 1 && fields[0].isEmpty { fields = []; return }   // blank line
            guard fields.count == 3 else {
                throw WheelFailure.damaged("RECORD line '\(fields.joined(separator: ","))' does not have 3 fields")
            }
            rows.append(Row(path: fields[0], hash: fields[1], size: fields[2]))
            fields = []
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                break
            case "\n":
                try endRow()
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        guard !quoted else { throw WheelFailure.damaged("RECORD ends inside a quoted field") }
        if !field.isEmpty || !fields.isEmpty { try endRow() }
        return rows
    }
}
