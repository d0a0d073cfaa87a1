import Core
/// The value transform shared by every sysconfig file kind (module, JSON, Makefile, .pc).
///
/// python-build-standalone builds with `--prefix=/install` on a machine whose compiler is
/// clang under `/tools/llvm`. Left alone, extension builds would look for headers in
/// `/install/include` and call a compiler the user does not have. This rewrites a value to:
/// - point `/install` paths at the real install prefix,
/// - drop `-isysroot <sdk>` (an SDK path from the build machine),
/// - use the generic `cc` / `c++` / `ar` for the build machine's tools.
public struct SysconfigRewrite: Sendable {
    /// The prefix python-build-standalone is configured with.
    public static let buildPrefix = "/install"

    /// Left untouched: it records how the build was configured, not where things are.
    static let configArgsKey = "CONFIG_ARGS"

    /// Variables whose first word is the C or C++ compiler (or a linker driven by it).
    /// uv's DEFAULT_VARIABLE_UPDATES covers CC, CXX, LDSHARED, LDCXXSHARED, BLDSHARED and
    /// LINKCC; CPP and MAINCC hold the same compiler and are added here.
    static let compilerKeys: Set<String> = [
        "CC", "CXX", "CPP", "MAINCC", "LINKCC", "LDSHARED", "LDCXXSHARED", "BLDSHARED",
    ]

    /// Variables whose first word is the static archiver.
    static let archiverKeys: Set<String> = ["AR"]

    /// The real prefix, without trailing slashes ("" stands for the root directory).
    public let realPrefix: String

    /// What replaces `/install` in the text; differs from `realPrefix` only where the file
    /// format needs escaping (see `escapingPrefix`).
    let replacement: String

    public init(realPrefix: String) {
        var prefix = Substring(realPrefix)
        while prefix.count > 1, prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        self.realPrefix = prefix == "/" ? "" : String(prefix)
        self.replacement = self.realPrefix
    }

    private init(realPrefix: String, replacement: String) {
        self.realPrefix = realPrefix
        self.replacement = replacement
    }

    /// A copy whose inserted prefix is escaped with `escape`, for formats like make and
    /// pkg-config where `$` in a path would otherwise start a variable reference.
    func escapingPrefix(_ escape: (String) -> String) -> SysconfigRewrite {
        SysconfigRewrite(realPrefix: realPrefix, replacement: escape(realPrefix))
    }

    /// Rewrites one variable's value; see the type's documentation for what changes.
    public func rewrite(key: String, value: String) -> String {
        rewrite(key: key, value: value, replaceTool: true)
    }

    /// `replaceTool: false` is for Makefile continuation lines, whose first word is not
    /// the start of the value.
    func rewrite(key: String, value: String, replaceTool: Bool) -> String {
        if key == Self.configArgsKey { return value }
        var result = Self.removingIsysroot(from: value)
        result = replacingBuildPrefix(in: result)
        if replaceTool {
            result = Self.replacingBuildTool(key: key, in: result)
        }
        return result
    }

    // MARK: - Prefix

    /// Replaces each `/install` path (see `buildPrefixRanges`) with the real prefix.
    func replacingBuildPrefix(in value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        let replacementScalars = Array(replacement.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        for start in Self.buildPrefixStarts(in: scalars) where start >= index {
            out.append(contentsOf: scalars[index..<start])
            let end = start + Self.buildPrefixScalars.count
            // Idempotency when the real prefix itself lies under /install (say
            // /install/pythons/3.13): an already-rewritten path must not grow again.
            if replacementScalars.count > Self.buildPrefixScalars.count,
               Self.hasPrefix(scalars, replacementScalars, at: start),
               Self.isPathEnd(scalars, start + replacementScalars.count) {
                out.append(contentsOf: replacementScalars)
                index = start + replacementScalars.count
                continue
            }
            out.append(contentsOf: replacementScalars)
            // The root as prefix: "/install/lib" -> "/lib", but "/install" -> "/".
            if replacementScalars.isEmpty && (end >= scalars.count || scalars[end] != "/") {
                out.append("/")
            }
            index = end
        }
        out.append(contentsOf: scalars[min(index, scalars.count)...])
        return String(out)
    }

    /// True if `value` still mentions the build prefix as a path.
    public static func containsBuildPrefix(_ value: String) -> Bool {
        !buildPrefixStarts(in: Array(value.unicodeScalars)).isEmpty
    }

    private static let buildPrefixScalars = Array(buildPrefix.unicodeScalars)

    /// Offsets where `/install` occurs as a path of its own: it must end at a path boundary
    /// (so `/installer` is not one) and must not continue a longer path (so
    /// `/usr/install` and `./install` are not one). It may follow a delimiter like space,
    /// `=`, `,`, `:` or a quote, or a short flag such as `-I`, `-L` or `-isystem`.
    private static func buildPrefixStarts(in scalars: [Unicode.Scalar]) -> [Int] {
        let needle = buildPrefixScalars
        guard scalars.count >= needle.count else { return [] }
        var starts: [Int] = []
        for start in 0...(scalars.count - needle.count)
        where hasPrefix(scalars, needle, at: start)
            && isPathStart(scalars, start)
            && isPathEnd(scalars, start + needle.count) {
            starts.append(start)
        }
        return starts
    }

    private static func isPathStart(_ scalars: [Unicode.Scalar], _ start: Int) -> Bool {
        // Walk back to the previous delimiter: whatever sits between it and the match must
        // be a flag ("-I", "-L") and not part of a path ("/usr", ".", "$(prefix)").
        var wordStart = start
        while wordStart > 0, !isDelimiterBefore(scalars[wordStart - 1]) { wordStart -= 1 }
        if wordStart == start { return true }
        let word = scalars[wordStart..<start]
        return word.first == "-" && !word.contains("/")
    }

    private static func isDelimiterBefore(_ scalar: Unicode.Scalar) -> Bool {
        isWhitespace(scalar) || "=,:;'\"(".unicodeScalars.contains(scalar)
    }

    static func isPathEnd(_ scalars: [Unicode.Scalar], _ end: Int) -> Bool {
        guard end < scalars.count else { return true }
        let scalar = scalars[end]
        return isWhitespace(scalar) || "/'\":;,)".unicodeScalars.contains(scalar)
    }

    private static func hasPrefix(_ scalars: [Unicode.Scalar], _ prefix: [Unicode.Scalar], at start: Int) -> Bool {
        start >= 0 && start + prefix.count <= scalars.count
            && scalars[start..<(start + prefix.count)].elementsEqual(prefix)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
            || scalar == "\u{0B}" || scalar == "\u{0C}"
    }

    // MARK: - Words

    /// A value split into words, each with the whitespace before it, plus the trailing
    /// whitespace: joining gives back the exact input, so untouched parts stay byte-identical
    /// (Makefile alignment tabs, double spaces in flags).
    struct Words {
        var words: [(lead: String, text: String)] = []
        var trailing = ""

        init(_ value: String) {
            var lead = String.UnicodeScalarView()
            var text = String.UnicodeScalarView()
            for scalar in value.unicodeScalars {
                if SysconfigRewrite.isWhitespace(scalar) {
                    if !text.isEmpty {
                        words.append((String(lead), String(text)))
                        lead = String.UnicodeScalarView()
                        text = String.UnicodeScalarView()
                    }
                    lead.append(scalar)
                } else {
                    text.append(scalar)
                }
            }
            if text.isEmpty {
                trailing = String(lead)
            } else {
                words.append((String(lead), String(text)))
            }
        }

        var joined: String {
            words.map { $0.lead + $0.text }.joined() + trailing
        }
    }

    // MARK: - -isysroot

    /// Drops `-isysroot <path>`, `-isysroot=<path>` and the joined `-isysroot<path>`
    /// (clang accepts all three), with the whitespace before each dropped word.
    static func removingIsysroot(from value: String) -> String {
        guard value.containsBytes("-isysroot") else { return value }
        let split = Words(value)
        var kept: [(lead: String, text: String)] = []
        // If the value starts with a dropped word, its leading whitespace goes to the first
        // kept word, so `CFLAGS=\t-isysroot /sdk -O2` keeps its tab.
        var leadForFirstKept: String?
        // Whitespace before the words dropped since the last kept word (see below).
        var leadOfDroppedTail: String?
        var index = 0
        while index < split.words.count {
            let word = split.words[index]
            var dropCount = 0
            if word.text == "-isysroot" {
                // Never eat a Makefile line continuation as if it were the SDK path.
                let hasPath = index + 1 < split.words.count && split.words[index + 1].text != "\\"
                dropCount = hasPath ? 2 : 1
            } else if word.text.hasPrefix("-isysroot") {
                dropCount = 1
            }
            if dropCount > 0 {
                if kept.isEmpty && leadForFirstKept == nil { leadForFirstKept = word.lead }
                if leadOfDroppedTail == nil { leadOfDroppedTail = word.lead }
                index += dropCount
                continue
            }
            var lead = word.lead
            if kept.isEmpty, let first = leadForFirstKept { lead = first }
            kept.append((lead, word.text))
            leadOfDroppedTail = nil
            index += 1
        }
        var result = Words("")
        result.words = kept
        result.trailing = split.trailing
        // `a\ -isysroot /sdk` must not become `a\`: in a Makefile a line ending in a
        // backslash would swallow the next line.
        if result.trailing.isEmpty, let lead = leadOfDroppedTail, kept.last?.text.hasSuffix("\\") == true {
            result.trailing = lead
        }
        return result.joined
    }

    // MARK: - Build tools

    /// Replaces the first word of a compiler or archiver variable when it names the build
    /// machine's tool, keeping the remaining words: `clang -pthread -shared` becomes
    /// `cc -pthread -shared`.
    static func replacingBuildTool(key: String, in value: String) -> String {
        let isCompiler = compilerKeys.contains(key)
        guard isCompiler || archiverKeys.contains(key) else { return value }
        var split = Words(value)
        guard let first = split.words.first,
              let portable = isCompiler ? portableCompiler(for: first.text) : portableArchiver(for: first.text)
        else { return value }
        split.words[0].text = portable
        return split.joined
    }

    /// The last path component: build tools appear both bare and as `/tools/llvm/bin/clang`.
    private static func baseName(_ word: String) -> Substring {
        word.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(word)
    }

    /// `cc` or `c++` for clang (`clang`, `musl-clang`, `clang-18`, full paths) and for
    /// cross compilers (`x86_64-linux-gnu-gcc`, `aarch64-linux-gnu-g++`); nil otherwise,
    /// so a plain `gcc` or `cc` (already generic) is kept.
    static func portableCompiler(for word: String) -> String? {
        let name = baseName(word)
        let isCross = name.containsBytes("-linux-")
        if name == "clang++" || isVersioned(name, tool: "clang++")
            || name.hasSuffix("-clang++") || (isCross && name.hasSuffix("-g++")) {
            return "c++"
        }
        if name == "clang" || isVersioned(name, tool: "clang")
            || name.hasSuffix("-clang") || (isCross && name.hasSuffix("-gcc")) {
            return "cc"
        }
        return nil
    }

    /// `ar` for `llvm-ar` (bare, versioned or as a path) and cross archivers.
    static func portableArchiver(for word: String) -> String? {
        let name = baseName(word)
        if name == "llvm-ar" || isVersioned(name, tool: "llvm-ar")
            || (name.containsBytes("-linux-") && name.hasSuffix("-ar")) {
            return "ar"
        }
        return nil
    }

    /// `clang-18` for tool `clang`: the tool, a dash, then only digits.
    private static func isVersioned(_ name: Substring, tool: String) -> Bool {
        guard name.hasPrefix(tool + "-") else { return false }
        let version = name.dropFirst(tool.count + 1)
        return !version.isEmpty && version.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
