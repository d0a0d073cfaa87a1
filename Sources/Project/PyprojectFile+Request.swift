import Catalogue
import Core
import PEP440
import TOML

extension PyprojectFile {
    /// `requires-python` as a request (`PythonRequest` with `.specifiers`, read as PEP 440 says; see
    /// `VersionSpecifier`), or nil without one. A blank requires-python allows any Python, so it is nil too.
    /// `path` is only used in messages.
    public func request(path: String) throws(PymanError) -> PythonRequest? {
        guard let requiresPython else { return nil }
        let specifiers: [VersionSpecifier]
        do throws(VersionSpecifierProblem) {
            specifiers = try VersionSpecifier.requiresPython(requiresPython)
        } catch {
            throw PymanError("\(path): requires-python \(TOMLProblem.quoted(requiresPython)) is not a version specifier: \(error.why)",
                             hint: Self.specifierHint)
        }
        guard !specifiers.isEmpty else { return nil }
        return PythonRequest(text: requiresPython.trimmingWhitespace(), filter: .specifiers(specifiers))
    }
}
