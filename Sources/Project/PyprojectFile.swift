import Core
import TOML

/// The parts of a pyproject.toml pyman reads: `[project] requires-python`, to pick the newest Python a
/// project allows when nothing else names one. The whole file is read as TOML 1.0 (`TOMLReader`), so a
/// broken file is refused with its line rather than half-read; everything but requires-python is only
/// checked, never kept.
public struct PyprojectFile: Sendable, Equatable {
    public static let fileName = "pyproject.toml"
    /// Callers read at most this many bytes; the parser refuses a longer text too.
    public static let sizeLimit = 1 << 20

    /// `[project] requires-python`, as written once TOML's quoting is undone (nil when absent).
    public var requiresPython: String?

    public init(requiresPython: String?) {
        self.requiresPython = requiresPython
    }

    /// Parses the text of a pyproject.toml; `path` is only used in messages. requires-python counts
    /// however it is written: under `[project]`, as the dotted key `project.requires-python` at the top,
    /// or in an inline table `project = { requires-python = … }`. It must be a string.
    public init(parsing text: String, path: String) throws(PymanError) {
        guard text.utf8.count <= Self.sizeLimit else {
            throw PymanError("\(path) is larger than \(Self.sizeLimit >> 20) MiB, more than pyman reads of a \(Self.fileName)",
                             hint: "name the Python to use instead, on the command line or in a .python-version file")
        }
        let found: (value: TOMLValueShape, line: Int)?
        do throws(TOMLProblem) {
            found = try TOMLReader.value(at: ["project", "requires-python"], in: Array(text.utf8))
        } catch {
            throw error.error(path: path, defaultHint: Self.fixHint)
        }
        switch found {
        case nil:
            requiresPython = nil
        case (.string(let text), _)?:
            requiresPython = text
        case let (value, line)?:
            throw PymanError("\(path) line \(line): requires-python must be a string, not \(value.typeName)", hint: Self.specifierHint)
        }
    }

    static let fixHint = "fix the file: it must be TOML"
    static let specifierHint = "write e.g. requires-python = \">=3.11\""
}
