/// Inputs of DifferentialTests, valid and invalid, written to reach each rule of TOML 1.0 and PEP 440.
enum TOMLCases {
    /// What is asked of every document: pyman's one key, and `v` of the cases below.
    static let paths = [["project", "requires-python"], ["v"]]

    /// Right-hand sides, each tried as `v = X` and `v = [X]`.
    static let values: [String] = [
        // integers
        "0", "+0", "-0", "42", "+99", "-17", "1_000", "5_349_221", "9223372036854775807", "-9223372036854775808",
        "0xDEADBEEF", "0xdead_beef", "0o755", "0b1101", "0x0", "01", "00", "+0x1", "-0o7", "0x", "0b", "0o8", "0b2",
        "1__0", "_1", "1_", "0x_1", "9223372036854775808", "-9223372036854775809", "1 2", "0xG",
        // floats
        "1.0", "+1.0", "-0.01", "3.1415", "5e+22", "1e06", "-2E-2", "6.626e-34", "224_617.445_991_228", "0e0", "-0.0",
        "inf", "+inf", "-inf", "nan", "+nan", "-nan", "1.", ".1", "1e", "1.e1", "1._0", "1_.0", "1e_1", "01.0", "1.0e",
        "infinity", "NaN", "Inf", "1e+", "1.0.0",
        // booleans
        "true", "false", "True", "FALSE", "tru", "truex",
        // dates and times
        "1979-05-27T07:32:00Z", "1979-05-27T00:32:00-07:00", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00Z",
        "1979-05-27t07:32:00z", "1979-05-27T07:32:00", "1979-05-27T00:32:00.999999", "1979-05-27", "07:32:00",
        "00:32:00.999999", "2024-02-29", "2000-02-29", "2023-02-29", "1900-02-29", "1979-13-01", "1979-00-01", "1979-01-32",
        "1979-04-31", "1979-05-27T24:00:00", "1979-05-27T07:60:00", "1979-05-27T07:32:61", "07:32", "7:32:00",
        "07:32:00.", "1979-05-27T07:32:00+24:00", "1979-05-27T07:32:00+05", "1979-5-27", "79-05-27", "1979-05-27T",
        "1979-05-27 ", "1979-05-27T07:32:00.1234567891", "1979-05-27T07:32:00Zx",
        // strings
        #""""#, "''", #""plain""#, #""tab\tquote\" backslash\\ \u00E9 \U0001F600 \b\f\n\r""#, #"'C:\Users\nodejs'"#,
        #""é 日本""#, #""\x41""#, #""\uD800""#, #""\U00110000""#, #""\u00e""#, #""\e""#, #""\ ""#, "\"a\u{7F}b\"",
        "\"a\u{01}b\"", "'a\u{7F}b'", "\"a\tb\"", "'a\tb'", #""unterminated"#, "'unterminated", #""a" "b""#,
        "\"\"\"\none\ntwo\"\"\"", "'''\none\ntwo'''", "\"\"\"x\"\"\"\"\"", "\"\"\"x\"\"\"\"\"\"", "'''x'''''", "'''x''''''",
        "\"\"\"\\\n   folded \\\n\n   text\"\"\"", "\"\"\"trailing \\  \t\n  end\"\"\"", "\"\"\"a\u{7F}\"\"\"", "\"\"\"\\ x\"\"\"",
        "\"\"\"\r\ncrlf\r\n\"\"\"", "\"\"\"unterminated",
        // arrays and inline tables
        "[]", "[ ]", "[1, 2, 3,]", "[1, \"a\", 2.0, [3], {x = 1}]", "[\n  1,\n  # comment\n  2,\n]", "[1,,2]", "[,]",
        "[1 2]", "[1,", "{}", "{ }", "{x = 1, y = \"a\"}", "{x.y = 1, x.z = 2}", "{x = {y = 1}}", "{x = 1,}", "{x = 1 y = 2}",
        "{x = 1, x = 2}", "{\nx = 1}", "{x.y = 1, x = 2}", "{x = 1", "{x}", "{ = 1}",
        // not values
        "", "=", "a", "#", "[[1]]x",
    ]

    /// Whole documents: tables, keys, comments, line ends, redefinition.
    static let documents: [String] = [
        "", "\n", "# only a comment", "a = 1\nb = 2", "a = 1\r\nb = 2\r\n", "a = 1\rb = 2", "a = 1 # c", "a = 1#c",
        "bare_key-1 = 1", "1234 = 1", "\"quoted\" = 1", "'' = 1", "\"\" = 1", "a.b.c = 1", "a . b = 1", "a.\"b.c\".'d' = 1",
        "3.14 = 1", "a = 1\na = 2", "a.b = 1\na.b = 2", "a = 1\na.b = 2", "key", "= 1", "a = 1 b = 2", "a =", "a b = 1",
        "[a]", "[ a . b ]", "[a.b]\n[a]", "[a]\n[a]", "[a]\n[a.b]\n[a]", "[a", "[]", "[a]]", "[a] x", "[a.]", "[.a]",
        "a.b = 1\n[a]", "[a]\nb = 1\n[a.b]", "a = {}\n[a.b]", "a = {b = 1}\na.c = 2", "[a]\nb.c = 1\n[a.b.d]",
        "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "[[a]]\nx = 1\n[[a]]\nx = 2", "[[a]]\n[a]", "[a]\n[[a]]", "a = []\n[[a]]",
        "[[a]]\n[a.b]\n[[a]]\n[a.b]", "[[a.b]]\n[a]", "[[a]]\n[[a.b]]\n[[a.b]]", "[[a]", "[[a]] x",
        "\u{FEFF}a = 1", "a = 1\u{0}", "# comment \u{7F}", "# comment \u{1}", "# tab\tin comment", "\u{1}a = 1",
        "[project]\nrequires-python = \">=3.11\"", "project.requires-python = \">=3.11\"",
        "project = { requires-python = \">=3.11\" }", "[project]\nrequires-python = 3.11", "[project]\nrequires-python = [\">=3.11\"]",
        "[project]\n\"requires-python\" = '>=3.11'", "[[project]]\nrequires-python = \">=3.11\"",
        "[project.requires-python]\nx = 1", "[project]\nrequires-python.x = 1", "[project]\nrequires-python = \">=3.11\"\nrequires-python = \">=3.12\"",
        "[tool.x]\n[project]\nrequires-python = \"\"\"\n>=3.11\"\"\"", "[project]\nrequires-python = \"\"\"\\\n    >=3.11,\\\n    <3.13\"\"\"",
        "[project]\nrequires-python = \">=3.11\"\n[project]", "[project]\nrequires-python = \">=3.11\"\n[tool]\nx = [",
    ]

    /// Bytes that are not UTF-8 text, or not TOML's.
    static let byteDocuments: [[UInt8]] = [
        Array("a = \"".utf8) + [0xFF] + Array("\"".utf8), Array("# ".utf8) + [0xC3], Array("a = '".utf8) + [0xED, 0xA0, 0x80, 0x27],
        Array("a = \"".utf8) + [0xC3, 0xA9] + Array("\"".utf8),
    ]
}

enum PEP440Cases {
    /// Versions built from PEP 440's parts and their spellings, then some that are not versions.
    static func versions() -> [String] {
        var texts: Set<String> = []
        let releases = ["1", "1.0", "1.0.0", "1.1", "3.12", "3.12.0", "3.12.1", "2.0.0.0", "0", "0.9", "10.0", "1.01", "v1.0", "V2"]
        let pres = ["", "a1", "a", "alpha2", "b0", "beta", "c1", "rc1", "rc2", "pre1", "preview3", ".rc1", "-rc.1", "_a_2", "RC1"]
        let posts = ["", ".post1", "post2", "-1", ".post", "-post3", "_r4", "rev5", ".r"]
        let devs = ["", ".dev0", "dev1", ".dev", "-dev2"]
        let locals = ["", "+local", "+Ubuntu-1", "+1.2.a", "+abc_def.3"]
        for release in releases {
            for pre in pres { texts.insert(release + pre) }
            for post in posts { texts.insert(release + post) }
            for dev in devs { texts.insert(release + dev) }
            for local in locals { texts.insert(release + local) }
        }
        for pre in ["a1", "rc1", ""] {
            for post in ["", ".post1"] {
                for dev in ["", ".dev0", ".dev1"] {
                    for local in ["", "+x"] {
                        for epoch in ["", "1!", "2!"] { texts.insert("\(epoch)1.0\(pre)\(post)\(dev)\(local)") }
                    }
                }
            }
        }
        texts.formUnion(["1!", "!1", "1.0.", ".1", "1..0", "1.0-", "1.0+", "1.0+a..b", "1.0+-a", "1.0a1a2", "1.0.post1.post2",
                         "1.0.dev1.dev2", "1.0dev1a1", "1.0_1", "1.0-1-1", "a1", "1.0x", "1.0-a", "1.0.a", "1.0+a+b", "1.0 ",
                         "01.02", "1.0.post-1", "1.0-r", "99999999999999999999", "1.0-dev", "1.0a-1", "v", "vv1", "1.0+ä"])
        return texts.sorted()
    }

    /// requires-python texts: each operator with versions of every kind, clauses combined, and mistakes.
    static func specifiers() -> [String] {
        var texts: Set<String> = []
        let operators = [">=", "<=", ">", "<", "==", "!=", "~=", "==="]
        let operands = ["3", "3.12", "3.12.0", "3.12.1", "3.13", "3.13.0rc1", "3.13.0b2", "3.13rc1", "3.12.post1", "3.12.0.dev1",
                        "3.12.*", "3.*", "3.12.0+local", "1!3.12", "3.12.0a1.*", "3.12.post1.*", "3.13.0rc1.post1", "3.12.0.0", "v3.12"]
        for op in operators {
            for operand in operands { texts.insert(op + operand) }
        }
        texts.formUnion([">=3.9, !=3.9.1, <4", ">= 3.11", ">=3.11,<3.13", ">=3.11, <3.13.0rc1", "==3.12.*,!=3.12.1", "~=3.12.0",
                         ">3.12,<3.13", ">=3.13.0b1", "<3.13.0rc2", "", " ", ">=3.11,", ",>=3.11", ">=3.11,,<4", "^3.11", "~3.11",
                         "3.11", ">=", ">=3.11 <4", "=3.11", "==3.12.0+Ubuntu-1", "!=3.12.*,>=3.11", ">3.13.0rc1", "<=3.13.0rc1",
                         "===3.13.0rc1", "===3.12.0", "===garbage", ">=3.12.*", "~=3", "~=3.12.1", "===", "> 3.12", "<3.13,>=3.13"])
        return texts.sorted()
    }

    /// The Pythons specifiers are asked about, as pyman names them.
    static func pythons() -> [String] {
        ["3.8.20", "3.9.0", "3.9.1", "3.11.0", "3.11.9", "3.12.0", "3.12.1", "3.12.10", "3.13.0a1", "3.13.0b2", "3.13.0rc1",
         "3.13.0rc2", "3.13.0", "3.13.5", "3.14.0rc1", "3.14.0", "4.0.0"]
    }
}
