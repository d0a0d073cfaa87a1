/// The userinfo of URLs (`https://user:token@host/…`), found lexically so that any text naming a URL,
/// a message as much as a stored field, can be cleaned of it. Mirror, catalogue and lock URLs may carry
/// credentials; pyman sends them to their host and nowhere else, and never prints or stores them.
public enum URLCredentials {
    /// What a message shows in place of the userinfo.
    public static let mask = "****"

    /// `text` with the userinfo of every URL in it replaced by `****`: for messages, which still show
    /// that credentials were given.
    public static func redacting(_ text: String) -> String {
        rewrite(text) { _ in mask + "@" }
    }

    /// `text` with the userinfo of every URL in it removed: for what pyman stores (receipts, the index,
    /// the lock, the stored catalogue's origin), where a masked userinfo would be taken for a user name.
    public static func stripping(_ text: String) -> String {
        rewrite(text) { _ in "" }
    }

    /// Whether the URL names a userinfo (`user@`, `user:secret@`).
    public static func present(in url: String) -> Bool {
        stripping(url) != url
    }

    /// The host of a URL as a message names it, with its port and without any userinfo: `mirror.example:8443`.
    public static func host(of url: String) -> String {
        let bytes = Array(stripping(url).utf8)
        guard let start = schemeEnd(in: bytes, from: 0) else { return stripping(url) }
        let end = authorityEnd(in: bytes, from: start)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Replaces each URL's `userinfo@` with what `replacement` makes of it; the rest of the text is kept
    /// byte for byte. The authority runs from `://` to the first `/`, `?`, `#`, blank or other character not allowed there
    /// after it (see `authorityStops`); its userinfo is what precedes its last `@`.
    static func rewrite(_ text: String, _ replacement: (String) -> String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "@")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while let start = schemeEnd(in: bytes, from: index) {
            output += bytes[index..<start]
            let end = authorityEnd(in: bytes, from: start)
            if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) {
                output += Array(replacement(String(decoding: bytes[start..<at], as: UTF8.self)).utf8)
                output += bytes[(at + 1)..<end]
            } else {
                output += bytes[start..<end]
            }
            index = end
        }
        output += bytes[index...]
        return String(decoding: output, as: UTF8.self)
    }

    /// The offset just after the next `://` at or after `from`.
    static func schemeEnd(in bytes: [UInt8], from: Int) -> Int? {
        var index = from
        while index + 3 <= bytes.count {
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") {
                return index + 3
            }
            index += 1
        }
        return nil
    }

    /// What cannot be in an authority unencoded. Sub-delimiters (`,;()'!$&*+=`) may be in a password,
    /// so they do not end it: a closing bracket after a URL stays after the host, where it does no harm.
    static let authorityStops = Set("/?#\\ \t\r\n\"<>`{}|^".utf8)

    static func authorityEnd(in bytes: [UInt8], from start: Int) -> Int {
        let stops = authorityStops
        var index = start
        while index < bytes.count, !stops.contains(bytes[index]) { index += 1 }
        return index
    }
}
