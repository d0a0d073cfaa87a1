import TestSupport
import XCTest
import Core
@testable import Catalogue
@testable import Project
import TOML

/// pyproject.toml as projects write it: requires-python found however it is written, nil without it,
/// and the refusals that concern it (not a string, defined twice). `TOMLReaderTests` covers the rest of
/// TOML, `RequiresPythonTests` what the specifiers match.
final class PyprojectFileTests: XCTestCase {
    func parse(_ text: String) throws -> PyprojectFile { try PyprojectFile(parsing: text, path: "pyproject.toml") }

    func testPoetryProjectWithSourcesAsArraysOfTables() throws {
        let text = """
            [tool.poetry]
            name = "acme-api"
            version = "2.4.1"
            description = "The ACME public API"
            authors = ["Ada Lovelace <ada@example.com>", "Grace Hopper <grace@example.com>"]
            license = "MIT"
            packages = [{ include = "acme_api", from = "src" }]

            [tool.poetry.dependencies]
            python = "^3.10"
            fastapi = "^0.110.0"
            uvicorn = { version = "^0.29", extras = ["standard"] }
            sqlalchemy = { version = ">=2.0,<2.1", optional = true }

            [tool.poetry.group.dev.dependencies]
            pytest = "^8.1"
            mypy = "1.9.0"

            [tool.poetry.extras]
            db = ["sqlalchemy"]

            [[tool.poetry.source]]
            name = "internal"
            url = "https://pypi.internal.example.com/simple/"
            priority = "supplemental"

            [[tool.poetry.source]]
            name = "pytorch"
            url = "https://download.pytorch.org/whl/cpu"
            priority = "explicit"

            [tool.poetry.scripts]
            acme-api = "acme_api.main:run"

            [project]
            name = "acme-api"
            requires-python = ">=3.10,<3.13"

            [build-system]
            requires = ["poetry-core>=1.9.0"]
            build-backend = "poetry.core.masonry.api"

            """
        XCTAssertEqual(try parse(text).requiresPython, ">=3.10,<3.13")
        // Poetry's own `python = "^3.10"` is not requires-python.
        let withoutProject = text.replacing("[project]\nname = \"acme-api\"\nrequires-python = \">=3.10,<3.13\"\n", with: "")
        XCTAssertNotEqual(withoutProject, text)
        XCTAssertNil(try parse(withoutProject).requiresPython)
    }

    func testHatchProjectWithMultiLineArraysAndInlineTables() throws {
        let text = """
            [build-system]
            requires = ["hatchling>=1.21", "hatch-vcs"]
            build-backend = "hatchling.build"

            [project]
            name = "skyline"
            dynamic = ["version"]
            description = 'Renders skylines from elevation data'
            readme = "README.md"
            requires-python = ">=3.9"
            license = "Apache-2.0"
            keywords = []
            authors = [
              { name = "Jane Doe", email = "jane@example.org" },
            ]
            classifiers = [
              "Development Status :: 4 - Beta",
              "Programming Language :: Python",
              "Programming Language :: Python :: 3.9",  # the oldest
              # "Programming Language :: Python :: 3.8",
              "Programming Language :: Python :: 3.13",
            ]
            dependencies = [
              "numpy>=1.26",
              "pillow>=10; python_version >= '3.10'",
            ]

            [project.optional-dependencies]
            docs = ["mkdocs-material~=9.5", "mkdocstrings[python]>=0.24"]

            [project.urls]
            Documentation = "https://github.com/jane/skyline#readme"
            "Bug Tracker" = "https://github.com/jane/skyline/issues"

            [project.scripts]
            skyline = "skyline.cli:main"

            [tool.hatch.version]
            source = "vcs"

            [tool.hatch.envs.default]
            dependencies = [
              "coverage[toml]>=6.5",
              "pytest",
            ]
            [tool.hatch.envs.default.scripts]
            test = "pytest {args:tests}"
            cov = [
              "test-cov",
              "cov-report",
            ]

            [[tool.hatch.envs.all.matrix]]
            python = ["3.9", "3.10", "3.11", "3.12", "3.13"]

            [tool.coverage.run]
            source_pkgs = ["skyline", "tests"]
            branch = true
            parallel = true
            omit = [
              "src/skyline/__about__.py",
            ]

            [tool.coverage.report]
            exclude_lines = [
              "no cov",
              "if __name__ == .__main__.:",
              "if TYPE_CHECKING:",
            ]
            fail_under = 92.5

            [tool.ruff]
            line-length = 120
            target-version = "py39"

            [tool.ruff.lint.per-file-ignores]
            "tests/**/*" = ["PLR2004", "S101", "TID252"]
            """
        XCTAssertEqual(try parse(text).requiresPython, ">=3.9")
        // The same with Windows line ends.
        XCTAssertEqual(try parse(text.replacing("\n", with: "\r\n")).requiresPython, ">=3.9")
    }

    func testSetuptoolsProjectWrittenWithDottedKeys() throws {
        let text = """
            # A setuptools project written with dotted keys only.
            project.name = "tinytool"
            project.version = "0.3.0"
            project . 'requires-python' = '>=3.11'   # literal, quoted key, blanks around the dot
            project.dependencies = ["click>=8"]
            project.scripts.tinytool = "tinytool:main"
            build-system.requires = ["setuptools>=69", "wheel"]
            build-system.build-backend = "setuptools.build_meta"

            [tool.setuptools.packages.find]
            where = ["src"]

            [tool.pytest.ini_options]
            addopts = "-ra -q"
            testpaths = ["tests"]
            timeout = 30
            filterwarnings = ["error", 'ignore::DeprecationWarning']
            """
        XCTAssertEqual(try parse(text).requiresPython, ">=3.11")
    }

    func testMultiLineStringsHoldingHeadersAreText() throws {
        let text = #"""
            [tool.towncrier]
            template = """
            [project]
            requires-python = "<3"
            {% for section in sections %}
            """
            title_format = '''
            [project] {version} ({project_date})
            requires-python = '>=2.7'
            '''

            [tool.cibuildwheel]
            test-command = "pytest {project}/tests"
            before-all = """\
                yum install -y \
                  libffi-devel \
                  openssl-devel"""
            environment = { CFLAGS = "-O2", LDFLAGS = "-Wl,--strip-all" }
            skip = ["pp*", "*-musllinux_i686"]

            [project]
            name = "weird"
            version = "1.0"
            description = """The "weird" package: ""quotes"" \
                and a line-ending backslash."""
            requires-python = "~=3.12"
            """#
        XCTAssertEqual(try parse(text).requiresPython, "~=3.12")
    }

    func testInlineTableAndEscapes() throws {
        XCTAssertEqual(try parse(#"project = { name = "inline", requires-python = ">=3.8, !=3.9.*" }"#).requiresPython, ">=3.8, !=3.9.*")
        XCTAssertEqual(try parse(#"project = { "requires-python" = ">=3.11\u002C<3.13" }"#).requiresPython, ">=3.11,<3.13")
        XCTAssertEqual(try parse("[project]\nrequires-python = \"\"\"\n>=3.11\"\"\"\n").requiresPython, ">=3.11")
        XCTAssertEqual(try parse("\u{FEFF}[project]\nrequires-python = '>=3.12'").requiresPython, ">=3.12")
    }

    func testRequiresPythonElsewhereIsNotTheProjects() throws {
        for text in ["requires-python = \">=3.11\"", "[tool.poetry]\nrequires-python = \">=3.11\"",
                     "[project.optional-dependencies]\nrequires-python = [\">=3.11\"]", "[[project]]\nrequires-python = \">=3.11\"",
                     "[tool]\nproject.requires-python = \">=3.11\"", "project = [{ requires-python = \">=3.11\" }]",
                     "[project]\nname = \"x\"\n[project.requires]\npython = \">=3.11\"", "", "# nothing\n\n"] {
            XCTAssertNil(try parse(text).requiresPython, text)
        }
    }

    func testRequiresPythonMustBeAString() {
        refusal("[project]\nname = \"x\"\nrequires-python = 3.11", line: 3, "requires-python must be a string, not a float")
        refusal("[project]\nrequires-python = 3", line: 2, "requires-python must be a string, not an integer")
        refusal("[project]\nrequires-python = [\">=3.11\"]", line: 2, "requires-python must be a string, not an array")
        refusal("project.requires-python = { min = \"3.11\" }", line: 1, "requires-python must be a string, not an inline table")
        refusal("project = { requires-python = true }", line: 1, "requires-python must be a string, not a boolean")
        // A table there is a value too, however it is made (found by DifferentialTests against tomllib).
        refusal("[project.requires-python]\nmin = \"3.11\"", line: 1, "requires-python must be a string, not a table")
        refusal("[project]\nrequires-python.min = \"3.11\"", line: 2, "requires-python must be a string, not a table")
        refusal("[[project.requires-python]]", line: 1, "requires-python must be a string, not an array")
    }

    func testRequiresPythonOrProjectDefinedTwice() {
        refusal("[project]\nrequires-python = \">=3.11\"\nrequires-python = \">=3.12\"", line: 3,
                "duplicate key 'requires-python' in [project]: already a value set on line 2")
        refusal("[project]\nname = \"a\"\n\n[tool.x]\n[project]\n", line: 5, "duplicate table [project]: already a table defined by its header on line 1")
        refusal("project.requires-python = \">=3.11\"\n[project]\nname = \"x\"", line: 2,
                "duplicate table [project]: already a table defined by dotted keys on line 1")
        refusal("project = { name = \"x\" }\n[project]", line: 2, "duplicate table [project]: already an inline table on line 1")
        refusal("project = { name = \"x\" }\nproject.requires-python = \">=3.11\"", line: 2, "'project' is already an inline table on line 1")
    }

    func testOversizedFileIsRefused() {
        let big = "# " + String(repeating: "x", count: PyprojectFile.sizeLimit) + "\n"
        XCTAssertThrowsError(try parse(big)) { error in
            XCTAssertTrue("\(error)".hasPrefix("pyproject.toml is larger than 1 MiB"), "\(error)")
        }
        // Right at the limit it reads.
        let atLimit = "#" + String(repeating: "x", count: PyprojectFile.sizeLimit - 2) + "\n"
        XCTAssertNil(try parse(atLimit).requiresPython)
    }

    /// TOML is UTF-8: a file saved as Latin-1 (or cut inside a character) is refused with the line of its
    /// first bad byte, never read with replacement characters.
    func testAFileThatIsNotUTF8IsRefusedWithItsLine() throws {
        let latin1: [UInt8] = Array("[project]\nname = \"caf".utf8) + [0xE9] + Array("\"\nrequires-python = \">=3.11\"\n".utf8)
        let cases: [(bytes: [UInt8], line: Int, byte: String)] = [
            (latin1, 2, "e9"),
            (Array("[project]\n\n# ".utf8) + [0xE2, 0x82], 3, "e2"),          // a character cut short at the end
            (Array("a = 1\n".utf8) + [0xC0, 0xAF] + Array(" = 2\n".utf8), 2, "c0"), // an overlong '/'
            (Array("# ".utf8) + [0xED, 0xA0, 0x80], 1, "ed"),                   // a UTF-16 surrogate
        ]
        for (bytes, line, byte) in cases {
            XCTAssertThrowsError(try TOMLLines.text(bytes, path: "/p/pyproject.toml")) { error in
                XCTAssertEqual("\(error)", "/p/pyproject.toml line \(line): byte 0x\(byte) is not UTF-8, and a TOML file must be UTF-8 text; save the file as UTF-8")
            }
        }
        let valid = [0xEF, 0xBB, 0xBF] + Array("[project]\nname = \"café ☕\"\nrequires-python = \">=3.11\"\n".utf8)
        XCTAssertEqual(try parse(try TOMLLines.text(valid, path: "pyproject.toml")).requiresPython, ">=3.11")
    }

    // MARK: the request

    func testRequestFromRequiresPython() throws {
        let request = try XCTUnwrap(try PyprojectFile(requiresPython: " >=3.11, <3.13 ").request(path: "pyproject.toml"))
        XCTAssertEqual(request.text, ">=3.11, <3.13")
        guard case .specifiers(let specifiers) = request.filter else { return XCTFail("\(request.filter)") }
        XCTAssertEqual(specifiers.map(\.op), [.greaterOrEqual, .less])
        let keys = ["3.10.14", "3.11.9", "3.12.8", "3.13.1", "3.14.0rc1"].map { PythonKey("cpython-\($0)-linux-x86_64-gnu")! }
        XCTAssertEqual(request.best(of: keys, key: { $0 })?.version.description, "3.12.8")
        XCTAssertNil(try PyprojectFile(requiresPython: nil).request(path: "pyproject.toml"))
        // Blank allows any Python: as if there were none.
        XCTAssertNil(try PyprojectFile(requiresPython: "  ").request(path: "pyproject.toml"))
    }

    func testUnparseableRequiresPythonIsOneLineWithTheFix() {
        for (text, why) in [("3.11", "'3.11' has no operator: write e.g. >=3.11 or ==3.11.*"),
                            ("^3.11", "'^3.11' is Poetry's syntax, not PEP 440's"),
                            (">=3.x", "'3.x' is not a PEP 440 version"),
                            (">=3.6.*", "'>=3.6.*': '.*' goes only with == and !="),
                            ("~=3", "'~=3': ~= needs two numbers or more"),
                            (">=3.11,", "there is an empty specifier between commas"),
                            (">=", "'>=' has no version after its >="),
                            (">=3.11 3.12", "holds more than one version"),
                            ("=>3.11", "'=>3.11' does not start with one of"),
                            ("==3.12.0rc1.*", "'.*' follows release numbers only"),
                            (">=3.12+local", "a local version (+…) goes only with == and !="),
                            (">=3.99999999999999999999", "a number in '3.99999999999999999999' is too large"),
                            (">=3.11\u{1B}[2J", "'3.11\\u{1b}[2J' is not a PEP 440 version")] {
            XCTAssertThrowsError(try PyprojectFile(requiresPython: text).request(path: "/p/pyproject.toml"), text) { error in
                guard let error = error as? PymanError else { return XCTFail("\(error)") }
                XCTAssertTrue(error.message.hasPrefix("/p/pyproject.toml: requires-python '"), error.message)
                XCTAssertTrue(error.message.contains("' is not a version specifier: "), error.message)
                XCTAssertTrue(error.message.contains(why), "\(error.message) should contain \(why)")
                XCTAssertEqual(error.hint, "write e.g. requires-python = \">=3.11\"")
                XCTAssertFalse(error.description.contains("\n") || error.description.contains("\u{1B}"), error.description)
            }
        }
    }

    // MARK: -

    /// The error for `text`, checked to start with `pyproject.toml line <line>:` and to contain `problem`.
    @discardableResult
    func refusal(_ text: String, line: Int, _ problem: String, file: StaticString = #filePath, lineOfTest: UInt = #line) -> PymanError? {
        assertRefusal({ try parse(text) }, prefix: "pyproject.toml line \(line): ", problem, file: file, line: lineOfTest)
    }
}
