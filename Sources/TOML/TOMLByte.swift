/// The ASCII bytes the scanners look for, by name.
public enum TOMLByte {
    public static let tab = UInt8(ascii: "\t"), space = UInt8(ascii: " "), hash = UInt8(ascii: "#"), lineFeed = UInt8(ascii: "\n")
    public static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
    public static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]"), openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    public static let equals = UInt8(ascii: "="), dot = UInt8(ascii: "."), underscore = UInt8(ascii: "_"), comma = UInt8(ascii: ",")
    public static let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"), colon = UInt8(ascii: ":"), zero = UInt8(ascii: "0")
}
